// How a conversation is kept between turns, and how a kept one is brought back to life. A record from an
// older flow, or one that no longer fits the machine, starts the flow again instead of crashing the turn.
import { initialTransition } from 'xstate';
import type { EscalationTicket } from '../escalation/handoff';
import { validateDetails } from '../flow/details';
import { FLOW_VERSION, type FlowContext, type FlowStateName, troubleshootingMachine } from '../flow/machine';
import { checkpointsFor, stepsFor } from '../flow/types';
import type { Language } from '../i18n';

export interface ConversationRecord {
  flowVersion: number;
  /** Goes up with every transition; buttons carry it so a click on an old card is recognised. */
  rev: number;
  state: FlowStateName;
  context: FlowContext;
  ticket?: EscalationTicket;
  /** The last few activity ids handled, so a delivery Teams retries is not applied twice. */
  seen?: string[];
}

export interface UserPrefs {
  language?: Language;
}

export type FlowSnapshot = ReturnType<typeof troubleshootingMachine.resolveState>;

export function freshSnapshot(): FlowSnapshot {
  return initialTransition(troubleshootingMachine)[0];
}

export function stateName(snapshot: FlowSnapshot): FlowStateName {
  return snapshot.value as FlowStateName;
}

export interface Restored {
  snapshot: FlowSnapshot;
  rev: number;
  ticket?: EscalationTicket;
  seen: string[];
  /** True when a saved conversation existed but could not be continued. */
  restarted: boolean;
}

/** Keeps what the admin had typed about the case, if it still validates, so a restart costs them nothing. */
function salvage(record: Partial<ConversationRecord>): FlowSnapshot {
  const fresh = freshSnapshot();
  const details = record.context?.details;
  if (!details || typeof details !== 'object') return fresh;
  const draft = validateDetails({ ...(details as object) }).details;
  return draft
    ? troubleshootingMachine.resolveState({ value: 'gathering', context: { ...fresh.context, draft: { ...draft } } })
    : fresh;
}

// The screens of these states read the case details; the others also work for a case escalated at once.
const NEEDS_DETAILS: readonly FlowStateName[] = [
  'clientSettings',
  'checkingAccess',
  'checkingStep',
  'choosingFailedStep',
  'unsure',
  'showingRemedy',
  'checkingSettings',
];

/** A record written by this flow version can still be damaged (a hand edit, a partial write): check its shape. */
function fitsMachine(record: ConversationRecord): boolean {
  const context = record.context as Partial<FlowContext> | undefined;
  if (!context || !Array.isArray(context.journal) || !Array.isArray(context.detailErrors)) return false;
  const details = context.details;
  if (details === undefined) return !NEEDS_DETAILS.includes(record.state);
  if (validateDetails({ ...details }).details === undefined) return false;
  if (record.state === 'checkingStep') return context.step !== undefined && stepsFor(details.version).includes(context.step);
  if (record.state === 'showingRemedy') {
    return context.checkpoint !== undefined && checkpointsFor(details.version).includes(context.checkpoint);
  }
  return true;
}

export function restore(record: ConversationRecord | undefined): Restored {
  if (!record) return { snapshot: freshSnapshot(), rev: 0, seen: [], restarted: false };
  const rev = Number.isInteger(record.rev) ? record.rev + 1 : 1;
  if (record.flowVersion !== FLOW_VERSION) return { snapshot: salvage(record), rev, seen: [], restarted: true };
  if (!fitsMachine(record)) return { snapshot: salvage(record), rev, seen: [], restarted: true };
  try {
    // resolveState throws on a state the machine no longer has, which is exactly the case to catch here.
    const snapshot = troubleshootingMachine.resolveState({ value: record.state, context: record.context });
    return { snapshot, rev: record.rev, ticket: record.ticket, seen: Array.isArray(record.seen) ? record.seen : [], restarted: false };
  } catch {
    return { snapshot: salvage(record), rev, seen: [], restarted: true };
  }
}

const SEEN_LIMIT = 16;

export function toRecord(snapshot: FlowSnapshot, rev: number, ticket: EscalationTicket | undefined, seen: string[]): ConversationRecord {
  return {
    flowVersion: FLOW_VERSION,
    rev,
    state: stateName(snapshot),
    context: snapshot.context,
    ...(ticket ? { ticket } : {}),
    seen: seen.slice(-SEEN_LIMIT),
  };
}
