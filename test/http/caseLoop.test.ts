// The help desk works an escalated case in Teams and the admin hears back, in English and in Japanese: an
// admin in their personal chat with the bot, two help-desk members in the registered channel, through the
// real bot over HTTP and a Teams stand-in.
import type { Language } from '../../src/i18n';
import { type BotUnderTest, TeamsUser, startBot } from '../support/bot';
import { type Card, buttons, texts, title } from '../support/cards';
import { CHANNEL, CaseScene } from '../support/caseScene';
import { until } from '../support/webhook';

const FAST_OUTBOX = { OUTBOX_INTERVAL_MS: '50', OUTBOX_FIRST_RETRY_MS: '100', OUTBOX_MAX_RETRY_MS: '200' };

interface Words {
  locale: string;
  admin: string;
  status: Record<'open' | 'taken' | 'waitingForAdmin' | 'withMicrosoft' | 'resolved' | 'closed', string>;
  adminTitles: Record<'taken' | 'question' | 'withMicrosoft' | 'resolved', string>;
  takenBy: string;
  relayedTo: string;
  question: string;
  answer: string;
  threadQuestion: string;
  help: string;
  helpTitle: string;
  secretAnswer: string;
  reason: string;
  answered: (text: string) => string;
  notFixed: (text: string) => string;
  fixed: string;
  statusWord: string;
  startOver: string;
  listTitle: string;
}

const WORDS: Record<Language, Words> = {
  en: {
    locale: 'en-US',
    admin: 'Hanako Admin',
    status: { open: 'Not taken yet', taken: 'In progress', waitingForAdmin: 'Waiting for the admin', withMicrosoft: 'With Microsoft support', resolved: 'Resolved', closed: 'Closed' },
    adminTitles: { taken: 'The help desk has your case', question: 'The help desk has a question', withMicrosoft: 'Your case is with Microsoft support', resolved: 'The help desk has resolved your case' },
    takenBy: 'Taro Sato has this case',
    relayedTo: 'Sent to Taro Sato at the help desk.',
    question: 'Which mail client shows the error?',
    answer: 'Outlook 2016 on Windows 11',
    threadQuestion: 'Could you also paste what Get-ImapSettings shows?',
    help: 'help',
    helpTitle: 'What you can say',
    secretAnswer: 'I signed in with password: Hunter2!x and it still fails',
    reason: 'Outlook still asks for the password',
    answered: (text) => `Hanako Admin (admin) answered: ${text}`,
    notFixed: (text) => `Hanako Admin (admin) says it is not fixed: ${text}`,
    fixed: 'Hanako Admin (admin) confirmed the fix. The case is closed.',
    statusWord: 'status',
    startOver: 'start over',
    listTitle: 'Your escalations',
  },
  ja: {
    locale: 'ja-JP',
    admin: '佐藤 花子',
    status: { open: '未対応', taken: '対応中', waitingForAdmin: '管理者の回答待ち', withMicrosoft: 'Microsoft サポートに問い合わせ中', resolved: '解決済み', closed: 'クローズ' },
    adminTitles: { taken: 'ヘルプデスクがケースを担当します', question: 'ヘルプデスクからの質問', withMicrosoft: 'ケースを Microsoft サポートに問い合わせ中です', resolved: 'ヘルプデスクがケースを解決しました' },
    takenBy: 'このケースは Taro Sato さんが担当しています',
    relayedTo: 'ヘルプデスクの Taro Sato さんに送信しました。',
    question: 'エラーが表示されるメール クライアントは何ですか？',
    answer: 'Windows 11 の Outlook 2016 です',
    threadQuestion: 'Get-ImapSettings の出力も貼り付けていただけますか？',
    help: 'ヘルプ',
    helpTitle: '入力できる言葉',
    secretAnswer: 'パスワード: Hunter2!x でサインインしましたが、まだ失敗します',
    reason: 'Outlook がまだパスワードを要求します',
    answered: (text) => `佐藤 花子 さん (管理者) の回答: ${text}`,
    notFixed: (text) => `佐藤 花子 さん (管理者) から、まだ解決していないとの連絡です: ${text}`,
    fixed: '佐藤 花子 さん (管理者) が解決を確認しました。ケースはクローズされました。',
    statusWord: '状況',
    startOver: '最初から',
    listTitle: 'エスカレーションの状況',
  },
};

const statusOf = (card: Card) => title(card).split(': ').pop();

describe.each(['en', 'ja'] as const)('the help desk works a case in Teams (%s)', (language) => {
  const w = WORDS[language];
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBot({ env: { ...FAST_OUTBOX, HELPDESK_LANGUAGE: language } });
  }, 30_000);
  afterAll(async () => bot?.stop());

  it('takes, asks, talks both ways, goes to Microsoft, resolves, reopens on "no" and closes on "yes"', async () => {
    const admin = new TeamsUser(bot, { locale: w.locale, userId: 'admin-1', userName: w.admin });
    const scene = new CaseScene(bot.connector, admin);
    await scene.open(new TeamsUser(bot, { conversationId: `${CHANNEL};messageid=1764662400000`, conversationType: 'channel', userId: 'taro', userName: 'Taro Sato', locale: w.locale }));
    const taro = scene.member(bot, 'taro', 'Taro Sato', w.locale);
    const jiro = scene.member(bot, 'jiro', 'Jiro Suzuki', w.locale);
    expect(statusOf(scene.posted!)).toBe(w.status.open);

    // Taro takes it: his card, every member's card and the admin all show it.
    const taken = await taro.click('caseTake', {}, {}, scene.posted);
    expect(statusOf(taken)).toBe(w.status.taken);
    expect(texts(taken).join('\n')).toContain('Taro Sato');
    expect(title(await scene.adminHears(1))).toBe(w.adminTitles.taken);
    expect(texts(scene.adminMessages()[0]!).join('\n')).toContain('Taro Sato');
    await scene.channelShows(w.status.taken);
    // The admin's escalated card, when Teams asks for it afresh, shows where the case stands.
    const refreshed = await admin.invoke('refresh', { verb: 'refresh', case: scene.id });
    expect(title(refreshed)).toContain(scene.id);
    expect(texts(refreshed).join('\n')).toContain(w.status.taken);
    expect(texts(refreshed).join('\n')).toContain('Taro Sato');

    // Jiro clicks Take on the card as he first saw it: he is told who has it, and may take it over.
    const refused = await jiro.click('caseTake', {}, {}, scene.posted);
    expect(texts(refused).join('\n')).toContain(w.takenBy);
    expect(buttons(refused).map((b) => b.verb)).toContain('caseTakeOver');

    // Taro asks on the card; the admin types the answer, which lands in the case's thread under the card.
    await taro.click('caseAsk', {}, { question: w.question }, await scene.settledCard(bot));
    const asked = await scene.adminHears(2);
    expect(title(asked)).toBe(w.adminTitles.question);
    expect(texts(asked).join('\n')).toContain(w.question);
    await scene.channelShows(w.status.waitingForAdmin);
    const [relayed] = await admin.say(w.answer);
    expect(texts(relayed!).join('\n')).toContain(w.relayedTo);
    expect(await scene.threadHears(1)).toBe(w.answered(w.answer));
    await scene.channelShows(w.status.taken);

    // Taro writes in the thread; the admin gets it as a question. "help" stays the bot's help, not an answer.
    await taro.say(w.threadQuestion);
    expect(texts(await scene.adminHears(3)).join('\n')).toContain(w.threadQuestion);
    const [help] = await admin.say(w.help);
    expect(title(help!)).toBe(w.helpTitle);
    // The answer on the question's card, with a password in it: the help desk never sees the password.
    await admin.click('caseAnswer', {}, { answer: w.secretAnswer }, scene.adminMessages()[2]);
    const note = await scene.threadHears(2);
    expect(note).not.toContain('Hunter2!x');
    expect(scene.thread()).toHaveLength(2);

    // With Microsoft, then resolved.
    await taro.click('caseMicrosoft', {}, { serviceRequest: '2512020040001234' }, await scene.settledCard(bot));
    const sr = await scene.adminHears(4);
    expect(title(sr)).toBe(w.adminTitles.withMicrosoft);
    expect(texts(sr).join('\n')).toContain('2512020040001234');
    await scene.channelShows(w.status.withMicrosoft);
    await taro.click('caseResolve', {}, { resolution: 'Re-enabled IMAP4 for the mailbox' }, await scene.settledCard(bot));
    const resolved = await scene.adminHears(5);
    expect(title(resolved)).toBe(w.adminTitles.resolved);
    expect(buttons(resolved).map((b) => b.verb)).toEqual(expect.arrayContaining(['caseFixed', 'caseNotFixed']));

    // "No": the case is Taro's again, with the admin's reason in the thread.
    await admin.click('caseNotFixed', {}, { reason: w.reason }, resolved);
    expect(await scene.threadHears(3)).toBe(w.notFixed(w.reason));
    await scene.channelShows(w.status.taken);

    // Resolved again, and "yes" closes it.
    await taro.click('caseResolve', {}, { resolution: 'Reset the client to OAuth sign-in' }, await scene.settledCard(bot));
    const again = await scene.adminHears(6);
    await admin.click('caseFixed', {}, {}, again);
    expect(await scene.threadHears(4)).toBe(w.fixed);
    await scene.channelShows(w.status.closed);

    // Once the admin has moved on, the old escalated card shows that case's status rather than the new screen.
    await admin.say(w.startOver);
    const old = await admin.invoke('refresh', { verb: 'refresh', case: scene.id });
    expect(title(old)).toBe(w.listTitle);
    expect(texts(old).join('\n')).toContain(w.status.closed);

    // The admin's own list of cases.
    const [list] = await admin.say(w.statusWord);
    expect(title(list!)).toBe(w.listTitle);
    expect(texts(list!).join('\n')).toContain(scene.id);
    expect(texts(list!).join('\n')).toContain(w.status.closed);

    // Each message once, in the order the case moved.
    await until('an empty outbox', async () => (await bot.app.outbox.pending()).length === 0);
    expect(scene.adminMessages().map(title)).toEqual([
      w.adminTitles.taken,
      w.adminTitles.question,
      w.adminTitles.question,
      w.adminTitles.withMicrosoft,
      w.adminTitles.resolved,
      w.adminTitles.resolved,
    ]);
    expect(scene.thread()).toHaveLength(4);
  }, 60_000);
});
