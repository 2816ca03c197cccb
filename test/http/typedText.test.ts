// What an admin types into the chat, in their own words, reaching the real bot over the Bot Framework protocol.
import { DatabaseSync } from 'node:sqlite';
import { TeamsUser, useBot } from '../support/bot';
import { buttons, inputValue, texts, title } from '../support/cards';

const CASE = { protocol: 'pop3', version: '2016', server: 'EX01', mailbox: 'taro@contoso.com', errorText: '' };

async function withCase(user: TeamsUser, next: 'walk' | 'pick' | 'check' = 'pick') {
  await user.joins();
  return user.click('details', { next }, CASE);
}

describe('typing in your own words', () => {
  const bot = useBot();

  it('takes "Step 3 is where it fails" to the fix for the third step', async () => {
    const user = new TeamsUser(bot);
    await withCase(user, 'walk');
    const [card] = await user.say('Step 3 is where it fails');
    expect(title(card!)).toBe('Fixing: POP3 for the mailbox');
  });

  it('takes a bare "3" on the which-step screen as the third step', async () => {
    const user = new TeamsUser(bot);
    await withCase(user, 'pick');
    const [card] = await user.say('3');
    expect(title(card!)).toBe('Fixing: POP3 for the mailbox');
  });

  it('understands Japanese requests in business register', async () => {
    const user = new TeamsUser(bot, { locale: 'ja-JP' });
    await withCase(user, 'walk');
    const [escalating] = await user.say('エスカレーションしてください');
    expect(title(escalating!)).toBe('エスカレーションの内容を確認してください');
    const [english] = await user.say('英語でお願いします');
    expect(title(english!)).toBe('Check the escalation before it goes out');
  });

  it('closes the case from the escalation preview when the admin says it works now, and keeps it open when that is only a remark', async () => {
    const user = new TeamsUser(bot);
    await withCase(user, 'walk');
    await user.say('escalate please');
    // Typed on the preview, a sentence may be the note: closing the case (and dropping the escalation) is asked first.
    const [remark] = await user.say('the user says it worked yesterday');
    expect(title(remark!)).toBe('Check the escalation before it goes out');
    const [asked] = await user.say('actually it works now');
    expect(title(asked!)).toBe('Check the escalation before it goes out');
    expect(buttons(asked!).filter((b) => b.verb === 'meant').map((b) => b.title)).toEqual(['It works now']);
    expect(title(await user.click('meant', { say: 'worksNow' }))).toBe('Good, it works');
    const other = new TeamsUser(bot);
    await withCase(other, 'walk');
    await other.say('escalate please');
    const [solved] = await other.say('解決しました');
    expect(title(solved!)).toBe('Good, it works');
  });

  it('reads "start over please" and "help me" on the paste screen as commands, not as pastes', async () => {
    const user = new TeamsUser(bot);
    await withCase(user, 'check');
    const [help] = await user.say('help me');
    expect(title(help!)).toBe('What you can say');
    const [card] = await user.say('start over please');
    expect(texts(card!).join('\n')).not.toContain('I could not read this');
    const form = await user.click('meant', { say: 'startOver' });
    expect(buttons(form).map((b) => b.verb)).toContain('details');
  });

  it('keeps the note typed on the preview when the escalation is confirmed from the chat', async () => {
    const user = new TeamsUser(bot);
    await withCase(user, 'walk');
    await user.say('escalate please');
    await user.click('language', {}, { note: 'Since Monday, 40 users' });
    await user.click('language', {}, {});
    const [asked] = await user.say('send it');
    const sent = await user.click('meant', { say: 'confirmEscalation' }, {}, asked);
    expect(title(sent)).toMatch(/^Escalated: ESC-/);
    const db = new DatabaseSync(bot.dbPath);
    const kept = db.prepare('SELECT value FROM documents WHERE key = ?').get(`conversation/msteams/${user.conversationId}`) as { value: string };
    db.close();
    expect(JSON.parse(kept.value).context.note).toBe('Since Monday, 40 users');
  });

  it('reads output pasted on a step screen as a paste, and names what it shows', async () => {
    const user = new TeamsUser(bot);
    await withCase(user, 'walk');
    const [card] = await user.say('Name       : Taro\nPopEnabled : False\nImapEnabled : True');
    expect(texts(card!).join('\n')).toContain('PopEnabled is False for Taro');
  });

  it('offers its best guesses as buttons when it is not sure, and a click does what the button says', async () => {
    const user = new TeamsUser(bot);
    await withCase(user, 'walk');
    const [card] = await user.say('yes');
    expect(texts(card!).join('\n')).toContain('Did you mean one of these?');
    const offered = buttons(card!).filter((b) => b.verb === 'meant');
    expect(offered.map((b) => b.title)).toEqual(['It works now', 'Done, still failing', 'This step failed']);
    const after = await user.click('meant', { say: 'stillFailing' });
    expect(title(after)).toBe('Check your access');
  });

  it('says it did not understand, and shows where the admin is, when nothing fits', async () => {
    const user = new TeamsUser(bot);
    await withCase(user, 'walk');
    const [card] = await user.say('what is the weather in Osaka');
    expect(texts(card!).join('\n')).toContain("I didn't catch that");
    expect(title(card!)).toBe('First, the mail client');
  });
});

describe('telling the case before filling the form', () => {
  const bot = useBot();

  it('fills the protocol and the version from what the admin typed, and keeps them for the form', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    const [card] = await user.say('IMAP on Exchange 2019 stopped working this morning');
    expect(texts(card!).join('\n')).toContain('I filled in the form with what you wrote');
    expect([inputValue(card!, 'protocol'), inputValue(card!, 'version')]).toEqual(['imap4', '2019']);
  });

  it('leaves a version it cannot be sure of for the admin to choose', async () => {
    const user = new TeamsUser(bot, { locale: 'ja-JP' });
    await user.joins();
    const [card] = await user.say('Exchange 2016 から Exchange Online に移行中で、POP がつながりません');
    expect([inputValue(card!, 'protocol'), inputValue(card!, 'version')]).toEqual(['pop3', expect.not.stringMatching(/2016|Online/)]);
  });
});
