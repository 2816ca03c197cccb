// The Teams edge: the only place that knows Bot Framework activities. It checks each activity's shape,
// turns it into an Inbound for the conversation, and turns the answer back into messages or an invoke
// response, through a Turn that either SDK carries (./transport).
import { z } from 'zod';
import type { TurnHandler } from '../conversation/front';
import type { Inbound } from '../conversation/turn';
import type { HandoffRecord } from '../escalation/handoff';
import { caseSummary } from '../escalation/summary';
import { translatorFor } from '../i18n';
import type { Logger } from '../logging';
import type { Turn } from './transport';

// Ids become storage keys and URL paths of replies: a control character, or half of a surrogate pair (which
// no URL can encode), breaks both.
const identifier = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters')
    .regex(/^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/, 'must be well-formed Unicode');

const account = z.object({ id: identifier(512), name: z.string().max(512).optional().nullable() });

const entity = z
  .object({ type: z.string(), mentioned: account.optional(), text: z.string().optional() })
  .passthrough()
  .refine((e) => e.type.toLowerCase() !== 'mention' || e.mentioned !== undefined, { message: 'a mention must say who is mentioned' });

const baseActivity = z.object({
  type: z.string(),
  id: identifier(512).optional().nullable(),
  channelId: identifier(128),
  // Every reply goes there: without it the turn would run and then fail to answer.
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  conversation: z.object({
    id: identifier(1024),
    conversationType: z.string().max(64).optional().nullable(),
    tenantId: z.string().max(128).optional().nullable(),
  }),
  from: account,
  recipient: account.optional(),
  locale: z.string().max(64).optional().nullable(),
  // Read by the SDK when it strips the bot's @mention: the wrong shape would break the turn itself.
  text: z.string().optional().nullable(),
  entities: z.array(entity).max(64).optional(),
  membersAdded: z.array(account.passthrough()).max(256).optional().nullable(),
});

const executeInvoke = z.object({
  name: z.literal('adaptiveCard/action'),
  value: z.object({
    action: z.object({ type: z.literal('Action.Execute'), verb: z.string().max(64), data: z.record(z.string(), z.unknown()).optional() }),
  }),
});

// A plain message may carry card data when a client falls back from Action.Execute to Action.Submit.
const submittedData = z.record(z.string(), z.unknown()).refine((data) => typeof data.verb === 'string');

export type BaseActivity = z.infer<typeof baseActivity>;

/** The activity with the fields a turn needs, or the names of those it lacks or gets wrong. */
export function readActivity(body: unknown): { activity: BaseActivity } | { problems: string[] } {
  const parsed = baseActivity.safeParse(body);
  return parsed.success
    ? { activity: parsed.data }
    : { problems: [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'activity'))] };
}

const INVOKE_BAD_REQUEST = {
  statusCode: 400,
  type: 'application/vnd.microsoft.error',
  value: { code: 'BadRequest', message: 'This card action is not one the bot understands. Open the latest card and try again.' },
};

/** The typed text without the bot's own @mention (channels prefix it); the SDKs need a recipient and text for that. */
function withoutMention(turn: Turn): string {
  const { text, recipient } = turn.activity;
  if (typeof text !== 'string') return '';
  return recipient ? turn.removeRecipientMention() : text;
}

export class TeamsEdge {
  constructor(
    private readonly conversation: TurnHandler,
    private readonly log: Logger,
  ) {}

  /** `a` is the activity as read at the door (readActivity); `turn` carries the same one through the SDK. */
  async run(turn: Turn, a: BaseActivity): Promise<void> {
    const base = {
      channelId: a.channelId,
      conversationId: a.conversation.id,
      userId: a.from.id,
      userName: a.from.name ?? undefined,
      locale: a.locale ?? undefined,
      activityId: a.id ?? undefined,
      serviceUrl: a.serviceUrl,
      tenantId: a.conversation.tenantId ?? undefined,
      conversationType: a.conversation.conversationType ?? undefined,
      now: new Date(),
    };
    switch (a.type) {
      case 'message':
        return this.onMessage(turn, base);
      case 'invoke':
        return this.onInvoke(turn, base);
      case 'conversationUpdate':
        return this.onConversationUpdate(turn, base);
      default:
        // Typing, reactions, installation updates and the like need no answer.
        this.log.debug({ type: a.type }, 'activity ignored');
    }
  }

  private async onMessage(turn: Turn, base: Omit<Inbound, 'kind'>): Promise<void> {
    const value = submittedData.safeParse(turn.activity.value);
    const inbound: Inbound = value.success
      ? { ...base, kind: 'action', actionData: value.data }
      : { ...base, kind: 'text', text: withoutMention(turn) };
    const { cards, duplicate, handoff } = await this.conversation.handle(inbound);
    // A retried message was answered the first time; answering again would show the admin every card twice.
    if (duplicate) return;
    await turn.send(cards.map((card) => ({ card })));
    if (handoff) await this.announceHandoff(turn, handoff);
  }

  /**
   * The Bot Framework's own handoff signal, for channels and agent hubs that act on it. Teams ignores it;
   * a channel that refuses it must not cost the admin the escalation, which is already in the outbox.
   */
  private async announceHandoff(turn: Turn, record: HandoffRecord): Promise<void> {
    const transcript = [caseSummary(record, translatorFor('en')), ...record.journal.map((entry) => `${entry.checkpoint}: ${entry.outcome}`)];
    try {
      await turn.initiateHandoff({ escalationId: record.id, deliveredTo: record.deliveredTo ?? [] }, transcript);
    } catch (error) {
      this.log.warn({ err: error, escalation: record.id }, 'the channel did not accept the handoff.initiate event');
    }
  }

  private async onInvoke(turn: Turn, base: Omit<Inbound, 'kind'>): Promise<void> {
    if (turn.activity.name !== 'adaptiveCard/action') {
      await this.respondToInvoke(turn, {
        statusCode: 501,
        type: 'application/vnd.microsoft.error',
        value: { code: 'NotImplemented', message: `This bot does not handle "${String(turn.activity.name).slice(0, 64)}" invokes.` },
      });
      return;
    }
    const invoke = executeInvoke.safeParse(turn.activity);
    if (!invoke.success) {
      await this.respondToInvoke(turn, INVOKE_BAD_REQUEST);
      return;
    }
    const { verb, data } = invoke.data.value.action;
    const { cards, handoff } = await this.conversation.handle({ ...base, kind: 'action', actionData: { ...data, verb } });
    // The last card is the answer and replaces the clicked one; anything before it (help) goes out as messages.
    const answer = cards[cards.length - 1]!;
    const before = cards.slice(0, -1);
    if (before.length > 0) await turn.send(before.map((card) => ({ card })));
    await this.respondToInvoke(turn, { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: answer });
    if (handoff) await this.announceHandoff(turn, handoff);
  }

  private async onConversationUpdate(turn: Turn, base: Omit<Inbound, 'kind'>): Promise<void> {
    const botId = turn.activity.recipient?.id;
    const added = turn.activity.membersAdded ?? [];
    if (!botId || !added.some((member) => member?.id === botId)) return;
    const { cards, duplicate } = await this.conversation.handle({ ...base, kind: 'welcome' });
    if (duplicate) return;
    await turn.send(cards.map((card) => ({ card })));
  }

  private async respondToInvoke(turn: Turn, body: object): Promise<void> {
    await turn.answerInvoke((body as { statusCode?: number }).statusCode ?? 200, body);
  }
}
