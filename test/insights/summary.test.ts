// The report's arithmetic over a handful of cases, each counted by hand.
import type { CaseFacts } from '../../src/insights/caseFacts';
import { lastDays, summarize } from '../../src/insights/report';

function facts(partial: Partial<CaseFacts> & Pick<CaseFacts, 'startedAt' | 'outcome'>): CaseFacts {
  return { v: 1, caseId: Math.random().toString(36).slice(2), rev: 3, updatedAt: partial.startedAt, language: 'en', ...partial };
}

const NOW = new Date('2026-11-30T12:00:00Z');

describe('the report over a period', () => {
  const cases = [
    facts({ startedAt: '2026-11-01T08:00:00Z', outcome: 'solved', protocol: 'pop3', version: '2016', solvedAt: 'mailbox', failedAt: 'mailbox' }),
    facts({ startedAt: '2026-11-01T09:00:00Z', outcome: 'solved', protocol: 'imap4', version: '2019' }),
    facts({ startedAt: '2026-11-02T10:00:00Z', outcome: 'escalated', protocol: 'pop3', version: '2010', failedAt: 'connector' }),
    facts({ startedAt: '2026-11-02T11:00:00Z', outcome: 'escalated', protocol: 'imap4', failedAt: 'connector' }),
    // Open for days: abandoned. Open since this morning: still open.
    facts({ startedAt: '2026-11-03T11:00:00Z', outcome: 'open', protocol: 'pop3', failedAt: 'service' }),
    facts({ startedAt: '2026-11-30T09:00:00Z', updatedAt: '2026-11-30T09:30:00Z', outcome: 'open', protocol: 'pop3' }),
    // Outside the period on both sides.
    facts({ startedAt: '2026-10-31T23:59:59Z', outcome: 'solved', protocol: 'pop3' }),
    facts({ startedAt: '2026-12-01T00:00:00Z', outcome: 'escalated', protocol: 'pop3' }),
  ];

  it('counts each case of the period once, by outcome, step and version', () => {
    const report = summarize(cases, '2026-11-01', '2026-11-30', NOW);
    expect(report.cases).toBe(6);
    expect(report.outcomes).toEqual({ solved: 2, escalated: 2, abandoned: 1, open: 1 });
    expect(report.solvedAt).toEqual({ mailbox: 1, elsewhere: 1 });
    expect(report.failedAt).toEqual({ pop3: { mailbox: 1, connector: 1, service: 1 }, imap4: { connector: 1 } });
    expect(report.escalationsByVersion).toEqual({ '2010': 1, unknown: 1 });
    expect(report.medianMinutesToTake).toBeNull();
  });

  it('lists every day of the period, days without cases included', () => {
    const days = summarize(cases, '2026-11-01', '2026-11-30', NOW).casesPerDay;
    expect(days).toHaveLength(30);
    expect(days.slice(0, 4)).toEqual([
      { day: '2026-11-01', cases: 2 },
      { day: '2026-11-02', cases: 2 },
      { day: '2026-11-03', cases: 1 },
      { day: '2026-11-04', cases: 0 },
    ]);
    expect(days[29]).toEqual({ day: '2026-11-30', cases: 1 });
  });

  it('takes the median wait over the escalations the help desk took, in whole minutes', () => {
    const escalated = (startedAt: string, takenAt?: string) =>
      facts({ startedAt, outcome: 'escalated', escalatedAt: startedAt, ...(takenAt ? { takenAt } : {}) });
    const taken = [
      escalated('2026-11-05T10:00:00Z', '2026-11-05T10:10:00Z'),
      escalated('2026-11-06T10:00:00Z', '2026-11-06T10:25:00Z'),
      // Still waiting: no wait to count yet.
      escalated('2026-11-07T10:00:00Z'),
    ];
    expect(summarize(taken, '2026-11-01', '2026-11-30', NOW).medianMinutesToTake).toBe(18); // (10 + 25) / 2 = 17.5
    const third = escalated('2026-11-08T10:00:00Z', '2026-11-08T13:00:00Z');
    expect(summarize([...taken, third], '2026-11-01', '2026-11-30', NOW).medianMinutesToTake).toBe(25);
    // Stamped a little before its escalation by another instance's clock: it waited no time.
    const early = escalated('2026-11-09T10:00:00Z', '2026-11-09T09:59:58Z');
    expect(summarize([taken[2]!, early], '2026-11-01', '2026-11-30', NOW).medianMinutesToTake).toBe(0);
    // Taken, but in a period the report does not cover.
    expect(summarize(taken, '2026-11-07', '2026-11-30', NOW).medianMinutesToTake).toBeNull();
  });

  it('takes the last 7 or 30 days up to today', () => {
    expect(lastDays(7, NOW)).toEqual({ from: '2026-11-24', to: '2026-11-30' });
    expect(lastDays(30, NOW)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });
});
