// The ticketing system's reports on a case (schema popimap-bot/case-event@1, README: "Ticketing system → bot"):
// what an event may say, and what it does to the case file. Who sent it is checked before, at the HTTP route.
import { z } from 'zod';
import { type CaseEvent, type Member, QUESTION_LIMIT, SERVICE_REQUEST_LIMIT } from '../casework/machine';
import { maskedHead } from '../flow/secrets';
import type { Applied, Casework, Change } from './caseFile';

export const CASE_EVENT_SCHEMA = 'popimap-bot/case-event@1';

export const TICKET_ID_LIMIT = 64;
export const AUTHOR_NAME_LIMIT = 128;

/** The ticketing system acts on a case as one member, shown under the name of whoever worked the ticket. */
export const TICKETING_MEMBER_ID = 'ticketing';

const text = (limit: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(limit, `must be at most ${limit} characters`);

const common = {
  schema: z.literal(CASE_EVENT_SCHEMA, { error: `must be "${CASE_EVENT_SCHEMA}"` }),
  // The path's id is not signed; the body's is, so an event signed for one case cannot be posted to another.
  escalationId: z.string({ error: 'is required' }),
  eventId: z.string({ error: 'is required' }).regex(/^[\x21-\x7e]{1,128}$/, 'must be 1 to 128 visible ASCII characters, without spaces'),
};
// Whoever worked the ticket is who the admin and the channel are told acted: a status or a comment needs one.
const author = z.object({ name: text(AUTHOR_NAME_LIMIT) }, { error: 'is required: the name of whoever worked the ticket' });
const status = { ...common, author, type: z.literal('status'), ticketId: text(TICKET_ID_LIMIT).optional() };

const caseEventSchema = z.discriminatedUnion('type', [
  z.discriminatedUnion('status', [
    z.object({ ...status, status: z.literal('inProgress') }),
    z.object({ ...status, status: z.literal('withMicrosoft'), serviceRequest: text(SERVICE_REQUEST_LIMIT) }),
    z.object({ ...status, status: z.literal('resolved'), note: text(QUESTION_LIMIT) }),
    z.object({ ...status, status: z.literal('closed') }),
    z.object({ ...status, status: z.literal('reopened') }),
  ]),
  z.object({ ...common, author, type: z.literal('comment'), comment: text(QUESTION_LIMIT) }),
  z.object({ ...common, author: author.optional(), type: z.literal('ticket'), ticketId: text(TICKET_ID_LIMIT) }),
]);

export type CaseEventBody = z.infer<typeof caseEventSchema>;

/** The event, or a sentence naming the first field that is wrong. Fields the schema does not know are ignored. */
export function readCaseEvent(body: unknown): { event: CaseEventBody } | { problem: string } {
  const parsed = caseEventSchema.safeParse(body);
  if (parsed.success) return { event: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { problem: issue.path.length > 0 ? `"${issue.path.join('.')}" ${issue.message}.` : 'The body must be a JSON object.' };
}

// Everything an event says reaches the admin and the channel, so it is masked like anything the admin types.
function statusEvent(event: Extract<CaseEventBody, { type: 'status' }>, by: Member, owner: Member | undefined, at: string): CaseEvent {
  switch (event.status) {
    case 'inProgress':
      // The ticketing system is the case's system of record: a case somebody else has, it takes over.
      return owner && owner.id !== by.id ? { type: 'TAKE_OVER', by, at } : { type: 'TAKE', by, at };
    case 'withMicrosoft':
      return { type: 'WITH_MICROSOFT', by, serviceRequest: maskedHead(event.serviceRequest, SERVICE_REQUEST_LIMIT), at };
    case 'resolved':
      return { type: 'RESOLVE', by, note: maskedHead(event.note, QUESTION_LIMIT), at };
    case 'closed':
      return { type: 'CLOSE', by };
    case 'reopened':
      return { type: 'REOPEN', by, at };
  }
}

function changeFor(event: CaseEventBody, by: Member, owner: Member | undefined, at: string): Change {
  switch (event.type) {
    case 'status':
      return { event: statusEvent(event, by, owner, at) };
    case 'ticket':
      return { event: { type: 'TICKET', ticketId: maskedHead(event.ticketId, TICKET_ID_LIMIT) } };
    case 'comment': {
      const text = maskedHead(event.comment, QUESTION_LIMIT);
      return { say: [{ to: 'admin', kind: 'comment', by, text }, { to: 'channel', kind: 'note', note: { what: 'comment', by, text } }] };
    }
  }
}

/**
 * Applies an event to case `id`, once per event id. A status event that also names the ticket records the
 * ticket after the status, under an id of its own, so that a retry after a crash between the two still
 * records it; an event the case refuses records nothing.
 */
export async function applyCaseEvent(casework: Casework, id: string, event: CaseEventBody, at: string): Promise<Applied> {
  const by: Member = { id: TICKETING_MEMBER_ID, ...(event.author ? { name: maskedHead(event.author.name, AUTHOR_NAME_LIMIT) } : {}) };
  const seenId = `event:${event.eventId}`;
  const first = changeFor(event, by, undefined, at);
  let applied = await casework.apply(id, { ...first, seenId });
  if (applied.outcome === 'refused') {
    // Refused as a TAKE because somebody has the case: the same event, as a TAKE_OVER.
    const again = changeFor(event, by, applied.file.context.owner, at);
    if (again.event?.type !== first.event?.type) applied = await casework.apply(id, { ...again, seenId });
  }
  if (applied.outcome === 'refused' || applied.outcome === 'unknown' || event.type !== 'status' || !event.ticketId) return applied;
  const ticket = await casework.apply(id, { event: { type: 'TICKET', ticketId: maskedHead(event.ticketId, TICKET_ID_LIMIT) }, seenId: `${seenId}/ticket` });
  return ticket.outcome === 'applied' ? { ...applied, file: ticket.file } : applied;
}
