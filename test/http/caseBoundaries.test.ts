// Where a case's edges are: what somebody else can learn of it, which short answers are answers, and which
// question an answer on an older card answers. Through the real bot, an admin and a help-desk member.
import { TeamsUser, useBot } from '../support/bot';
import { texts, title } from '../support/cards';
import { CHANNEL, CaseScene } from '../support/caseScene';
import { until } from '../support/webhook';

const FAST_OUTBOX = { OUTBOX_INTERVAL_MS: '50', OUTBOX_FIRST_RETRY_MS: '100', OUTBOX_MAX_RETRY_MS: '200' };

describe("a case's edges", () => {
  const bot = useBot({ env: FAST_OUTBOX });

  async function openCase(adminId: string) {
    const admin = new TeamsUser(bot, { userId: adminId, userName: 'Hanako Admin' });
    const scene = new CaseScene(bot.connector, admin);
    await scene.open(new TeamsUser(bot, { conversationId: CHANNEL, conversationType: 'channel', userId: 'taro', userName: 'Taro Sato' }));
    return { admin, scene, taro: scene.member(bot, 'taro', 'Taro Sato', 'en-US') };
  }

  it("shows somebody else nothing of a case whose number they know, when they ask Teams to refresh its card", async () => {
    const { scene, taro } = await openCase('admin-refresh');
    await taro.click('caseTake', {}, {}, scene.posted);
    await taro.click('caseMicrosoft', {}, { serviceRequest: '2512020040001234' }, await scene.settledCard(bot));
    const stranger = new TeamsUser(bot, { userId: 'mallory', userName: 'Mallory', conversationId: 'a:mallory-chat' });
    await stranger.joins();
    const shown = texts(await stranger.invoke('refresh', { verb: 'refresh', case: scene.id })).join('\n');
    for (const secret of [scene.id, '2512020040001234', 'jiro@contoso.com', 'EX02', 'Taro Sato']) expect(shown).not.toContain(secret);
  }, 60_000);

  it('relays "yes" and "no" as answers both ways: only the bot\'s own commands stay commands', async () => {
    const { admin, scene, taro } = await openCase('admin-yes');
    await taro.click('caseAsk', {}, { question: 'Is the IMAP4 service running on EX02?' }, scene.posted);
    await scene.adminHears(2);
    const [relayed] = await admin.say('yes');
    expect(texts(relayed!).join('\n')).toContain('Sent to Taro Sato at the help desk.');
    expect(await scene.threadHears(1)).toBe('Hanako Admin (admin) answered: yes');
    await taro.say('no');
    expect(texts(await scene.adminHears(3)).join('\n')).toContain('no');
    expect(title(scene.adminMessages()[2]!)).toBe('The help desk has a question');
  }, 60_000);

  it('gives an answer on the card of an older question the question now asked, and relays nothing', async () => {
    const { admin, scene, taro } = await openCase('admin-older');
    await taro.click('caseAsk', {}, { question: 'Which client shows the error?' }, scene.posted);
    const first = await scene.adminHears(2);
    await taro.click('caseAsk', {}, { question: 'Which port does it use?' }, await scene.settledCard(bot));
    await scene.adminHears(3);
    const current = await admin.click('caseAnswer', {}, { answer: 'Outlook 2016' }, first);
    expect(title(current)).toBe('The help desk has a question');
    expect(texts(current).join('\n')).toContain('Which port does it use?');
    await until('the outbox empty', async () => (await bot.app.outbox.pending()).length === 0);
    expect(scene.thread()).toEqual([]);
  }, 60_000);
});
