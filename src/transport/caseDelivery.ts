// How each party is shown a case's messages in Teams, one message at a time (the couriers in
// src/escalation/courier.ts decide which and when): the admin in their own chat with the bot and language;
// the help desk by the case card redrawn in place, and by replies in the card's thread.
import type { CaseSend } from '../escalation/courier';
import type { HelpdeskDirectory } from '../escalation/helpdesk';
import type { Language } from '../i18n';
import { renderAdminMessage, renderCaseCard, renderChannelNote } from '../rendering/caseCards';
import { type Transport, conversationKind } from './transport';

export function adminCaseSender(transport: Transport): CaseSend {
  return async (message, file) => {
    if (message.to !== 'admin') throw new Error(`a message to the ${message.to} was handed to the admin's courier`);
    const { replyTo, language } = file.admin;
    if (!replyTo) return; // an escalation with no way back to its admin: nothing to wait for
    const card = renderAdminMessage(message, file, language);
    await transport.post(replyTo, conversationKind(replyTo), { card });
  };
}

/**
 * The channel's serviceUrl and tenant are the registered help desk's: a case file keeps only where its
 * card is, within that channel.
 */
export function channelCaseSender(transport: Transport, directory: HelpdeskDirectory, language: Language): CaseSend {
  return async (message, file) => {
    if (message.to !== 'channel') throw new Error(`a message to the ${message.to} was handed to the channel's courier`);
    const { post } = file;
    // Thrown, so tried again later: the card's own delivery records where it landed, and wakes this courier.
    if (!post) throw new Error('the case card is not in the help-desk channel yet');
    const channel = await directory.address();
    if (!channel) throw new Error('no help-desk channel is registered; type "register help desk" in the channel');
    if (message.kind === 'card') {
      const card = renderCaseCard(file, language);
      await transport.update({ ...channel, conversationId: post.conversationId }, 'channel', post.activityId, { card });
      return;
    }
    // A channel message's thread is a conversation of its own: the channel's id with ";messageid=<root id>"
    // (https://learn.microsoft.com/en-us/dotnet/api/microsoft.teams.core.schema.conversationextensions.tothreadedconversationid).
    const thread = `${post.conversationId};messageid=${post.activityId}`;
    await transport.post({ ...channel, conversationId: thread }, 'channel', { text: renderChannelNote(message.note, file, language) });
  };
}
