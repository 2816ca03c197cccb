// Who counts as the help desk: whoever writes or clicks in the registered help-desk channel. Teams lets
// only a team's members post or click there, so the channel is the membership check.
import type { CaseFile } from '../escalation/caseFile';
import { type HelpdeskAddress, channelOf } from '../escalation/helpdesk';

/** Where a message or click came from. */
export interface Asker {
  channelId: string;
  conversationId: string;
  conversationType?: string;
  tenantId?: string;
}


/** The root message of the thread a channel message was written in, if any. */
export function threadOf(conversationId: string): string | undefined {
  return /;messageid=([^;]+)/.exec(conversationId)?.[1];
}

export function isHelpdeskChannel(asker: Asker, helpdesk: HelpdeskAddress | undefined): boolean {
  return (
    helpdesk !== undefined &&
    asker.conversationType === 'channel' &&
    asker.channelId === helpdesk.channelId &&
    channelOf(asker.conversationId) === channelOf(helpdesk.conversationId) &&
    (helpdesk.tenantId === undefined || asker.tenantId === helpdesk.tenantId)
  );
}

/** Where a case's card was posted: its channel, and the root of its thread. */
type CasePost = NonNullable<CaseFile['post']>;

/**
 * Whether the asker may work a case: a member of the registered help-desk channel, or of the channel the
 * case's card was posted in. A help desk that moves to another channel keeps working the cases it already had
 * there; the organisation is still the registration's.
 */
export function mayWorkCase(asker: Asker, helpdesk: HelpdeskAddress | undefined, post: CasePost | undefined): boolean {
  if (isHelpdeskChannel(asker, helpdesk)) return true;
  return (
    post !== undefined &&
    asker.conversationType === 'channel' &&
    channelOf(asker.conversationId) === channelOf(post.conversationId) &&
    (helpdesk === undefined || asker.channelId === helpdesk.channelId) &&
    (helpdesk?.tenantId === undefined || asker.tenantId === helpdesk.tenantId)
  );
}

/** Whether a channel message was written in the thread under the case's card. */
export function inCaseThread(asker: Asker, post: CasePost): boolean {
  return channelOf(asker.conversationId) === channelOf(post.conversationId) && threadOf(asker.conversationId) === post.activityId;
}
