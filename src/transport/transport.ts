// The seam between the bot and the SDK that speaks the Bot Framework protocol for it: botbuilder
// (./botbuilder.ts) or the Microsoft 365 Agents SDK (./agents/). The door (./server.ts), the Teams edge and
// the proactive deliverers speak only this; BOT_SDK picks the implementation (./createTransport.ts).
import { resolveLanguage, translatorFor } from '../i18n';
import type { Logger } from '../logging';
import type { AdaptiveCard } from '../rendering/page';
import type { Refusal } from './requestBody';

/** What the bot sends: a card, or a line of text. Each SDK turns it into its own activity. */
export type Outgoing = { card: AdaptiveCard } | { text: string };

export interface ConversationAddress {
  channelId: string;
  serviceUrl: string;
  conversationId: string;
  tenantId?: string;
}

export type ConversationKind = 'channel' | 'personal';

/** What kind of conversation an admin's reply address is: where they escalated from. */
export function conversationKind(address: { conversationType?: string }): ConversationKind {
  return address.conversationType === 'channel' ? 'channel' : 'personal';
}

/** The fields of the incoming activity the edge reads beyond those checked at the door. */
export interface TurnActivity {
  text?: string | null;
  name?: string;
  value?: unknown;
  recipient?: { id?: string } | null;
  membersAdded?: Array<{ id?: string } | null> | null;
}

/** One turn, as the Teams edge sees it: what arrived, and the ways to answer it. */
export interface Turn {
  readonly activity: TurnActivity;
  /** The text without the bot's own @mention (channels prefix it); needs a recipient. */
  removeRecipientMention(): string;
  send(messages: Outgoing[]): Promise<void>;
  /** The body of the HTTP answer to an invoke: a card, or an error. */
  answerInvoke(status: number, body: object): Promise<void>;
  /** The Bot Framework's `handoff.initiate` event, with the transcript as one message per line. */
  initiateHandoff(handoffContext: object, transcript: string[]): Promise<void>;
}

export type Authentication<Caller> = { caller: Caller } | { refusal: Refusal; reason: string };

export interface InvokeAnswer {
  status: number;
  body?: unknown;
}

export interface Transport<Caller = unknown> {
  /** Who sent the activity, or the refusal to answer with and the SDK's reason, for the log only. */
  authenticate(activity: object, authorization: string): Promise<Authentication<Caller>>;
  /** Runs the turn of an authenticated activity; an invoke's answer comes back to be sent as the HTTP response. */
  runTurn(caller: Caller, activity: object, logic: (turn: Turn) => Promise<void>): Promise<InvokeAnswer | undefined>;
  /** Posts a new message the bot starts itself; resolves to the id Teams gave it (how it is updated, or replied to, later). */
  post(address: ConversationAddress, kind: ConversationKind, message: Outgoing): Promise<string | undefined>;
  /** Replaces a message the bot posted earlier, in place. */
  update(address: ConversationAddress, kind: ConversationKind, activityId: string, message: Outgoing): Promise<void>;
}

/**
 * What both SDKs do when a turn throws: log it and, best effort, tell the user that something broke. The
 * turn may have saved its state before the reply failed, so the message does not claim either way.
 */
export async function reportTurnFailure(
  log: Logger,
  error: unknown,
  activity: { conversation?: { id?: string }; type?: string; locale?: string },
  say: (text: string) => Promise<unknown>,
): Promise<void> {
  log.error({ err: error, conversation: activity.conversation?.id, type: activity.type }, 'turn failed');
  try {
    await say(translatorFor(resolveLanguage(undefined, activity.locale))('notice.turnFailed'));
  } catch (sendError) {
    log.warn({ err: sendError }, 'could not tell the user about the failed turn');
  }
}

/**
 * Runs `work` in a proactive turn (`run` is the SDK's continueConversation). Both SDKs hand an error inside the
 * callback to onTurnError and resolve as if all went well; the caller must hear of it instead (the outbox
 * keeps the entry and tries again later).
 */
export async function inProactiveTurn<Context, T>(run: (callback: (context: Context) => Promise<void>) => Promise<void>, work: (context: Context) => Promise<T>): Promise<T> {
  const outcome: { ran?: { value: T }; failure?: unknown } = {};
  await run(async (context) => {
    try {
      outcome.ran = { value: await work(context) };
    } catch (error) {
      outcome.failure = error;
    }
  });
  if (!outcome.ran) throw outcome.failure;
  return outcome.ran.value;
}
