// Moving a kept case by one event: the only way the rest of the code touches the case machine.
import { transition } from 'xstate';
import { type CaseContext, type CaseEvent, type CaseSnapshot, type CaseStatus, CASE_STATES, caseMachine, caseStatus } from './machine';
import { type Admin, type CaseMessage, messagesFor } from './messages';

export function newCase(): CaseSnapshot {
  return caseMachine.resolveState({ value: 'open', context: { reopened: 0 } });
}

/** A kept status and context back into a snapshot; anything that does not fit reads as a new, open case. */
export function restoreCase(status: unknown, context: unknown): CaseSnapshot {
  if (!CASE_STATES.includes(status as CaseStatus) || typeof context !== 'object' || context === null) return newCase();
  const kept = context as Partial<CaseContext>;
  return caseMachine.resolveState({ value: status as CaseStatus, context: { ...kept, reopened: typeof kept.reopened === 'number' ? kept.reopened : 0 } });
}

export type Step = { accepted: true; snapshot: CaseSnapshot; messages: CaseMessage[] } | { accepted: false; snapshot: CaseSnapshot };

export function step(snapshot: CaseSnapshot, event: CaseEvent, admin: Admin): Step {
  if (!snapshot.can(event)) return { accepted: false, snapshot };
  const [next] = transition(caseMachine, snapshot, event);
  return { accepted: true, snapshot: next, messages: messagesFor(event, snapshot, admin) };
}

export { caseStatus };
