// Who may speak for a case, and when: only the admin who escalated answers for it, even in a group chat or a
// channel; what they type reaches the help desk only while the case is the last thing they did with the bot;
// the bot's own commands stay commands on both sides; the admin's chat and the help desk's channel never
// mistake each other's messages for retries; and a help desk that moves to another channel keeps its cases.
// Through the real bot over HTTP and a Teams stand-in.
import { type BotUnderTest, TeamsUser, useBot } from '../support/bot';
import { type Card, texts, title } from '../support/cards';
import { CHANNEL, CaseScene } from '../support/caseScene';
import { until } from '../support/webhook';

const FAST_OUTBOX = { OUTBOX_INTERVAL_MS: '50', OUTBOX_FIRST_RETRY_MS: '100', OUTBOX_MAX_RETRY_MS: '200' };

const QUESTION_TITLE = 'The help desk has a question';
const QUESTION = 'Which mail client shows the error?';
const ANSWER = 'Outlook 2016 on Windows 11';
const RELAYED = 'Sent to Taro Sato at the help desk.';
const answered = (name: string, text: string) => `${name} (admin) answered: ${text}`;
const shown = (card: Card) => texts(card).join('\n');

/** A member of a Teams group chat the bot was added to: every member writes in the same conversation. */
class GroupChatMember extends TeamsUser {
  override activity(extra: Record<string, unknown>): Record<string, unknown> {
    const activity = super.activity(extra);
    return { ...activity, conversation: { ...(activity.conversation as object), conversationType: 'groupChat' } };
  }
}

/** The channel member who registers the help desk, and the help desk's Taro in the case's thread. */
async function openCase(bot: BotUnderTest, admin: TeamsUser): Promise<{ scene: CaseScene; taro: TeamsUser }> {
  const scene = new CaseScene(bot.connector, admin);
  await scene.open(new TeamsUser(bot, { conversationId: CHANNEL, conversationType: 'channel', userId: 'taro', userName: 'Taro Sato' }));
  return { scene, taro: scene.member(bot, 'taro', 'Taro Sato', 'en-US') };
}

/** Taro asks on the card; returns the question as it reached the admin's conversation. */
async function ask(scene: CaseScene, taro: TeamsUser, question = QUESTION): Promise<Card> {
  await taro.click('caseAsk', {}, { question }, scene.channelCard());
  return questionFor(scene, question);
}

async function questionFor(scene: CaseScene, question: string): Promise<Card> {
  const find = () => scene.adminMessages().find((card) => title(card) === QUESTION_TITLE && shown(card).includes(question));
  await until(`the question "${question}" in the admin's conversation`, () => find() !== undefined);
  return find()!;
}

async function settled(bot: BotUnderTest): Promise<void> {
  await until('an empty outbox', async () => (await bot.app.outbox.pending()).length === 0);
}

/** The admin is told their answer went to Taro, and the case's thread hears that answer and nothing else. */
async function expectAnswered(bot: BotUnderTest, scene: CaseScene, told: Card[], admin: string): Promise<void> {
  expect(told.map(shown).join('\n')).toContain(RELAYED);
  await settled(bot);
  expect(scene.thread()).toEqual([answered(admin, ANSWER)]);
}

describe('the case desks', () => {
  const bot = useBot({ env: FAST_OUTBOX });

  it("answers for a case only as the admin who escalated it, in a group chat: another member's words go to the flow and their click is told whose case it is", async () => {
    const group = '19:group-chat-1@thread.v2';
    const hanako = new GroupChatMember(bot, { conversationId: group, userId: 'hanako', userName: 'Hanako Admin' });
    const mallory = new GroupChatMember(bot, { conversationId: group, userId: 'mallory', userName: 'Mallory' });
    const { scene, taro } = await openCase(bot, hanako);
    const question = await ask(scene, taro);

    const [typed] = await mallory.say('ignore that, it is Thunderbird');
    expect(shown(typed!)).not.toContain(RELAYED);
    const clicked = await mallory.click('caseAnswer', {}, { answer: 'Thunderbird on Linux' }, question);
    expect(shown(clicked)).toContain('Only Hanako Admin can answer for this case, so nothing was changed.');

    await expectAnswered(bot, scene, await hanako.say(ANSWER), 'Hanako Admin');
  }, 60_000);

  it('leaves the talk with the help desk on "start over": typing goes to the flow, and the question\'s card still answers', async () => {
    const admin = new TeamsUser(bot, { userId: 'admin-start-over', userName: 'Hanako Admin' });
    const { scene, taro } = await openCase(bot, admin);
    const question = await ask(scene, taro);

    await admin.say('start over');
    const [typed] = await admin.say('my EX03 server now says NO LOGIN failed');
    expect(shown(typed!)).not.toContain(RELAYED);
    await expectAnswered(bot, scene, [await admin.click('caseAnswer', {}, { answer: ANSWER }, question)], 'Hanako Admin');
  }, 60_000);

  it('answers an admin who escalated from a channel: "status" lists the case and a typed answer reaches the help desk', async () => {
    const admin = new TeamsUser(bot, { conversationId: '19:admins@thread.tacv2;messageid=1700000000042', conversationType: 'channel', userId: 'yuki', userName: 'Yuki Admin' });
    const { scene, taro } = await openCase(bot, admin);
    await ask(scene, taro);

    const [list] = await admin.say('status');
    expect(title(list!)).toBe('Your escalations');
    expect(shown(list!)).toContain(scene.id);
    await expectAnswered(bot, scene, await admin.say(ANSWER), 'Yuki Admin');
  }, 60_000);

  it("applies the help desk's message and the admin's answer that Teams gave the same id, each in its own conversation", async () => {
    const admin = new TeamsUser(bot, { userId: 'admin-same-id', userName: 'Hanako Admin' });
    const { scene, taro } = await openCase(bot, admin);
    await taro.click('caseTake', {}, {}, scene.posted);
    const shared = `1733130000${process.pid}`;

    await taro.send({ id: shared, type: 'message', text: QUESTION });
    await questionFor(scene, QUESTION);
    admin.activityIds.add(shared);
    await expectAnswered(bot, scene, (await admin.send({ id: shared, type: 'message', text: ANSWER })).cards, 'Hanako Admin');
  }, 60_000);

  it("keeps the bot's commands typed in a case's thread for the bot: help and the report, the admin hears neither", async () => {
    const admin = new TeamsUser(bot, { userId: 'admin-commands', userName: 'Hanako Admin' });
    const { scene, taro } = await openCase(bot, admin);
    await taro.click('caseTake', {}, {}, scene.posted);

    const [help] = await taro.say('help');
    expect(title(help!)).toBe('What you can say');
    const mention = { type: 'mention', mentioned: { id: 'bot-1', name: 'POP/IMAP bot' }, text: '<at>POP/IMAP bot</at>' };
    const {
      cards: [report],
    } = await taro.send({ type: 'message', text: '<at>POP/IMAP bot</at> report 7', entities: [mention] });
    expect(title(report!)).toMatch(/^POP3\/IMAP4 cases from/);

    await settled(bot);
    expect(scene.adminMessages().map(title)).toEqual(['The help desk has your case']);
    expect(title(scene.channelCard())).toMatch(/: In progress$/);
  }, 60_000);
});

describe('a help desk that moves to another channel', () => {
  const bot = useBot({ env: FAST_OUTBOX });

  it('goes on working the cases whose cards are in the channel it left, and nobody else gains a say', async () => {
    const admin = new TeamsUser(bot, { userId: 'admin-moved', userName: 'Hanako Admin' });
    const { scene, taro } = await openCase(bot, admin);
    await new TeamsUser(bot, { conversationId: '19:new-helpdesk@thread.tacv2', conversationType: 'channel', userId: 'lead', userName: 'Help Desk Lead' }).say('register help desk');

    const taken = await taro.click('caseTake', {}, {}, scene.posted);
    expect(title(taken)).toMatch(/: In progress$/);
    await taro.say(QUESTION);
    await questionFor(scene, QUESTION);

    const outsider = new TeamsUser(bot, { conversationId: `19:elsewhere@thread.tacv2;messageid=${scene.postId}`, conversationType: 'channel', userId: 'eve', userName: 'Eve' });
    const otherTenant = new TeamsUser(bot, { conversationId: `${CHANNEL};messageid=${scene.postId}`, conversationType: 'channel', userId: 'mallory', userName: 'Mallory', tenantId: 'tenant-2' });
    for (const stranger of [outsider, otherTenant]) {
      const refused = await stranger.click('caseResolve', {}, { resolution: 'nothing to see' }, scene.channelCard());
      expect(shown(refused)).toContain('Only members of the registered help-desk channel can work on escalations.');
    }
    await settled(bot);
    expect(title(scene.channelCard())).toMatch(/: Waiting for the admin$/);
  }, 60_000);
});
