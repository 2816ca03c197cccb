// The case machine's graph, for tests: every event the help desk, the admin and the ticketing system can
// send, and the states they lead to.
import { getShortestPaths } from 'xstate/graph';
import type { StatePath } from 'xstate/graph';
import { type CaseEvent, type CaseSnapshot, type CaseStatus, type Member, caseMachine } from '../../src/casework/machine';
import type { Admin } from '../../src/casework/messages';

export const TARO: Member = { id: 'taro', name: 'Taro' };
export const HANAKO: Member = { id: 'hanako', name: 'Hanako' };
/** A member who has not touched the case yet. */
export const JIRO: Member = { id: 'jiro', name: 'Jiro' };
export const ADMIN: Admin = { id: 'admin', name: 'Kenji' };
export const AT = '2025-05-01T09:00:00.000Z';

/** Everything one help-desk member can do to a case. */
export function memberEvents(by: Member, at = AT): CaseEvent[] {
  return [
    { type: 'TAKE', by, at },
    { type: 'TAKE_OVER', by, at },
    { type: 'ASK', by, text: 'Which client shows the error?', at },
    { type: 'WITH_MICROSOFT', by, serviceRequest: '2505010040001234', at },
    { type: 'RESOLVE', by, note: 'Re-enabled IMAP4 on the mailbox.', at },
    { type: 'REOPEN', by, at },
    { type: 'CLOSE', by },
  ];
}

export const ADMIN_EVENTS: CaseEvent[] = [
  { type: 'ANSWER', text: 'Outlook 2016 on the front desk PCs.' },
  { type: 'FIXED' },
  { type: 'NOT_FIXED', reason: 'Still asks for a password.' },
];

export const EVENTS: CaseEvent[] = [...memberEvents(TARO), ...memberEvents(HANAKO), ...ADMIN_EVENTS, { type: 'TICKET', ticketId: 'INC0012345' }];

/**
 * What makes two snapshots behave differently: the status, who owns the case (the guards compare it with
 * whoever acts) and whether it has a service request (where an answer leads). Nothing else is read by a
 * guard, so one path to each key reaches every behaviour the machine has.
 */
export function caseKey(snapshot: CaseSnapshot): string {
  return JSON.stringify({ status: snapshot.value, owner: snapshot.context.owner?.id, serviceRequest: snapshot.context.serviceRequest !== undefined });
}

export type CasePath = StatePath<CaseSnapshot, CaseEvent>;

export function shortestPaths(fromState?: CaseSnapshot): CasePath[] {
  return getShortestPaths(caseMachine, { events: EVENTS, serializeState: caseKey, ...(fromState ? { fromState } : {}) });
}

/** The quickest way from a snapshot to a given status. */
export function shortestWayTo(status: CaseStatus, from: CaseSnapshot): CasePath | undefined {
  // By state name: the graph walker reuses snapshot objects, so their `status` is not reliable here.
  return shortestPaths(from)
    .filter((p) => p.state.value === status)
    .sort((a, b) => a.steps.length - b.steps.length)[0];
}
