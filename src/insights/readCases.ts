// The cases of a period, read from the bot's store: only the days of the period are listed (facts are kept
// under the day their case started), so a report over a week costs a week's cases however old the store is.
import { isCheckpoint, isExchangeVersion, isProtocol, STEPS } from '../flow/types';
import { CASE_FACTS_PREFIX, CASE_FACTS_VERSION, type CaseFacts } from './caseFacts';
import { daysOf } from './report';
import { DamagedValueError, type KeyValueStore } from '../storage/store';

/**
 * Reads in flight at once: Blob Storage answers each in a round trip, and SQLite's thread takes all that are
 * asked for before the event loop turns as one message (32 at a time made the report twice as slow there).
 */
const READS_IN_FLIGHT = 128;

const OUTCOMES: ReadonlySet<unknown> = new Set(['open', 'solved', 'escalated']);
const isTime = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const optional = (value: unknown, is: (value: unknown) => boolean) => value === undefined || is(value);

/** Facts the report can count without tripping: a hand edit or an older shape reads as damaged instead. */
export function isCaseFacts(value: unknown): value is CaseFacts {
  if (typeof value !== 'object' || value === null) return false;
  const facts = value as Record<string, unknown>;
  return (
    facts.v === CASE_FACTS_VERSION &&
    typeof facts.caseId === 'string' &&
    isTime(facts.startedAt) &&
    isTime(facts.updatedAt) &&
    OUTCOMES.has(facts.outcome) &&
    optional(facts.protocol, isProtocol) &&
    optional(facts.version, isExchangeVersion) &&
    optional(facts.stepReached, (step) => (STEPS as readonly unknown[]).includes(step)) &&
    optional(facts.failedAt, isCheckpoint) &&
    optional(facts.solvedAt, isCheckpoint) &&
    optional(facts.tenantId, (tenant) => typeof tenant === 'string') &&
    optional(facts.takenAt, isTime) &&
    optional(facts.conversation, (key) => typeof key === 'string')
  );
}


/**
 * An open case as it stands now, from the facts written when it began: its conversation holds the progress
 * (src/conversation/caseProgress.ts), which this room may not read itself.
 */
export type ProgressReader = (begun: CaseFacts) => Promise<CaseFacts>;

/**
 * The facts of every case that started from `from` to `to` (inclusive days, YYYY-MM-DD, UTC), each open case
 * as `progress` finds it now. A document that is not JSON, or not a case's facts, is skipped and counted in
 * `damaged`, left where it is for the operator: a report never writes to the store. A store that cannot be read
 * fails the whole read.
 */
export async function readCases(store: KeyValueStore, from: string, to: string, progress: ProgressReader): Promise<{ cases: CaseFacts[]; damaged: number }> {
  const keys: string[] = [];
  for (const day of daysOf(from, to)) keys.push(...(await store.keys(`${CASE_FACTS_PREFIX}${day}/`)));
  const cases: CaseFacts[] = [];
  let damaged = 0;
  const readOne = async (key: string) => {
    try {
      const stored = await store.read<unknown>(key);
      if (stored === undefined) return; // deleted since it was listed
      if (isCaseFacts(stored.value)) cases.push(stored.value.conversation === undefined ? stored.value : await progress(stored.value));
      else damaged += 1;
    } catch (error) {
      if (!(error instanceof DamagedValueError)) throw error;
      damaged += 1;
    }
  };
  for (let next = 0; next < keys.length; next += READS_IN_FLIGHT) {
    // Every read waits for its store's answer, so the admins' turns go on between the reads of a big period.
    await Promise.all(keys.slice(next, next + READS_IN_FLIGHT).map(readOne));
  }
  return { cases, damaged };
}
