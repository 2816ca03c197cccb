// A message the bot starts itself (not an answer to a turn): to the help desk's channel, or back to an
// admin about their escalation. The conversation's address is all CloudAdapter needs to sign and send it.
import type { Activity, CloudAdapter, TurnContext } from 'botbuilder';

export interface ConversationAddress {
  channelId: string;
  serviceUrl: string;
  conversationId: string;
  tenantId?: string;
}

/** What kind of conversation an admin's reply address is: where they escalated from. */
export function conversationKind(address: { conversationType?: string }): 'channel' | 'personal' {
  return address.conversationType === 'channel' ? 'channel' : 'personal';
}

async function inConversation<T>(
  adapter: CloudAdapter,
  appId: string,
  address: ConversationAddress,
  kind: 'channel' | 'personal',
  work: (context: TurnContext) => Promise<T>,
): Promise<T> {
  const reference = {
    channelId: address.channelId,
    serviceUrl: address.serviceUrl,
    conversation: { id: address.conversationId, isGroup: kind === 'channel', conversationType: kind, tenantId: address.tenantId, name: '' },
  };
  // The adapter hands an error inside the callback to onTurnError and resolves as if all went well;
  // the caller must hear of it instead (the outbox keeps the entry and tries again later).
  const outcome: { ran?: { value: T }; failure?: unknown } = {};
  await adapter.continueConversationAsync(appId, reference, async (context) => {
    try {
      outcome.ran = { value: await work(context) };
    } catch (error) {
      outcome.failure = error;
    }
  });
  if (!outcome.ran) throw outcome.failure;
  return outcome.ran.value;
}

/** Posts a new message; resolves to the id Teams gave it (how it is updated, or replied to, later). */
export async function postProactively(
  adapter: CloudAdapter,
  appId: string,
  address: ConversationAddress,
  kind: 'channel' | 'personal',
  activity: Partial<Activity>,
): Promise<string | undefined> {
  return inConversation(adapter, appId, address, kind, async (context) => (await context.sendActivity(activity))?.id);
}

/** Replaces a message the bot posted earlier, in place: PUT /v3/conversations/{conversation}/activities/{activity}. */
export async function updateProactively(
  adapter: CloudAdapter,
  appId: string,
  address: ConversationAddress,
  kind: 'channel' | 'personal',
  activityId: string,
  activity: Partial<Activity>,
): Promise<void> {
  await inConversation(adapter, appId, address, kind, async (context) => {
    await context.updateActivity({ ...activity, id: activityId });
  });
}
