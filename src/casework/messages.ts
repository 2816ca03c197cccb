// Who is told what when a case moves: pure, so the same event always tells the same people the same
// things, whichever party or instance applied it. Words are the rendering room's; this names facts only.
import { createHash } from 'node:crypto';
import { type CaseEvent, type CaseSnapshot, type Member, caseStatus } from './machine';

/** Said in the case's thread in the help-desk channel, under the case card. */
export type ChannelNote =
  | { what: 'answer'; by: Member; text: string }
  | { what: 'fixed'; by: Member }
  | { what: 'notFixed'; by: Member; text: string }
  | { what: 'comment'; by: Member; text: string };

export type CaseMessage =
  | { to: 'admin'; kind: 'taken'; by: Member }
  | { to: 'admin'; kind: 'question'; by: Member; text: string }
  | { to: 'admin'; kind: 'withMicrosoft'; by: Member; serviceRequest: string }
  | { to: 'admin'; kind: 'resolved'; by: Member; note: string }
  | { to: 'admin'; kind: 'reopened'; by: Member }
  | { to: 'admin'; kind: 'closed' }
  | { to: 'admin'; kind: 'ticket'; ticketId: string }
  | { to: 'admin'; kind: 'comment'; by: Member; text: string }
  /** The case card in the channel is drawn again, in place, as the case now stands. */
  | { to: 'channel'; kind: 'card' }
  | { to: 'channel'; kind: 'note'; note: ChannelNote };

export type Recipient = CaseMessage['to'];

/** The admin, as the help desk sees them in the thread. */
export interface Admin {
  id: string;
  name?: string;
}

/**
 * What each party hears of an event the machine took from `before`. An event the machine refused
 * tells nobody anything: the caller answers the one who sent it.
 */
export function messagesFor(event: CaseEvent, before: CaseSnapshot, admin: Admin): CaseMessage[] {
  const card: CaseMessage = { to: 'channel', kind: 'card' };
  const was = caseStatus(before);
  switch (event.type) {
    case 'TAKE':
    case 'TAKE_OVER':
      return [card, { to: 'admin', kind: 'taken', by: event.by }];
    case 'ASK':
      return [card, ...(was === 'open' ? [{ to: 'admin', kind: 'taken', by: event.by } as const] : []), { to: 'admin', kind: 'question', by: event.by, text: event.text }];
    case 'ANSWER':
      return [{ to: 'channel', kind: 'note', note: { what: 'answer', by: admin, text: event.text } }, card];
    case 'WITH_MICROSOFT':
      return [card, { to: 'admin', kind: 'withMicrosoft', by: event.by, serviceRequest: event.serviceRequest }];
    case 'RESOLVE':
      return [card, { to: 'admin', kind: 'resolved', by: event.by, note: event.note }];
    case 'FIXED':
      return [{ to: 'channel', kind: 'note', note: { what: 'fixed', by: admin } }, card];
    case 'NOT_FIXED':
      return [{ to: 'channel', kind: 'note', note: { what: 'notFixed', by: admin, text: event.reason } }, card];
    case 'REOPEN':
      return [card, { to: 'admin', kind: 'reopened', by: event.by }];
    case 'CLOSE':
      return [card, { to: 'admin', kind: 'closed' }];
    case 'TICKET':
      return before.context.ticketId === event.ticketId ? [] : [card, { to: 'admin', kind: 'ticket', ticketId: event.ticketId }];
  }
}

/**
 * Names what an admin's button answers (the question, or the resolution, it was drawn for), so that an answer
 * on an older card is not taken for an answer to a newer one. Short: it only tells texts of one case apart.
 */
export function aboutText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
