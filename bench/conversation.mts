// A realistic conversation with the full bot, as Teams would send it: the bot is added, the admin fills
// the case card, walks three steps, says one failed, and types "step 2". Buttons carry the revision the
// bot drew them for, so each click uses the data of the card the bot returned.
import type { Post } from './load.mts';

const CASE = { protocol: 'pop3', version: '2016', server: 'EX01', mailbox: 'taro@contoso.com', errorText: '' };

export function activity(serviceUrl: string, conversation: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: conversation, conversationType: 'personal' },
    from: { id: `user-${conversation}`, name: 'Bench Admin' },
    recipient: { id: 'bot' },
    locale: 'en-US',
    ...extra,
  };
}

function buttonData(card: unknown, verb: string): Record<string, unknown> | undefined {
  if (Array.isArray(card)) {
    for (const item of card) {
      const found = buttonData(item, verb);
      if (found) return found;
    }
  } else if (card && typeof card === 'object') {
    const element = card as Record<string, unknown>;
    if (element.type === 'Action.Execute' && element.verb === verb) return element.data as Record<string, unknown>;
    for (const value of Object.values(element)) {
      const found = buttonData(value, verb);
      if (found) return found;
    }
  }
  return undefined;
}

async function click(post: Post, serviceUrl: string, conversation: string, card: unknown, verb: string, inputs: Record<string, string> = {}) {
  const data = buttonData(card, verb);
  if (!data) throw new Error(`no "${verb}" button on the card`);
  const response = (await post(
    activity(serviceUrl, conversation, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data: { ...data, ...inputs } } } }),
  )) as { value: unknown };
  return response.value;
}

/** The opening of a conversation: the welcome and the case card. Enough to create its stored state. */
export async function openCase(post: Post, serviceUrl: string, conversation: string): Promise<unknown> {
  await post(activity(serviceUrl, conversation, { type: 'conversationUpdate', membersAdded: [{ id: 'bot' }] }));
  // The welcome card went to the connector; a fresh conversation's buttons are drawn for revision 0.
  return click(post, serviceUrl, conversation, { type: 'Action.Execute', verb: 'details', data: { verb: 'details', next: 'walk', rev: 0 } }, 'details', CASE);
}

/** Eight turns: welcome, case card, client settings, access, two steps, "this failed", a typed step. */
export async function fullConversation(post: Post, serviceUrl: string, conversation: string): Promise<void> {
  let card = await openCase(post, serviceUrl, conversation);
  card = await click(post, serviceUrl, conversation, card, 'stillFailing');
  card = await click(post, serviceUrl, conversation, card, 'haveAccess');
  for (let i = 0; i < 2; i++) card = await click(post, serviceUrl, conversation, card, 'stillFailing');
  card = await click(post, serviceUrl, conversation, card, 'thisFailed');
  await post(activity(serviceUrl, conversation, { type: 'message', text: 'step 2' }));
}
