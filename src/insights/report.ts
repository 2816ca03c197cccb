// The help-desk lead's report over a period: counts only, computed from the cases' facts. Pure, so the Teams
// card, the CSV and the JSON export show the same numbers.
import type { CheckpointId, ExchangeVersion, Protocol } from '../flow/types';
import type { CaseFacts } from './caseFacts';

/** A case nobody has touched for this long, neither solved nor escalated, counts as abandoned. */
export const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

export interface Report {
  from: string; // first day, YYYY-MM-DD (UTC)
  to: string; // last day, inclusive
  cases: number;
  outcomes: { solved: number; escalated: number; abandoned: number; open: number };
  /** Solved by the bot, by the step or fix on screen when it started working ("elsewhere" when none was). */
  solvedAt: Partial<Record<CheckpointId | 'elsewhere', number>>;
  /** Where cases failed, per protocol. */
  failedAt: Record<Protocol, Partial<Record<CheckpointId, number>>>;
  escalationsByVersion: Partial<Record<ExchangeVersion | 'unknown', number>>;
  /** Every day of the period, in order, with the cases started that day. */
  casesPerDay: Array<{ day: string; cases: number }>;
  /**
   * Median minutes, whole, from escalation to the help desk first taking the case, over the escalated cases
   * the help desk has taken; null when it took none of them (or all were taken before takes were recorded).
   */
  medianMinutesToTake: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every day from `from` to `to`, inclusive, as YYYY-MM-DD (UTC). */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The last `days` days up to and including today (UTC): the card's 7 or 30 days. */
export function lastDays(days: number, now: Date): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  return { from: new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10), to };
}

/** The middle value, or the mean of the two middle ones; null for none. */
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Minutes an escalated case waited to be taken; undefined when it was not, or its times do not read. */
function minutesToTake(facts: CaseFacts): number | undefined {
  if (facts.outcome !== 'escalated' || !facts.escalatedAt || !facts.takenAt) return undefined;
  const waited = Date.parse(facts.takenAt) - Date.parse(facts.escalatedAt);
  // Two instances' clocks may disagree by a little: a take stamped before its escalation waited no time.
  return Number.isFinite(waited) ? Math.max(0, waited) / 60_000 : undefined;
}

const add = <K extends string>(counts: Partial<Record<K, number>>, key: K) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * The report over the cases that started from `from` to `to` (inclusive days, UTC). A case still open and
 * untouched for ABANDONED_AFTER_MS before `now` counts as abandoned.
 */
export function summarize(cases: readonly CaseFacts[], from: string, to: string, now: Date): Report {
  const days = daysOf(from, to);
  const perDay = new Map(days.map((day) => [day, 0]));
  const report: Report = {
    from,
    to,
    cases: 0,
    outcomes: { solved: 0, escalated: 0, abandoned: 0, open: 0 },
    solvedAt: {},
    failedAt: { pop3: {}, imap4: {} },
    escalationsByVersion: {},
    casesPerDay: [],
    medianMinutesToTake: null,
  };
  const waits: number[] = [];
  for (const facts of cases) {
    const day = facts.startedAt.slice(0, 10);
    if (!perDay.has(day)) continue;
    perDay.set(day, perDay.get(day)! + 1);
    report.cases += 1;
    const abandoned = facts.outcome === 'open' && now.getTime() - Date.parse(facts.updatedAt) >= ABANDONED_AFTER_MS;
    report.outcomes[abandoned ? 'abandoned' : facts.outcome] += 1;
    if (facts.outcome === 'solved') add(report.solvedAt, facts.solvedAt ?? 'elsewhere');
    if (facts.failedAt && facts.protocol) add(report.failedAt[facts.protocol], facts.failedAt);
    if (facts.outcome === 'escalated') add(report.escalationsByVersion, facts.version ?? 'unknown');
    const waited = minutesToTake(facts);
    if (waited !== undefined) waits.push(waited);
  }
  report.casesPerDay = days.map((day) => ({ day, cases: perDay.get(day)! }));
  const middle = median(waits);
  // Whole minutes: the lead reads how long cases wait, not seconds.
  report.medianMinutesToTake = middle === null ? null : Math.round(middle);
  return report;
}
