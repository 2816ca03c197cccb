// How a conversation is kept between turns, and how a kept one is brought back to life. A record from an
// older flow, or one that no longer fits the machine, starts the flow again instead of crashing the turn.
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { ESCALATION_ID, type EscalationTicket } from '../escalation/handoff';
import { validateDetails } from '../flow/details';
import { FLOW_VERSION, type FlowContext, type FlowSnapshot, type FlowStateName, initialSnapshot, troubleshootingMachine } from '../flow/machine';
import { checkpointsFor, stepsFor } from '../flow/types';
import { isLanguage, type Language } from '../i18n';

export interface ConversationRecord {
  flowVersion: number;
  /** Goes up with every transition; buttons carry it so a click on an old card is recognised. */
  rev: number;
  state: FlowStateName;
  context: FlowContext;
  ticket?: EscalationTicket;
  /** The last few activity ids handled, so a delivery Teams retries is not applied twice. */
  seen?: string[];
  /**
   * Escalations this conversation confirmed to the admin, kept across "start over": the outbox sends only
   * what a conversation kept, since it is written before the conversation is.
   */
  escalations?: string[];
  /** Set when the record is created: numbers this life of the conversation, whose revisions start again at 0. */
  epoch?: string;
  /** The case under way, whose facts the help-desk lead's report counts (see caseFiling). */
  case?: CaseRef;
}

/** What a case's document was last written as: begun (open, pointing here for its progress), or as it ended. */
export type Filed = 'open' | 'final';

/** One case of a conversation: it begins when the admin first gives its details or leaves the form, and again after every "start over". */
export interface CaseRef {
  id: string;
  startedAt: string;
  /** When the case's flow last moved, and the language of its latest turn: the report reads an open case's progress here. */
  at?: string;
  language?: Language;
  /**
   * What the turns so far wrote the case's document as; absent when its first write failed and is still to do,
   * or when the case began while the organisation kept no counts (INSIGHTS=off).
   */
  filed?: Filed;
}

export interface UserPrefs {
  language?: Language;
}

export type { FlowSnapshot };

export function stateName(snapshot: FlowSnapshot): FlowStateName {
  return snapshot.value as FlowStateName;
}

export interface Restored {
  snapshot: FlowSnapshot;
  rev: number;
  ticket?: EscalationTicket;
  seen: string[];
  escalations: string[];
  epoch: string;
  case?: CaseRef;
  /** True when a saved conversation existed but could not be continued. */
  restarted: boolean;
}

/** Keeps what the admin had typed about the case, if it still validates, so a restart costs them nothing. */
function salvage(record: Partial<ConversationRecord>): FlowSnapshot {
  const fresh = initialSnapshot();
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

// Every turn checks the case details it reads back, and they rarely change within a case: checking them again
// (the secret patterns run over each field) was the largest part of bringing a conversation back. The same
// details are valid or not whatever conversation holds them, so the answer is kept by their exact text (a
// few megabytes at most, however long a damaged record's text).
const detailsChecked = new LRUCache<string, boolean>({ max: 4096, maxSize: 2 ** 22, sizeCalculation: (_valid, text) => text.length });

function validDetails(details: object): boolean {
  const text = JSON.stringify(details);
  let valid = detailsChecked.get(text);
  if (valid === undefined) {
    valid = validateDetails({ ...details }).details !== undefined;
    detailsChecked.set(text, valid);
  }
  return valid;
}

/** A record written by this flow version can still be damaged (a hand edit, a partial write): check its shape. */
function fitsMachine(record: ConversationRecord): boolean {
  const context = record.context as Partial<FlowContext> | undefined;
  if (!context || !Array.isArray(context.journal) || !Array.isArray(context.detailErrors)) return false;
  const details = context.details;
  if (details === undefined) return !NEEDS_DETAILS.includes(record.state);
  if (!validDetails(details)) return false;
  if (record.state === 'checkingStep') return context.step !== undefined && stepsFor(details.version).includes(context.step);
  if (record.state === 'showingRemedy') {
    return context.checkpoint !== undefined && checkpointsFor(details.version).includes(context.checkpoint);
  }
  return true;
}

function newEpoch(): string {
  return randomBytes(6).toString('hex');
}

function idsIn(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
}

function caseIn(value: CaseRef | undefined): { case?: CaseRef } {
  if (typeof value?.id !== 'string' || typeof value.startedAt !== 'string') return {};
  const kept: CaseRef = { id: value.id, startedAt: value.startedAt };
  if (typeof value.at === 'string') kept.at = value.at;
  if (isLanguage(value.language)) kept.language = value.language;
  if (value.filed === 'open' || value.filed === 'final') kept.filed = value.filed;
  return { case: kept };
}

export function restore(record: ConversationRecord | undefined): Restored {
  if (!record) return { snapshot: initialSnapshot(), rev: 0, seen: [], escalations: [], epoch: newEpoch(), restarted: false };
  const rev = Number.isInteger(record.rev) ? record.rev + 1 : 1;
  // A restart keeps a case under way too: its revisions go on counting up, so its facts go on being rewritten. A
  // finished case stays as it ended: what comes after the restart is another case.
  const finished = record.state === 'resolved' || record.state === 'escalated';
  const kept = { escalations: idsIn(record.escalations), epoch: typeof record.epoch === 'string' ? record.epoch : '', ...caseIn(record.case) };
  const restart = () => ({ snapshot: salvage(record), rev, seen: [], ...kept, case: finished ? undefined : kept.case, restarted: true });
  if (record.flowVersion !== FLOW_VERSION || !fitsMachine(record)) return restart();
  try {
    // resolveState throws on a state the machine no longer has, which is exactly the case to catch here.
    const snapshot = troubleshootingMachine.resolveState({ value: record.state, context: record.context });
    return { snapshot, rev: record.rev, ticket: record.ticket, seen: idsIn(record.seen), ...kept, restarted: false };
  } catch {
    return restart();
  }
}

/** The object that follows `"name":` in damaged JSON, if that part of it is still whole. */
function wholeObjectAfter(raw: string, name: string): unknown {
  const at = raw.indexOf(`"${name}":{`);
  if (at < 0) return undefined;
  const start = raw.indexOf('{', at);
  let depth = 0;
  let quoted = false;
  for (let i = start; i < raw.length; i++) {
    const c = raw[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      try {
        return JSON.parse(raw.slice(start, i + 1));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * A record whose bytes no longer parse (a torn write, a hand edit): the case details and the escalations
 * it confirmed are kept if their part is still readable, and the conversation starts again in a new life.
 * The case is not kept: revisions start again at 0, and a case's facts never go back to an older revision.
 */
export function restoreDamaged(raw: string): Restored {
  const details = wholeObjectAfter(raw, 'details');
  const escalations = [...new Set(raw.match(new RegExp(ESCALATION_ID.source, 'g')) ?? [])];
  const snapshot = details && typeof details === 'object' ? salvage({ context: { details } } as Partial<ConversationRecord>) : initialSnapshot();
  return { snapshot, rev: 0, seen: [], escalations, epoch: newEpoch(), restarted: true };
}

const SEEN_LIMIT = 16;

const ESCALATIONS_LIMIT = 50;

export interface Kept {
  ticket?: EscalationTicket;
  seen: string[];
  escalations: string[];
  epoch: string;
  case: CaseRef | undefined;
}

export function toRecord(snapshot: FlowSnapshot, rev: number, kept: Kept): ConversationRecord {
  return {
    flowVersion: FLOW_VERSION,
    rev,
    state: stateName(snapshot),
    context: snapshot.context,
    ...(kept.ticket ? { ticket: kept.ticket } : {}),
    seen: kept.seen.slice(-SEEN_LIMIT),
    ...(kept.escalations.length > 0 ? { escalations: kept.escalations.slice(-ESCALATIONS_LIMIT) } : {}),
    ...(kept.epoch ? { epoch: kept.epoch } : {}),
    ...(kept.case ? { case: kept.case } : {}),
  };
}
