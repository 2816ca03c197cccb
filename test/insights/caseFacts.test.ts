// What the help-desk lead's report learns of one case, for each way a case can end: taken from the real flow
// after the admin's clicks, as the turn takes it.
import { initialTransition, transition } from 'xstate';
import { type FlowEvent, troubleshootingMachine } from '../../src/flow/machine';
import { type CaseFacts, caseFacts, caseFactsKey, startDayOfKey } from '../../src/insights/caseFacts';
import { stateName } from '../../src/conversation/record';

const DETAILS = { protocol: 'imap4', version: '2019', server: 'EX01.contoso.local', mailbox: 'taro@contoso.com', errorText: 'NO LOGIN failed.' } as const;
const STARTED = '2026-11-03T08:00:00.000Z';
const NOW = new Date('2026-11-03T08:20:00Z');

function factsAfter(events: FlowEvent[], moment: { now?: Date; before?: CaseFacts } = {}): CaseFacts {
  let [snapshot] = initialTransition(troubleshootingMachine);
  for (const event of events) [snapshot] = transition(troubleshootingMachine, snapshot, event);
  return caseFacts(stateName(snapshot), snapshot.context, { caseId: 'c1', rev: events.length, startedAt: STARTED, now: moment.now ?? NOW, language: 'ja', before: moment.before });
}

const walk = (fields: Record<string, string> = DETAILS): FlowEvent[] => [
  { type: 'SUBMIT_DETAILS', next: 'walk', fields },
  { type: 'STILL_FAILING' }, // the client settings were right
  { type: 'HAVE_ACCESS' },
];

describe("a case's facts", () => {
  it('counts a case solved at step 2 as solved there, with the step reached and when', () => {
    const facts = factsAfter([...walk(), { type: 'STILL_FAILING' }, { type: 'WORKS_NOW' }]);
    expect(facts).toEqual({
      v: 1,
      caseId: 'c1',
      rev: 5,
      startedAt: STARTED,
      updatedAt: NOW.toISOString(),
      language: 'ja',
      protocol: 'imap4',
      version: '2019',
      stepReached: 'serverSettings',
      outcome: 'solved',
      solvedAt: 'serverSettings',
      solvedAtTime: NOW.toISOString(),
    });
  });

  it('counts a case the admin said works from a screen that asked nothing as solved, at no step', () => {
    const facts = factsAfter([...walk().slice(0, 2), { type: 'WORKS_NOW' }]);
    expect(facts.outcome).toBe('solved');
    expect(facts.solvedAt).toBeUndefined();
  });

  it('counts an escalation after every fix was tried with its reason, version and failed step', () => {
    const facts = factsAfter([
      { type: 'SUBMIT_DETAILS', next: 'pick', fields: { ...DETAILS, version: '2016' } },
      { type: 'PICK', checkpoint: 'connector' },
      { type: 'ESCALATE' },
      { type: 'CONFIRM_ESCALATION', note: 'since the certificate renewal' },
    ]);
    expect(facts).toMatchObject({ outcome: 'escalated', escalationReason: 'exhausted', version: '2016', failedAt: 'connector', escalatedAt: NOW.toISOString() });
    expect(facts.solvedAt).toBeUndefined();
  });

  it('counts an escalation for want of server access with that reason and no failed step', () => {
    const facts = factsAfter([...walk().slice(0, 2), { type: 'NO_ACCESS' }, { type: 'CONFIRM_ESCALATION' }]);
    expect(facts).toMatchObject({ outcome: 'escalated', escalationReason: 'noAccess', protocol: 'imap4' });
    expect(facts.failedAt).toBeUndefined();
  });

  it('counts an escalation asked for on a step as failing at that step', () => {
    const facts = factsAfter([...walk(), { type: 'STILL_FAILING' }, { type: 'STILL_FAILING' }, { type: 'ESCALATE' }, { type: 'CONFIRM_ESCALATION' }]);
    expect(facts).toMatchObject({ outcome: 'escalated', escalationReason: 'asked', failedAt: 'mailbox', stepReached: 'mailbox' });
  });

  it('keeps a case under way open, with the furthest step shown and the step named as failing', () => {
    const facts = factsAfter([...walk(), { type: 'THIS_FAILED' }]);
    expect(facts).toMatchObject({ outcome: 'open', stepReached: 'service', failedAt: 'service' });
    expect(facts).not.toHaveProperty('escalatedAt');
    expect(facts).not.toHaveProperty('escalationReason');
    expect(facts).not.toHaveProperty('solvedAtTime');
  });

  it('keeps the time a case was escalated when a later turn rewrites its facts', () => {
    const events: FlowEvent[] = [...walk().slice(0, 2), { type: 'NO_ACCESS' }, { type: 'CONFIRM_ESCALATION' }];
    const first = factsAfter(events);
    const later = factsAfter(events, { now: new Date('2026-11-03T09:00:00Z'), before: first });
    expect(later.escalatedAt).toBe(NOW.toISOString());
    expect(later.updatedAt).toBe('2026-11-03T09:00:00.000Z');
  });

  it('keeps when the help desk took the case through the turn that rewrites its facts', () => {
    const events: FlowEvent[] = [...walk().slice(0, 2), { type: 'NO_ACCESS' }];
    // The help desk took the case before the escalation's own facts were written over the last ones.
    const taken = { ...factsAfter(events.slice(0, 2)), takenAt: '2026-11-03T08:19:00.000Z' };
    expect(factsAfter([...events, { type: 'CONFIRM_ESCALATION' }], { before: taken })).toMatchObject({ outcome: 'escalated', takenAt: '2026-11-03T08:19:00.000Z' });
    expect(factsAfter(events)).not.toHaveProperty('takenAt');
  });

  it('holds counts only: no server, mailbox, error text or note', () => {
    const facts = JSON.stringify(factsAfter([{ type: 'SUBMIT_DETAILS', next: 'pick', fields: DETAILS }, { type: 'ESCALATE' }, { type: 'CONFIRM_ESCALATION', note: 'Hanako, EX01' }]));
    for (const typed of ['EX01', 'contoso', 'taro', 'LOGIN', 'Hanako']) expect(facts).not.toContain(typed);
  });

  it('is kept under the day the case started', () => {
    const key = caseFactsKey('c1', STARTED);
    expect(key).toBe('cases/2026-11-03/c1');
    expect(startDayOfKey(key)).toBe('2026-11-03');
  });
});
