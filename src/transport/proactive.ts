// A message the bot starts itself (not an answer to a turn): to the help desk's channel, or back to an
// admin about their escalation. The conversation's address is all CloudAdapter needs to sign and send it.
import type { Activity, CloudAdapter } from 'botbuilder';

export interface ConversationAddress {
  channelId: string;
  serviceUrl: string;
  conversationId: string;
  tenantId?: string;
}

export async function postProactively(
  adapter: CloudAdapter,
  appId: string,
  address: ConversationAddress,
  kind: 'channel' | 'personal',
  activity: Partial<Activity>,
): Promise<void> {
  const reference = {
    channelId: address.channelId,
    serviceUrl: address.serviceUrl,
    conversation: { id: address.conversationId, isGroup: kind === 'channel', conversationType: kind, tenantId: address.tenantId, name: '' },
  };
  // The adapter hands an error inside the callback to onTurnError and resolves as if all went well;
  // the caller must hear of it instead (the outbox keeps the entry and tries again later).
  let failure: unknown;
  await adapter.continueConversationAsync(appId, reference, async (context) => {
    try {
      await context.sendActivity(activity);
    } catch (error) {
      failure = error;
    }
  });
  if (failure !== undefined) throw failure;
}
