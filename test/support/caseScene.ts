// The two sides of an escalated case as Teams shows them: the admin's personal chat with the bot, and the
// help-desk channel where the case card sits, is redrawn in place and gathers replies in its thread.
import { type BotUnderTest, TeamsUser } from './bot';
import { type Card, title } from './cards';
import type { FakeConnector, SentActivity } from './connector';
import { escalate, escalationId } from './escalate';
import { until } from './webhook';

export const CHANNEL = '19:helpdesk@thread.tacv2';

const conversationOf = (activity: SentActivity) => (activity.conversation as { id?: string } | undefined)?.id;
const cardsOf = (activities: SentActivity[]): Card[] =>
  activities.flatMap((a) => a.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content);

export class CaseScene {
  id = '';
  /** The id Teams gave the case card in the channel: its thread's root. */
  postId = '';
  posted: Card | undefined;

  /** `elsewhere`: the same admin's chat as other instances of the bot receive it; answers to it are answers too. */
  private readonly adminFaces: TeamsUser[];

  constructor(
    private readonly connector: FakeConnector,
    readonly admin: TeamsUser,
    ...elsewhere: TeamsUser[]
  ) {
    this.adminFaces = [admin, ...elsewhere];
  }

  /**
   * Registers the channel (as `registrar`, whose post is a thread of its own, as every channel post is in Teams),
   * has the admin escalate, and waits for the case card in the channel itself.
   */
  async open(registrar: TeamsUser): Promise<void> {
    await registrar.say('register help desk');
    this.id = escalationId(await escalate(this.admin));
    await until('the case card in the help-desk channel', () => this.channelPosts().length > 0);
    const [post] = this.channelPosts();
    this.posted = cardsOf([post!])[0];
    this.postId = this.connector.idOf(post!);
  }

  private channelPosts(): SentActivity[] {
    return this.connector.sent.filter((a) => conversationOf(a) === CHANNEL && cardsOf([a]).some((card) => title(card).includes(this.id)));
  }

  /** A help-desk member, writing and clicking in the case card's thread. */
  member(bot: BotUnderTest, userId: string, userName: string, locale: string): TeamsUser {
    return new TeamsUser(bot, { conversationId: `${CHANNEL};messageid=${this.postId}`, conversationType: 'channel', userId, userName, locale });
  }

  /** Every message the bot sent the admin on its own: not an answer to one of their turns, which replies to it. */
  adminMessages(): Card[] {
    const answered = (a: SentActivity) => this.adminFaces.some((face) => face.activityIds.has(String(a.replyToId)));
    return cardsOf(this.connector.sent.filter((a) => conversationOf(a) === this.admin.conversationId && !answered(a)));
  }

  /** The case card as every member of the channel now sees it: the last redraw in place, or the first post. */
  channelCard(): Card {
    const redraws = this.connector.updated.filter((u) => u.activityId === this.postId);
    return redraws.length > 0 ? cardsOf([redraws[redraws.length - 1]!])[0]! : this.posted!;
  }

  /**
   * The case card once the channel has heard of everything the case did, as a member would click on it.
   */
  async settledCard(bot: BotUnderTest): Promise<Card> {
    await until('the case messages sent', async () => !(await bot.app.outbox.pending()).some((entry) => entry.record.id === this.id));
    return this.channelCard();
  }

  /** The texts said in the case's thread. */
  thread(): string[] {
    return this.connector.replies.filter((r) => r.messageId === this.postId && typeof r.text === 'string').map((r) => r.text!);
  }

  async adminHears(count: number): Promise<Card> {
    await until(`admin message ${count}`, () => this.adminMessages().length >= count);
    return this.adminMessages()[count - 1]!;
  }

  async threadHears(count: number): Promise<string> {
    await until(`thread reply ${count}`, () => this.thread().length >= count);
    return this.thread()[count - 1]!;
  }

  async channelShows(status: string): Promise<Card> {
    await until(`the channel card to show "${status}"`, () => title(this.channelCard()).endsWith(status));
    return this.channelCard();
  }
}
