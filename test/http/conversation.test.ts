// What an admin notices across turns: greetings, restarts, old cards, typed commands, language, hostile input.
import { DatabaseSync } from 'node:sqlite';
import { TeamsUser, startBot, useBot } from '../support/bot';
import { buttons, choicesOf, codeBlocks, findButton, inputValue, texts, title } from '../support/cards';
import { FakeConnector } from '../support/connector';

const CASE = { protocol: 'pop3', version: '2010', server: 'EX01', mailbox: 'taro@contoso.com', errorText: '' };

async function walkToStep(user: TeamsUser, steps: number, fields: Record<string, string> = CASE) {
  await user.joins();
  await user.click('details', { next: 'walk' }, fields);
  await user.click('stillFailing');
  await user.click('haveAccess');
  for (let i = 1; i < steps; i++) await user.click('stillFailing');
  return user.card!;
}

describe('a conversation with the bot', () => {
  const bot = useBot();

  it('greets a new user once, in the language Teams reports', async () => {
    const ja = new TeamsUser(bot, { locale: 'ja-JP', userId: 'ja-user' });
    const [card] = await ja.joins();
    expect(title(card!)).toBe('POP3 / IMAP4 のトラブルシューティング');
    expect(texts(card!).join('\n')).toContain('パスワードは一切不要です');
    const en = new TeamsUser(bot, { locale: 'en-GB', userId: 'en-user' });
    const [enCard] = await en.joins();
    expect(title(enCard!)).toBe('POP3 / IMAP4 troubleshooting');
  });

  it('fills the commands with the server and mailbox given, and placeholders for what is missing', async () => {
    const user = new TeamsUser(bot);
    const card = await walkToStep(user, 3, { ...CASE, server: '' });
    const code = codeBlocks(card).join('\n');
    expect(code).toContain("'taro@contoso.com'");
    expect(code).not.toContain('EX01');
    const step4 = await user.click('stillFailing');
    expect(codeBlocks(step4).join('\n')).toContain('<Server>');
  });

  it('keeps a hostile mailbox name one inert PowerShell argument', async () => {
    const hostile = "o'neil\"; $(Remove-Item C:\\ -Recurse) `whoami` ’x";
    const user = new TeamsUser(bot);
    const card = await walkToStep(user, 3, { ...CASE, mailbox: hostile });
    const quoted = "'o''neil\"; $(Remove-Item C:\\ -Recurse) `whoami` ’’x'";
    const lines = codeBlocks(card).join('\n').split('\n').filter((l) => l.includes('neil'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain(quoted);
  });

  it('says which field is wrong and keeps everything else that was typed', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    const card = await user.click('details', { next: 'walk' }, { ...CASE, server: 'EX01; Stop-Service x', mailbox: 'line\nbreak@contoso.com' });
    const shown = texts(card).join('\n');
    expect(shown).toContain('Exchange server name: use the server');
    expect(shown).toContain('Mailbox must be on one line');
    expect(inputValue(card, 'server')).toBe('EX01; Stop-Service x');
    expect(inputValue(card, 'version')).toBe('2010');
    expect(inputValue(card, 'protocol')).toBe('pop3');
  });

  it('gives every choice a value of its own, and takes "version not given" back as not given', async () => {
    const user = new TeamsUser(bot);
    const [welcome] = await user.joins();
    // Microsoft's reference parser (adaptivecards, Input.ChoiceSet) flags a choice whose title or value is empty.
    for (const id of ['protocol', 'version']) for (const choice of choicesOf(welcome!, id)) expect(choice.value).not.toBe('');
    const notGiven = choicesOf(welcome!, 'version').find((c) => c.title === 'Version not given')!;
    expect(inputValue(welcome!, 'version')).toBe(notGiven.value);
    const card = await user.click('details', { next: 'walk' }, { ...CASE, version: notGiven.value });
    expect(title(card)).toBe('First, the mail client');
    expect(texts(card).join('\n')).toContain('POP3 · Version not given · EX01 · taro@contoso.com');
    const back = await user.click('back');
    expect(inputValue(back, 'version')).toBe(notGiven.value);
  });

  it('answers a click on an old card for where the conversation is now, without replaying it', async () => {
    const user = new TeamsUser(bot);
    const step1 = await walkToStep(user, 1);
    const step2 = await user.click('stillFailing');
    expect(title(step2)).toMatch(/^Step 2 of 4/);
    const again = await user.click('stillFailing', {}, {}, step1);
    expect(title(again)).toBe(title(step2));
    expect(texts(again).join('\n')).toContain('That button was on an older card');
    expect(title(await user.click('stillFailing', {}, {}, step2))).toMatch(/^Step 3 of 4/);
  });

  it('applies a delivery that Teams retries only once', async () => {
    const user = new TeamsUser(bot);
    const step1 = await walkToStep(user, 1);
    const click = {
      id: 'retried-invoke',
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'stillFailing', data: findButton(step1, 'stillFailing')!.data } },
    };
    const first = await user.send(click);
    const retry = await user.send(click);
    const cardOf = (r: typeof first) => (r.result.body as { value: Record<string, unknown> }).value;
    expect(title(cardOf(first))).toMatch(/^Step 2 of 4/);
    expect(title(cardOf(retry))).toMatch(/^Step 2 of 4/);
    expect((await user.send({ id: 'retried-message', type: 'message', text: 'step 4' })).cards).toHaveLength(1);
    expect((await user.send({ id: 'retried-message', type: 'message', text: 'step 4' })).cards).toHaveLength(0);
    expect(title(user.card!)).toMatch(/^Step 4 of 4/);
  });

  it('keeps what was typed on the case form when the admin switches language, asks for help or escalates from it', async () => {
    const user = new TeamsUser(bot, { userId: 'form-keeper' });
    await user.joins();
    const typed = { protocol: 'imap4', version: '2019', server: 'EX02', mailbox: 'hanako@contoso.com', errorText: 'NO LOGIN failed.' };
    const japanese = await user.click('language', {}, typed);
    expect(title(japanese)).toBe('POP3 / IMAP4 のトラブルシューティング');
    for (const [id, value] of Object.entries(typed)) expect(inputValue(japanese, id)).toBe(value);
    await user.click('help', {}, { ...typed, server: 'EX03' });
    const confirm = await user.click('escalate', {}, { ...typed, server: 'EX03' });
    expect(title(confirm)).toBe('エスカレーションの内容を確認してください');
    expect(texts(confirm).join('\n')).toContain('EX03');
    expect(texts(confirm).join('\n')).toContain('hanako@contoso.com');
    await user.click('help', {}, { note: '証明書を更新した直後から password: hunter2' });
    const again = await user.click('language', {}, { note: '証明書を更新した直後から password: hunter2' });
    expect(title(again)).toBe('Check the escalation before it goes out');
    expect(inputValue(again, 'note')).toBe('証明書を更新した直後から password: ••••••');
  });

  it('greets once when Teams retries the "bot added" update', async () => {
    const user = new TeamsUser(bot);
    const added = { id: 'retried-added', type: 'conversationUpdate', membersAdded: [{ id: 'bot-1' }, { id: 'user-1' }] };
    expect((await user.send(added)).cards).toHaveLength(1);
    expect((await user.send(added)).cards).toHaveLength(0);
  });

  it('understands typed steps in both languages and shows the current card after an unknown message', async () => {
    const user = new TeamsUser(bot);
    await walkToStep(user, 1);
    const [jumped] = await user.say('ステップ３');
    expect(title(jumped!)).toMatch(/^Step 3 of 4/);
    const [hint] = await user.say('the printer is on fire');
    expect(title(hint!)).toMatch(/^Step 3 of 4/);
    expect(texts(hint!).join('\n')).toContain("I didn't catch that");
  });

  it('reads shell output pasted into the chat, names the failing step and leads to its fix', async () => {
    const user = new TeamsUser(bot, { locale: 'ja-JP' });
    await user.joins();
    await user.click('details', { next: 'check' }, { ...CASE, protocol: 'imap4', version: '2016' });
    const pasted = [
      'Status   Name               DisplayName',
      '------   ----               -----------',
      'Running  MSExchangeIMAP4    Microsoft Exchange IMAP4',
      'Stopped  MSExchangeIMAP4BE  Microsoft Exchange IMAP4 Backend',
    ].join('\r\n');
    const [verdict] = await user.say(pasted);
    expect(texts(verdict!).join('\n')).toContain('MSExchangeIMAP4BE が Stopped の状態です');
    const fix = await user.click('showFix');
    expect(title(fix)).toMatch(/^対処: /);
    expect(title(fix)).toContain('IMAP4');
    expect(codeBlocks(fix).join('\n')).toContain('MSExchangeIMAP4BE');
    const [unreadable] = await user.say('チェック');
    expect(title(unreadable!)).toBe('設定のチェック');
  });

  it('names every step after the case’s protocol, in the list of steps as on the step itself', async () => {
    const user = new TeamsUser(bot, { locale: 'ja-JP' });
    await user.joins();
    const which = await user.click('details', { next: 'pick' }, { ...CASE, protocol: 'imap4', version: '2016' });
    expect(buttons(which).filter((b) => b.verb === 'pick').map((b) => b.title)).toEqual([
      'メール クライアントの設定',
      'ステップ 1: IMAP4 サービス',
      'ステップ 2: IMAP4 のサーバー設定',
      'ステップ 3: メールボックスの IMAP4 設定',
      'ステップ 4: 送信用の受信コネクタ',
    ]);
    const step = await user.click('pick', { checkpoint: 'mailbox' });
    expect(title(step)).toContain('メールボックスの IMAP4 設定');
  });

  it('writes the date of an expired certificate the way each language writes dates', async () => {
    const certificate = [
      'Thumbprint         : 5113AE0233A72FCCB75B1D0198628675333D010E',
      'Subject            : CN=mail.contoso.com',
      'CertificateDomains : {mail.contoso.com}',
      'Services           : IMAP, POP, IIS, SMTP',
      'NotAfter           : 2026/03/31 8:59:59',
      'Status             : DateInvalid',
    ].join('\r\n');
    for (const [locale, expected] of [['ja-JP', '有効期限が切れています (2026 年 3 月 31 日)'], ['en-US', 'has expired (2026-03-31)']] as const) {
      const user = new TeamsUser(bot, { locale });
      await user.joins();
      await user.click('details', { next: 'check' }, CASE);
      const [verdict] = await user.say(certificate);
      expect(texts(verdict!).join('\n')).toContain(expected);
    }
  });

  it('shows help and then the current card', async () => {
    const user = new TeamsUser(bot);
    await walkToStep(user, 2);
    const cards = await user.say('help');
    expect(cards.map(title)).toEqual(['What you can say', expect.stringMatching(/^Step 2 of 4/)]);
  });

  it('switches language on the spot, shows the same step again, and remembers it for the user', async () => {
    const user = new TeamsUser(bot, { userId: 'switcher' });
    const step2 = await walkToStep(user, 2);
    const switched = await user.click('language', { language: 'ja' });
    expect(title(switched)).toMatch(/^ステップ 2\/4/);
    expect(codeBlocks(switched)).toEqual(codeBlocks(step2));
    const later = new TeamsUser(bot, { userId: 'switcher', locale: 'en-US' });
    const [welcome] = await later.joins();
    expect(title(welcome!)).toBe('POP3 / IMAP4 のトラブルシューティング');
    await later.say('English');
    expect(title(later.card!)).toBe('POP3 / IMAP4 troubleshooting');
  });

  it('closes a resolved case and opens a new one only on "start over"', async () => {
    const user = new TeamsUser(bot);
    await walkToStep(user, 2);
    const done = await user.click('worksNow');
    expect(title(done)).toBe('Good, it works');
    expect(texts(done).join('\n')).toContain('The check that solved it: POP3 server settings.');
    // A closed case offers only what it will do: no "which step failed" or "escalate" that answer "closed".
    expect(buttons(done).map((b) => b.verb).sort()).toEqual(['help', 'language', 'startOver']);
    const [closed] = await user.say('step 1');
    expect(texts(closed!).join('\n')).toContain('This case is closed');
    const fresh = await user.click('startOver', {}, {}, done);
    expect(title(fresh)).toBe('POP3 / IMAP4 troubleshooting');
    expect(inputValue(fresh, 'mailbox')).toBe('');
  });

  it('escalates with a number, the support route and a summary in English and Japanese', async () => {
    const user = new TeamsUser(bot, { locale: 'ja-JP', userId: 'esc-ja', userName: '山田 花子' });
    await walkToStep(user, 2);
    await user.click('thisFailed');
    const confirm = await user.click('escalate');
    expect(title(confirm)).toBe('エスカレーションの内容を確認してください');
    expect(texts(confirm).join('\n')).toContain('POP3 のサーバー設定');
    expect(texts(confirm).join('\n')).toContain('山田 花子');
    const done = await user.click('confirmEscalation', {}, { note: '証明書を更新した直後から' });
    expect(title(done)).toMatch(/^エスカレーションしました: ESC-\d{8}-[0-9A-Z]{6}$/);
    // One summary to paste: Japanese first, then English for Microsoft support, the commands given once.
    const summary = codeBlocks(done).at(-1)!;
    const [japanese, english] = summary.split('\n\nExchange POP3 issue, escalation ESC-');
    expect(japanese).toMatch(/^Exchange POP3 の問題、エスカレーション番号 ESC-/);
    expect(japanese).toContain('失敗したステップ: POP3 のサーバー設定');
    expect(japanese).toContain('依頼者: 山田 花子');
    expect(english).toContain('Failed step: POP3 server settings');
    expect(english).toContain('Note: 証明書を更新した直後から');
    // The note reads the same in both languages: once in the summary, like the commands.
    expect(summary.split('証明書を更新した直後から')).toHaveLength(2);
    const fix = "Set-PopSettings -Server 'EX01' -LoginType SecureLogin";
    expect(summary.split(fix)).toHaveLength(2);
    expect(english).toContain(fix);
    expect(buttons(done).map((b) => b.verb).sort()).toEqual(['help', 'language', 'startOver']);
    // Dates as each reader writes them: the Japanese card and summary in Japanese, the English summary ISO-like.
    expect(texts(done).join('\n')).toContain('2020 年 10 月 13 日にサポートが終了しています');
    expect(japanese).toMatch(/\n起票日時: \d{4} 年 \d{1,2} 月 \d{1,2} 日 \d\d:\d\d \(UTC\)\n/);
    expect(english).toMatch(/\nOpened: \d{4}-\d\d-\d\d \d\d:\d\d UTC\n/);
  });
});

describe('a restart of the bot', () => {
  it('continues the conversation where it was', async () => {
    const connector = new FakeConnector();
    const serviceUrl = await connector.start();
    const first = await startBot({ connector });
    const dbPath = first.dbPath;
    const user = new TeamsUser(first, { serviceUrl });
    const step2 = await walkToStep(user, 2);
    await first.app.stop();

    const second = await startBot({ connector, dbPath });
    const sameUser = new TeamsUser(second, { serviceUrl, conversationId: user.conversationId });
    const step3 = await sameUser.click('stillFailing', {}, {}, step2);
    expect(title(step3)).toMatch(/^Step 3 of 4/);
    expect(codeBlocks(step3).join('\n')).toContain("'taro@contoso.com'");
    await second.stop();
    await connector.stop();
  });

  it('shows a verdict saved before its sentence named the protocol with the case’s protocol, never a raw placeholder', async () => {
    const connector = new FakeConnector();
    const serviceUrl = await connector.start();
    const first = await startBot({ connector });
    const user = new TeamsUser(first, { serviceUrl, locale: 'ja-JP' });
    await user.joins();
    await user.click('details', { next: 'check' }, { ...CASE, protocol: 'imap4', version: '2016' });
    await user.say(['Status   Name               DisplayName', '------   ----               -----------', 'Stopped  MSExchangeIMAP4    Microsoft Exchange IMAP4'].join('\r\n'));
    await first.app.stop();

    // Verdicts as an earlier release kept them: only the values quoted from the paste, no protocol or port.
    const oldVerdicts = [
      [{ source: 'serviceTable', finding: 'serviceStopped', checkpoint: 'service', values: { service: 'MSExchangeIMAP4', status: 'Stopped' } }, 'IMAP4 サービスが実行中でないと'],
      [{ source: 'clientError', finding: 'errorLoginBeforeTls', checkpoint: 'serverSettings', values: {} }, 'ポート 993 か STARTTLS を使う必要があります'],
    ] as const;
    const db = new DatabaseSync(first.dbPath);
    const key = `conversation/msteams/${user.conversationId}`;
    const record = JSON.parse((db.prepare('SELECT value FROM documents WHERE key = ?').get(key) as { value: string }).value);
    for (const [diagnosis, sentence] of oldVerdicts) {
      db.prepare('UPDATE documents SET value = ? WHERE key = ?').run(JSON.stringify({ ...record, context: { ...record.context, diagnosis } }), key);
      const bot = await startBot({ connector, dbPath: first.dbPath });
      const sameUser = new TeamsUser(bot, { serviceUrl, conversationId: user.conversationId, locale: 'ja-JP' });
      const [, card] = await sameUser.say('help');
      expect(texts(card!).join('\n')).toContain(sentence);
      expect(texts(card!).join('\n')).not.toContain('{{');
      await bot.app.stop();
    }
    db.close();
    await connector.stop();
  });

  it('starts over politely when the saved conversation no longer fits the flow, keeping the case details', async () => {
    const connector = new FakeConnector();
    const serviceUrl = await connector.start();
    const first = await startBot({ connector });
    const user = new TeamsUser(first, { serviceUrl });
    await walkToStep(user, 2);
    await first.app.stop();

    const db = new DatabaseSync(first.dbPath);
    const key = `conversation/msteams/${user.conversationId}`;
    const row = db.prepare('SELECT value FROM documents WHERE key = ?').get(key) as { value: string };
    const record = JSON.parse(row.value);
    db.prepare('UPDATE documents SET value = ? WHERE key = ?').run(JSON.stringify({ ...record, state: 'stateFromAnOldRelease' }), key);
    db.close();

    const second = await startBot({ connector, dbPath: first.dbPath });
    const sameUser = new TeamsUser(second, { serviceUrl, conversationId: user.conversationId });
    const [card] = await sameUser.say('step 2');
    expect(title(card!)).toBe('POP3 / IMAP4 troubleshooting');
    expect(texts(card!).join('\n')).toContain('I was updated and could not continue');
    expect(inputValue(card!, 'mailbox')).toBe('taro@contoso.com');
    expect(findButton(card!, 'details', { next: 'walk' })).toBeDefined();
    await second.stop();
    await connector.stop();
  });
});
