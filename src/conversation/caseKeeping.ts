// Which case a turn belongs to, and the writes of that case's document for the help-desk lead's report, made
// once the turn has kept the conversation. The conversation comes first: a case's document that fails to be
// written is logged, and the admin's turn stands.
import { randomBytes } from 'node:crypto';
import type { Language } from '../i18n';
import { type CaseFacts, caseFacts, caseFactsKey, withEarlierTimes } from '../insights/caseFacts';
import type { Logger } from '../logging';
import { readOrSetAside } from '../storage/damaged';
import { EtagConflictError, type KeyValueStore } from '../storage/store';
import { type CaseRef, type FlowSnapshot, type Restored, stateName } from './record';

/** The flow as "start over" leaves it: asking for a case's details, with none kept. */
function startedAfresh(snapshot: FlowSnapshot): boolean {
  return stateName(snapshot) === 'gathering' && snapshot.context.details === undefined;
}

/** A case has begun once the admin gave its details, or left the form without them (an escalation at once). */
function begun(snapshot: FlowSnapshot): boolean {
  return snapshot.context.details !== undefined || stateName(snapshot) !== 'gathering';
}

/**
 * The case of this turn, if one is under way: the conversation's own, kept until a "start over"; a new one,
 * dated now, when the turn began it. A welcome or a greeting begins nothing, so a case is dated by when the
 * admin brought it, not by when the bot was installed. "Back" to the case form keeps the details, and so the
 * case: correcting a version is not a second case.
 */
export function caseAfter(restored: Restored, after: FlowSnapshot, now: Date): CaseRef | undefined {
  const startedOver = startedAfresh(after) && !startedAfresh(restored.snapshot);
  if (restored.case && !startedOver) return restored.case;
  return begun(after) ? { id: randomBytes(8).toString('hex'), startedAt: now.toISOString() } : undefined;
}

export interface CaseTurn {
  case: CaseRef;
  snapshot: FlowSnapshot;
  /** The conversation's revision after the turn: facts of a later revision are never overwritten. */
  rev: number;
  language: Language;
  tenantId?: string;
  now: Date;
}

/** The facts of the turn's case as the turn leaves it, before the times kept with earlier facts. */
export function factsOfTurn(turn: CaseTurn): CaseFacts {
  const moment = { caseId: turn.case.id, rev: turn.rev, startedAt: turn.case.startedAt, now: turn.now, language: turn.language, tenantId: turn.tenantId };
  return caseFacts(stateName(turn.snapshot), turn.snapshot.context, moment);
}

// Two instances racing on one case's facts: the loser reads the winner's, which are then as new as its own.
const ATTEMPTS = 3;

/**
 * Writes a case's facts, read first and written with their eTag, keeping the times of those kept before. Facts
 * of a turn that is not newer than those already kept (a late turn, a racing click the other instance already
 * counted) write nothing. False when the write failed (logged): the caller decides who does it again. A case
 * its conversation has no write of (`first`) is written create-only without reading: its id is new, so a document
 * already there is one a write reported failed had kept, a retry's, or a damaged one, and only then is it read.
 */
export async function keepCaseFacts(store: KeyValueStore, log: Logger, facts: CaseFacts, first = false): Promise<boolean> {
  const key = caseFactsKey(facts.caseId, facts.startedAt);
  try {
    if (first) {
      try {
        await store.write(key, facts, null);
        return true;
      } catch (error) {
        if (!(error instanceof EtagConflictError)) throw error;
      }
    }
    for (let attempt = 1; ; attempt++) {
      const { stored } = await readOrSetAside<CaseFacts>(store, key, new Date(facts.updatedAt), (damaged) =>
        log.error({ key, bytes: damaged.raw.length }, "a case's facts are damaged; kept aside under damaged/ for the operator, writing them afresh"),
      );
      const before = typeof stored?.value?.rev === 'number' ? stored.value : undefined;
      if (before && before.rev >= facts.rev) return true;
      try {
        await store.write(key, withEarlierTimes(facts, before), stored?.etag ?? null);
        return true;
      } catch (error) {
        if (!(error instanceof EtagConflictError) || attempt === ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    log.error({ err: error, key }, "a case's facts could not be written; the conversation was kept and the turn stands");
    return false;
  }
}

/**
 * A case "start over" left open: written as it ended, to count as abandoned. One that never got past the form
 * (the admin fixing a typo in the version) was no case: its document is removed instead.
 */
export async function leaveCase(store: KeyValueStore, log: Logger, left: CaseFacts): Promise<void> {
  if (left.outcome !== 'open' || left.stepReached !== undefined || left.failedAt !== undefined) {
    await keepCaseFacts(store, log, left);
    return;
  }
  const key = caseFactsKey(left.caseId, left.startedAt);
  try {
    await store.delete(key);
  } catch (error) {
    // Left in place it counts as abandoned in a day: a count off by one, not a reason to fail the admin's turn.
    log.warn({ err: error, key }, 'a case left at the form could not be forgotten; it will count as abandoned');
  }
}
