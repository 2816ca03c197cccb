// What each target is sent. Ids and fields have the shape and length Teams gives them.
//
// full: a realistic conversation with the bot, nine turns, each one POST:
//   1. conversationUpdate (the bot is added)       -> welcome card, sent to the connector
//   2. invoke details (pop3, 2016, server, mailbox) -> client settings card, in the invoke response
//   3. invoke stillFailing                         -> access card
//   4. invoke haveAccess                           -> step 1 card
//   5-7. invoke stillFailing x3                    -> steps 2, 3, 4
//   8. invoke thisFailed (or pick, if offered)     -> the failed step's commands
//   9. message "step 2"                            -> step 2 card, sent to the connector
// Every click uses the data of the button on the card the bot last returned or sent, so `rev` is right;
// an answer that is not the expected card counts as an error and ends that conversation.
// echo: nine messages per conversation, each answered "Echo: <text>" through the connector.
// bare: nine POSTs per conversation, each answered {ok:true}.
import { randomBytes } from 'node:crypto';
import type { Connector, SentActivity } from './connector.mts';
import type { Post, Reply, Session } from './load.mts';
import type { Kind } from './targets.mts';

export const CASE = { protocol: 'pop3', version: '2016', server: 'ex01.contoso.com', mailbox: 'taro.yamada@contoso.com', errorText: '' };
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CARD = 'application/vnd.microsoft.card.adaptive';

const token = (bytes: number) => randomBytes(bytes).toString('base64url');
let sequence = 0;

/** One Teams personal chat: its ids, and the activities it sends. */
export class Chat {
  readonly conversationId = `a:1${token(96)}`; // 131 characters, like a Teams personal chat id
  readonly userId = `29:1${token(60)}`;
  readonly serviceUrl: string;
  constructor(serviceUrl: string) {
    this.serviceUrl = serviceUrl;
  }

  activity(extra: Record<string, unknown>): Record<string, unknown> {
    return {
      id: `f:${Date.now()}${String(++sequence).padStart(6, '0')}`,
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      timestamp: new Date().toISOString(),
      localTimestamp: new Date().toISOString(),
      conversation: { id: this.conversationId, conversationType: 'personal', tenantId: TENANT },
      from: { id: this.userId, name: 'Hanako Admin', aadObjectId: '6f1c5b0e-2a3d-4b1e-9c8f-0d7e6a5b4c3d' },
      recipient: { id: '28:0d6c4a3b-1e2f-4a5b-8c9d-0e1f2a3b4c5d', name: 'POP/IMAP troubleshooter' },
      channelData: { tenant: { id: TENANT } },
      entities: [{ type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Asia/Tokyo' }],
      locale: 'en-US',
      ...extra,
    };
  }
}

function expect200(reply: Reply, what: string): void {
  if (reply.status !== 200) throw new Error(`${what}: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
}

/** The data of the first Action.Execute button with this verb (and these data values) anywhere in the card. */
export function buttonData(node: unknown, verb: string, match: Record<string, unknown> = {}): Record<string, unknown> | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = buttonData(item, verb, match);
      if (found) return found;
    }
  } else if (node && typeof node === 'object') {
    const element = node as Record<string, unknown>;
    const data = element.data as Record<string, unknown> | undefined;
    if (element.type === 'Action.Execute' && element.verb === verb && data && Object.entries(match).every(([k, v]) => data[k] === v)) {
      return data;
    }
    for (const value of Object.values(element)) {
      const found = buttonData(value, verb, match);
      if (found) return found;
    }
  }
  return undefined;
}

function sentCard(connector: Connector, chat: Chat, what: string): unknown {
  const activity: SentActivity | undefined = connector.take(chat.conversationId);
  const card = activity?.attachments?.find((a) => a.contentType === CARD)?.content;
  if (!card) throw new Error(`${what}: no card reached the connector`);
  return card;
}

type Turn = (post: Post) => Promise<void>;

/** A conversation as a list of turns, one POST each. */
class Scripted implements Session {
  private next = 0;
  private readonly turns: Turn[];
  constructor(turns: Turn[]) {
    this.turns = turns;
  }
  async step(post: Post): Promise<boolean> {
    await this.turns[this.next++]!(post);
    return this.next >= this.turns.length;
  }
}

/** The bot is added to the chat: answers the welcome card it sends. */
export async function join(post: Post, connector: Connector, chat: Chat): Promise<unknown> {
  expect200(await post(chat.activity({ type: 'conversationUpdate', membersAdded: [{ id: '28:0d6c4a3b-1e2f-4a5b-8c9d-0e1f2a3b4c5d' }, { id: chat.userId }] })), 'conversationUpdate');
  return sentCard(connector, chat, 'welcome');
}

/** Clicks the `verb` button (with these data values) on `card`, with `inputs` typed in; answers the card the bot returns. */
export async function click(post: Post, chat: Chat, card: unknown, verb: string, match: Record<string, unknown> = {}, inputs: Record<string, string> = {}): Promise<unknown> {
  const data = buttonData(card, verb, match);
  if (!data) throw new Error(`no "${verb}" button on the card`);
  const reply = await post(chat.activity({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data: { ...data, ...inputs } } } }));
  expect200(reply, verb);
  const body = JSON.parse(reply.body) as { type?: string; value?: unknown };
  if (body.type !== CARD || !body.value) throw new Error(`${verb}: the invoke response is not a card: ${reply.body.slice(0, 200)}`);
  return body.value;
}

/** The full bot's conversation; `turns` shortens it (2 = the greeting and the case details). */
export function fullConversation(connector: Connector, turns = 9): Session {
  const chat = new Chat(connector.url);
  let card: unknown;
  const clickOn = (verb: string, match: Record<string, unknown> = {}, inputs: Record<string, string> = {}): Turn => async (post) => {
    card = await click(post, chat, card, verb, match, inputs);
  };
  const script: Turn[] = [
    async (post) => {
      card = await join(post, connector, chat);
    },
    clickOn('details', { next: 'walk' }, CASE),
    clickOn('stillFailing'),
    clickOn('haveAccess'),
    clickOn('stillFailing'),
    clickOn('stillFailing'),
    clickOn('stillFailing'),
    async (post) => (buttonData(card, 'thisFailed') ? clickOn('thisFailed') : clickOn('pick'))(post),
    async (post) => {
      expect200(await post(chat.activity({ type: 'message', text: 'step 2' })), 'step 2');
      card = sentCard(connector, chat, 'step 2');
    },
  ];
  return new Scripted(script.slice(0, turns));
}

export function echoConversation(connector: Connector, turns = 9): Session {
  const chat = new Chat(connector.url);
  return new Scripted(
    Array.from({ length: turns }, (_, i): Turn => async (post) => {
      const text = `hello ${i + 1}`;
      expect200(await post(chat.activity({ type: 'message', text })), 'echo');
      const sent = connector.take(chat.conversationId);
      if (sent?.text !== `Echo: ${text}`) throw new Error(`echo: the connector got ${JSON.stringify(sent?.text)}`);
    }),
  );
}

export function bareConversation(connector: Connector, turns = 9): Session {
  const chat = new Chat(connector.url);
  return new Scripted(
    Array.from({ length: turns }, (_, i): Turn => async (post) => {
      const reply = await post(chat.activity({ type: 'message', text: `hello ${i + 1}` }));
      expect200(reply, 'bare');
      if (reply.body !== '{"ok":true}') throw new Error(`bare: ${reply.body.slice(0, 200)}`);
    }),
  );
}

/** What each target is sent: the bot without case facts gets the very conversations the bot with them gets. */
export const SCRIPTS: Record<Kind, (connector: Connector) => Session> = {
  bare: bareConversation,
  echo: echoConversation,
  full: fullConversation,
  'full-nofacts': fullConversation,
  'full-agents': fullConversation,
};
