// A case after it is escalated, as its own pure state machine beside the troubleshooting flow: no I/O,
// no Bot Framework, no language. The help desk, the admin and the ticketing system feed it events; the
// conversation keeps its snapshot in the case file and tells each party what changed (see ./messages).
import { assign, setup } from 'xstate';

/** Bump when states or context change shape. */
export const CASE_VERSION = 1;

export const CASE_STATES = ['open', 'taken', 'waitingForAdmin', 'withMicrosoft', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATES)[number];

/** Someone who acts on the case: a help-desk member, or the ticketing system speaking for one. */
export interface Member {
  id: string;
  name?: string;
}

export const QUESTION_LIMIT = 2000;
export const SERVICE_REQUEST_LIMIT = 64;

export interface CaseContext {
  owner?: Member;
  /** When the case was first taken, for the help-desk lead's "how long did escalations wait". */
  firstTakenAt?: string;
  /** The question the help desk is waiting on the admin for. */
  question?: { by: Member; text: string };
  /** Microsoft support's service request number, once the case is with Microsoft. */
  serviceRequest?: string;
  resolution?: { by: Member; note: string };
  /** The ticketing system's own number for the case. */
  ticketId?: string;
  /** Why the admin said the fix did not work, the last time they did. */
  reopenReason?: string;
  reopened: number;
}

export type CaseEvent =
  | { type: 'TAKE'; by: Member; at: string }
  /** Taking a case somebody else has, on purpose. */
  | { type: 'TAKE_OVER'; by: Member; at: string }
  | { type: 'ASK'; by: Member; text: string; at: string }
  /** The admin answered the open question; the text goes to the help desk, the machine keeps none of it. */
  | { type: 'ANSWER'; text: string }
  | { type: 'WITH_MICROSOFT'; by: Member; serviceRequest: string; at: string }
  | { type: 'RESOLVE'; by: Member; note: string; at: string }
  /** The admin says the resolution fixed it. */
  | { type: 'FIXED' }
  /** The admin says it did not. */
  | { type: 'NOT_FIXED'; reason: string }
  | { type: 'REOPEN'; by: Member; at: string }
  /**
   * The ticketing system closes the case outright. It is the help desk's system of record, so it may close a
   * case whoever holds it in Teams; no card button closes a case (the admin's "it works" does).
   */
  | { type: 'CLOSE'; by: Member }
  | { type: 'TICKET'; ticketId: string };

export type CaseEventType = CaseEvent['type'];

const sameMember = (a: Member | undefined, b: Member) => a?.id === b.id;

// A second question replaces the first (the admin answers the latest); a new service request number replaces
// the old one (Microsoft opened another).
const WORKED = {
  TAKE_OVER: { guard: 'byOther', actions: 'own' },
  ASK: { guard: 'byOwner', target: 'waitingForAdmin', actions: 'ask' },
  WITH_MICROSOFT: { guard: 'byOwner', target: 'withMicrosoft', actions: 'withMicrosoft' },
  RESOLVE: { guard: 'byOwner', target: 'resolved', actions: 'resolve' },
  CLOSE: { target: 'closed' },
} as const;

export const caseMachine = setup({
  types: { context: {} as CaseContext, events: {} as CaseEvent },
  guards: {
    // Only whoever has the case works it; anybody else must take it over first, so two members never
    // answer the admin at cross purposes.
    byOwner: ({ context, event }) => 'by' in event && sameMember(context.owner, event.by),
    // Anybody but the owner, even when a kept case lost its owner: otherwise nobody could work it again.
    byOther: ({ context, event }) => 'by' in event && !sameMember(context.owner, event.by),
  },
  actions: {
    own: assign(({ context, event }) => {
      if (!('by' in event)) return {};
      const at = 'at' in event ? event.at : undefined;
      return { owner: event.by, ...(context.firstTakenAt || !at ? {} : { firstTakenAt: at }) };
    }),
    ask: assign(({ event }) => (event.type === 'ASK' ? { question: { by: event.by, text: event.text } } : {})),
    answered: assign({ question: undefined }),
    withMicrosoft: assign(({ event }) => (event.type === 'WITH_MICROSOFT' ? { serviceRequest: event.serviceRequest, question: undefined } : {})),
    resolve: assign(({ event }) => (event.type === 'RESOLVE' ? { resolution: { by: event.by, note: event.note }, question: undefined } : {})),
    reopen: assign(({ context, event }) => ({
      reopened: context.reopened + 1,
      resolution: undefined,
      ...(event.type === 'NOT_FIXED' ? { reopenReason: event.reason } : {}),
    })),
    ticket: assign(({ event }) => (event.type === 'TICKET' ? { ticketId: event.ticketId } : {})),
  },
}).createMachine({
  id: 'case',
  initial: 'open',
  context: { reopened: 0 },
  // The ticketing system names its ticket whenever it answers, whatever the case is doing.
  on: { TICKET: { actions: 'ticket' } },
  states: {
    open: {
      on: {
        TAKE: { target: 'taken', actions: 'own' },
        TAKE_OVER: { target: 'taken', actions: 'own' },
        // Asking, sending to Microsoft or resolving an untaken case takes it on the way.
        ASK: { target: 'waitingForAdmin', actions: ['own', 'ask'] },
        WITH_MICROSOFT: { target: 'withMicrosoft', actions: ['own', 'withMicrosoft'] },
        RESOLVE: { target: 'resolved', actions: ['own', 'resolve'] },
        CLOSE: { target: 'closed' },
      },
    },
    // While somebody works it: the owner moves it on; a take-over keeps the status, with a new owner.
    taken: { on: { ...WORKED } },
    waitingForAdmin: {
      on: {
        ...WORKED,
        ANSWER: [{ guard: ({ context }) => context.serviceRequest !== undefined, target: 'withMicrosoft', actions: 'answered' }, { target: 'taken', actions: 'answered' }],
      },
    },
    withMicrosoft: { on: { ...WORKED } },
    resolved: {
      on: {
        FIXED: { target: 'closed' },
        NOT_FIXED: { target: 'taken', actions: 'reopen' },
        // Until the admin answers "did this fix it?", only whoever resolved it may take it back.
        REOPEN: { guard: 'byOwner', target: 'taken', actions: 'reopen' },
        CLOSE: { target: 'closed' },
      },
    },
    closed: {
      on: {
        REOPEN: { target: 'taken', actions: ['own', 'reopen'] },
      },
    },
  },
});

export type CaseSnapshot = ReturnType<typeof caseMachine.resolveState>;

export function caseStatus(snapshot: CaseSnapshot): CaseStatus {
  return snapshot.value as CaseStatus;
}
