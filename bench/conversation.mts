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
// full-escalating: a case that goes to the help desk and back, ten turns, five of them in the help-desk channel:
//   1-4. added, details (pick), the mailbox check, escalate   -> the confirmation card
//   5. confirm                  -> escalated; the outbox posts the case card to the channel and the webhook
//   6. (help desk) Take on the case card in the channel, 7. Ask a question -> sent to the admin
//   8. (admin) types the answer -> relayed to the case's thread, the channel card redrawn
//   9. (help desk) Resolve on the redrawn card -> the admin is asked whether it works
//   10. (admin) "It works"      -> the case is closed
// A turn that needs what the bot sends on its own (the channel post, a message to the admin) waits for it.
// echo: nine messages per conversation, each answered "Echo: <text>" through the connector.
// bare: nine POSTs per conversation, each answered {ok:true}.
import { randomBytes } from 'node:crypto';
import type { Connector, Posted, SentActivity } from './connector.mts';
import type { Post, Reply, Session } from './load.mts';
import type { Kind } from './targets.mts';

export const CASE = { protocol: 'pop3', version: '2016', server: 'ex01.contoso.com', mailbox: 'taro.yamada@contoso.com', errorText: '' };
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CARD = 'application/vnd.microsoft.card.adaptive';
/** The help-desk channel of the escalating mix: the full-escalating target is configured with it (targets.mts). */
export const HELPDESK_CHANNEL = '19:bench-helpdesk@thread.tacv2';
const ESCALATION_ID = /ESC-\d{8}-[0-9A-Z]{6}/;

const token = (bytes: number) => randomBytes(bytes).toString('base64url');
let sequence = 0;

/** One Teams personal chat (or, given a channel thread, a help-desk member's place in it): its ids, and the activities it sends. */
export class Chat {
  readonly conversationId: string;
  readonly userId = `29:1${token(60)}`;
  readonly serviceUrl: string;
  private readonly conversationType: 'personal' | 'channel';
  constructor(serviceUrl: string, thread?: string) {
    this.serviceUrl = serviceUrl;
    this.conversationId = thread ?? `a:1${token(96)}`; // 131 characters, like a Teams personal chat id
    this.conversationType = thread ? 'channel' : 'personal';
  }

  activity(extra: Record<string, unknown>): Record<string, unknown> {
    return {
      id: `f:${Date.now()}${String(++sequence).padStart(6, '0')}`,
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      timestamp: new Date().toISOString(),
      localTimestamp: new Date().toISOString(),
      conversation: { id: this.conversationId, conversationType: this.conversationType, tenantId: TENANT },
      from: { id: this.userId, name: 'Hanako Admin', aadObjectId: '6f1c5b0e-2a3d-4b1e-9c8f-0d7e6a5b4c3d' },
      recipient: { id: '28:0d6c4a3b-1e2f-4a5b-8c9d-0e1f2a3b4c5d', name: 'POP/IMAP troubleshooter' },
      channelData: { tenant: { id: TENANT }, ...(this.conversationType === 'channel' ? { channel: { id: HELPDESK_CHANNEL }, team: { id: HELPDESK_CHANNEL } } : {}) },
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

/** What the bot sent on its own that `matches`, once it has: the outbox sends it soon after the turn that caused it. */
async function sentSoon(connector: Connector, conversationId: string, matches: (posted: Posted) => boolean, what: string): Promise<Posted> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const posted = connector.claim(conversationId, matches);
    if (posted) return posted;
    if (performance.now() > deadline) throw new Error(`${what}: not sent within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const cardOf = (activity: SentActivity) => activity.attachments?.find((a) => a.contentType === CARD)?.content;
const mentions = (id: string) => (posted: Posted) => posted.json.includes(id);

/** An admin's case that goes to the help desk, is worked in the channel and closed, as the header describes. */
export function escalatingConversation(connector: Connector): Session {
  const admin = new Chat(connector.url);
  let adminCard: unknown;
  let caseId = '';
  let member: Chat | undefined;
  let deskCard: unknown;
  const adminClicks = (verb: string, match: Record<string, unknown> = {}, inputs: Record<string, string> = {}): Turn => async (post) => {
    adminCard = await click(post, admin, adminCard, verb, match, inputs);
  };
  const deskClicks = (verb: string, inputs: Record<string, string> = {}): Turn => async (post) => {
    deskCard = await click(post, member!, deskCard, verb, {}, inputs);
  };
  connector.watch(admin.conversationId);
  connector.watch(HELPDESK_CHANNEL);
  const script: Turn[] = [
    async (post) => {
      adminCard = await join(post, connector, admin);
    },
    adminClicks('details', { next: 'pick' }, { ...CASE, errorText: 'Logon failure' }),
    adminClicks('pick', { checkpoint: 'mailbox' }),
    adminClicks('escalate'),
    async (post) => {
      await adminClicks('confirmEscalation', {}, { note: 'since Monday' })(post);
      caseId = ESCALATION_ID.exec(JSON.stringify(adminCard))?.[0] ?? '';
      if (!caseId) throw new Error('confirmEscalation: no escalation number on the card');
    },
    async (post) => {
      const posted = await sentSoon(connector, HELPDESK_CHANNEL, mentions(caseId), 'the case card in the help-desk channel');
      member = new Chat(connector.url, `${HELPDESK_CHANNEL};messageid=${posted.id}`);
      deskCard = cardOf(posted.activity);
      await deskClicks('caseTake')(post);
    },
    deskClicks('caseAsk', { question: 'Which mail client shows the error?' }),
    async (post) => {
      const asked = await sentSoon(connector, admin.conversationId, (p) => p.json.includes('Which mail client'), "the help desk's question");
      if (!cardOf(asked.activity)) throw new Error("the help desk's question came without a card");
      expect200(await post(admin.activity({ type: 'message', text: 'Outlook 2016 on Windows 11' })), 'the answer');
    },
    async (post) => {
      // The card as the channel shows it once the answer is in (a later revision than the one the question left),
      // which is what the member clicks: a button of an older revision is answered as out of date.
      const questionRev = Number(buttonData(deskCard, 'caseResolve')?.rev);
      const redrawn = await sentSoon(connector, HELPDESK_CHANNEL, (p) => mentions(caseId)(p) && Number(buttonData(cardOf(p.activity), 'caseResolve')?.rev) > questionRev, 'the case card after the answer');
      deskCard = cardOf(redrawn.activity);
      await deskClicks('caseResolve', { resolution: 'Re-enabled POP3 for the mailbox' })(post);
    },
    async (post) => {
      const resolved = await sentSoon(connector, admin.conversationId, (p) => p.json.includes('caseFixed') && buttonData(cardOf(p.activity), 'caseFixed') !== undefined, 'the resolved case at the admin');
      adminCard = cardOf(resolved.activity);
      await adminClicks('caseFixed')(post);
      connector.unwatch(admin.conversationId);
      connector.claim(HELPDESK_CHANNEL, mentions(caseId));
    },
  ];
  return new Scripted(script);
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
  'full-escalating': escalatingConversation,
};
