// What the help-desk lead's report counts, one small document per case: no mailbox, server, error text or
// name, only what the flow already knows in its own terms. Derived from the flow's state and written when the
// case begins and when it ends, over the case's previous facts, so a retried or replayed turn rewrites the same
// case instead of counting it again. In between, the case's progress is read from its conversation, which
// every turn writes anyway (src/conversation/caseFiling.ts).
import type { EscalationReason, FlowContext, FlowStateName } from '../flow/machine';
import { type CheckpointId, type ExchangeVersion, type Protocol, type StepId, STEPS } from '../flow/types';
import type { Language } from '../i18n';

/** Bump when the shape changes: the report reads older documents through `readCaseFacts`. */
export const CASE_FACTS_VERSION = 1;

export type CaseOutcome = 'open' | 'solved' | 'escalated';

export interface CaseFacts {
  v: typeof CASE_FACTS_VERSION;
  /** Random, and the same for every turn of one case; a "start over" begins another. */
  caseId: string;
  /** The conversation's revision when these facts were taken: an older turn never overwrites a newer one. */
  rev: number;
  startedAt: string;
  updatedAt: string;
  language: Language;
  protocol?: Protocol;
  version?: ExchangeVersion;
  /** The furthest server step the admin was shown. */
  stepReached?: StepId;
  /** The step (or the client settings) last named as failing: by the admin, by a paste, or where they escalated. */
  failedAt?: CheckpointId;
  outcome: CaseOutcome;
  /** Where it started working: the step or fix on screen when the admin said so; absent when they said so elsewhere. */
  solvedAt?: CheckpointId;
  /** Why an escalated case went to the help desk: asked for, no access to the server, or every fix tried. */
  escalationReason?: EscalationReason;
  /** The organisation the admin belongs to: one organisation's report never counts another's cases. */
  tenantId?: string;
  escalatedAt?: string;
  /**
   * When the help desk first took the escalated case: added by the case file (src/escalation), not by a turn,
   * and kept by every later turn's facts. Absent on facts written before the help desk could take cases.
   */
  takenAt?: string;
  solvedAtTime?: string;
  /**
   * While the case is open: the key of the conversation that holds its progress, where the report reads it.
   * An opaque id, no name; the facts a case ends or is left with are written without it (an abandoned case keeps it).
   */
  conversation?: string;
}

// These run on every turn of a case: loops from the end, not reversed copies of the lists or sets of them.
function furthestStep(context: FlowContext): StepId | undefined {
  const reached = (step: StepId) =>
    context.step === step || context.journal.some((entry) => entry.checkpoint === step) || (context.shown ?? []).some((screen) => screen.screen !== 'check' && screen.checkpoint === step);
  for (let i = STEPS.length - 1; i >= 0; i--) if (reached(STEPS[i]!)) return STEPS[i];
  return undefined;
}

/** The checkpoint of the latest journal entry whose outcome is one of `outcomes`. */
function lastWith(context: FlowContext, outcomes: ReadonlyArray<FlowContext['journal'][number]['outcome']>): CheckpointId | undefined {
  for (let i = context.journal.length - 1; i >= 0; i--) if (outcomes.includes(context.journal[i]!.outcome)) return context.journal[i]!.checkpoint;
  return undefined;
}

function lastFailed(context: FlowContext): CheckpointId | undefined {
  return (
    lastWith(context, ['failed', 'remedyTried']) ??
    context.diagnosis?.checkpoint ??
    (context.escalatedFrom && context.escalatedFrom.screen !== 'check' ? context.escalatedFrom.checkpoint : undefined)
  );
}

export interface CaseMoment {
  caseId: string;
  rev: number;
  startedAt: string;
  now: Date;
  language: Language;
  tenantId?: string;
  /** The facts this case had before this turn, whose times stay as they were. */
  before?: CaseFacts;
}

/** The facts of the case as the flow stands after a turn, keeping the times of those kept before (`moment.before`). */
export function caseFacts(state: FlowStateName, context: FlowContext, moment: CaseMoment): CaseFacts {
  const now = moment.now.toISOString();
  const outcome: CaseOutcome = state === 'resolved' ? 'solved' : state === 'escalated' ? 'escalated' : 'open';
  const facts: CaseFacts = { v: CASE_FACTS_VERSION, caseId: moment.caseId, rev: moment.rev, startedAt: moment.startedAt, updatedAt: now, language: moment.language, outcome };
  // Fields set one by one, only when known: an absent field is absent from the stored document, not null.
  if (context.details) facts.protocol = context.details.protocol;
  if (context.details?.version) facts.version = context.details.version;
  const stepReached = furthestStep(context);
  if (stepReached) facts.stepReached = stepReached;
  const failedAt = lastFailed(context);
  if (failedAt) facts.failedAt = failedAt;
  if (moment.tenantId) facts.tenantId = moment.tenantId;
  if (outcome === 'solved') {
    const solvedAt = lastWith(context, ['worked']);
    if (solvedAt) facts.solvedAt = solvedAt;
    facts.solvedAtTime = now;
  }
  if (outcome === 'escalated') {
    if (context.escalationReason) facts.escalationReason = context.escalationReason;
    facts.escalatedAt = now;
  }
  return withEarlierTimes(facts, moment.before);
}

/**
 * A turn's facts over those kept before: when the case was escalated or solved stays as first written, and when
 * the help desk took it, which is not the flow's to know, survives every later turn.
 */
export function withEarlierTimes(facts: CaseFacts, before: CaseFacts | undefined): CaseFacts {
  if (!before) return facts;
  return {
    ...facts,
    ...(facts.escalatedAt && before.escalatedAt ? { escalatedAt: before.escalatedAt } : {}),
    ...(before.takenAt ? { takenAt: before.takenAt } : {}),
    ...(facts.solvedAtTime && before.solvedAtTime ? { solvedAtTime: before.solvedAtTime } : {}),
  };
}

/**
 * Where a case's facts are kept: under the day it started, so a report lists the days of its period and reads
 * only those cases.
 */
export function caseFactsKey(caseId: string, startedAt: string): string {
  return `${CASE_FACTS_PREFIX}${startedAt.slice(0, 10)}/${caseId}`;
}
export const CASE_FACTS_PREFIX = 'cases/';

/** The day a kept case started, from its key; undefined for a key that is not a case's. */
export function startDayOfKey(key: string): string | undefined {
  return /^cases\/(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
}
