// Bad input and bad moments: each gets a clear answer, and nothing the admin already did is lost.
import { Writable } from 'node:stream';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { StorageUnavailableError } from '../../src/storage/store';
import { TeamsUser, post, startBot, useBot } from '../support/bot';
import { type Card, codeBlocks, texts, title } from '../support/cards';

const CASE = { protocol: 'pop3', version: '2016', server: 'EX01', mailbox: 'taro@contoso.com', errorText: '' };

/** The embedded store, with a switch that makes the next writes fail as a full disk or a lost share would. */
class FlakyStore extends SqliteStore {
  failWrites = false;
  /** Commits the next conversation writes and then says they failed, as a store whose answers are lost does. */
  loseAnswers = false;
  override async write<T>(key: string, value: T, expectedEtag?: string | null): Promise<string> {
    if (this.failWrites) throw new StorageUnavailableError('write');
    const etag = await super.write(key, value, expectedEtag);
    if (this.loseAnswers && key.startsWith('conversation/')) throw new StorageUnavailableError('write');
    return etag;
  }
}

function inputIds(card: Card): string[] {
  const ids: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const e = node as Record<string, unknown>;
      if (typeof e.type === 'string' && e.type.startsWith('Input.')) ids.push(String(e.id));
      Object.values(e).forEach(walk);
    }
  };
  walk(card);
  return ids;
}

describe('bad input', () => {
  const bot = useBot();

  it('answers a 100,000-character message with a hint and the current step', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    await user.click('details', { next: 'walk' }, CASE);
    const [card] = await user.say('x'.repeat(100_000));
    expect(title(card!)).toBe('First, the mail client');
    expect(texts(card!).join('\n')).toContain("I didn't catch that");
  });

  it('answers a form field far over its limit with "too long", keeping what was typed', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    const card = await user.click('details', { next: 'walk' }, { ...CASE, errorText: `-ERR Logon failure\n${'x'.repeat(50_000)}` });
    expect(texts(card).join('\n')).toContain('Error the mail client shows is too long');
    expect(JSON.stringify(card)).toContain('taro@contoso.com');
  });

  it('reads a paste longer than it keeps up to its limit', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    await user.click('details', { next: 'check' }, CASE);
    const verdict = await user.click('paste', {}, { paste: `Name       : Taro\r\nPopEnabled : False\r\n\r\n${' '.repeat(150_000)}` });
    expect(texts(verdict).join('\n')).toContain('PopEnabled is False for Taro');
  });

  it('treats control characters as text it does not understand, not as commands', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    const [card] = await user.say('\u0000\u001b[2J\u0007');
    expect(title(card!)).toBe('POP3 / IMAP4 troubleshooting');
  });

  it('refuses a mailbox with a line break and keeps the rest of the form', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    const card = await user.click('details', { next: 'walk' }, { ...CASE, mailbox: "taro@contoso.com'\n; Remove-Mailbox x" });
    expect(texts(card).join('\n')).toContain('Mailbox must be on one line');
    expect(codeBlocks(card)).toEqual([]);
  });

  it('shows markdown in pasted shell output as the characters pasted, never as a link or bold', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    await user.click('details', { next: 'check' }, { ...CASE });
    const [verdict] = await user.say(['Name       : [Click me](https://evil.example) **Taro**', 'PopEnabled : False'].join('\r\n'));
    const carriers: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const element = node as Record<string, unknown>;
      for (const value of Object.values(element)) {
        if (typeof value === 'string' && value.includes('evil.example')) carriers.push(String(element.type));
        else walk(value);
      }
    };
    walk(verdict);
    expect(carriers.length).toBeGreaterThan(0);
    // TextRun is the one text element Teams never reads as markdown.
    expect(new Set(carriers)).toEqual(new Set(['TextRun']));
  });

  it('tells the admin, in their language, when the answer could not be delivered', async () => {
    const user = new TeamsUser(bot, { locale: 'ja-JP', userId: 'undelivered' });
    await user.joins();
    bot.connector.refuse(user.conversationId, 1);
    const before = bot.connector.sent.length;
    await user.send({ type: 'message', text: 'ステップ1' });
    const [apology] = bot.connector.since(before);
    expect(apology?.text).toContain('最新のカードを確認し');
  });

  it('answers an activity without a conversation with 400', async () => {
    const result = await post(bot.url, { type: 'message', text: 'hi', serviceUrl: bot.serviceUrl, channelId: 'msteams', from: { id: 'u' } });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ code: 'InvalidActivity', message: expect.stringContaining('conversation') });
  });

  it.each([
    ['a text that is not a string', { text: 12345 }, 'text'],
    ['an empty entity', { text: 'hi', entities: [null] }, 'entities'],
    ['a mention that names nobody', { text: '<at>bot</at> hi', entities: [{ type: 'mention', text: '<at>bot</at>' }] }, 'entities'],
  ])('answers a message with %s with 400, naming the field', async (_what, fields, field) => {
    const activity = { type: 'message', serviceUrl: bot.serviceUrl, channelId: 'msteams', from: { id: 'u' }, conversation: { id: 'c-bad' }, ...fields };
    const result = await post(bot.url, activity);
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ code: 'InvalidActivity', message: expect.stringContaining(field) });
  });

  it('answers a message that does not say who it was sent to', async () => {
    const before = bot.connector.sent.length;
    const activity = { type: 'message', id: 'no-recipient-1', text: 'help', serviceUrl: bot.serviceUrl, channelId: 'msteams', from: { id: 'u-nr' }, conversation: { id: 'c-nr' } };
    const result = await post(bot.url, activity);
    expect(result.status).toBe(200);
    expect(bot.connector.since(before).length).toBeGreaterThan(0);
  });

  it('answers a message whose optional fields are null, as JSON from a channel may carry them', async () => {
    const before = bot.connector.sent.length;
    const activity = {
      type: 'message',
      id: null,
      text: 'help',
      locale: null,
      serviceUrl: bot.serviceUrl,
      channelId: 'msteams',
      from: { id: 'u-null', name: null },
      recipient: { id: 'bot-1', name: null },
      conversation: { id: 'c-null', conversationType: null, tenantId: null },
    };
    const result = await post(bot.url, activity);
    expect(result.status).toBe(200);
    expect(bot.connector.since(before).length).toBeGreaterThan(0);
  });

  it('answers an invoke it does not handle with 501 and says which', async () => {
    const user = new TeamsUser(bot);
    const { result } = await user.send({ type: 'invoke', name: 'composeExtension/query', value: {} });
    expect(result.status).toBe(501);
    expect(JSON.stringify(result.body)).toContain('composeExtension/query');
  });

  it('answers a forged button with the current card instead of acting on it', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    const card = await user.invoke('pick', { verb: 'pick', checkpoint: 'fileSystem', rev: 0 });
    expect(texts(card).join('\n')).toContain('That button is not one I recognize');
    expect(title(card)).toBe('POP3 / IMAP4 troubleshooting');
  });

  it('never offers a field a password could go into', async () => {
    const user = new TeamsUser(bot);
    const [welcome] = await user.joins();
    await user.click('details', { next: 'pick' }, CASE);
    const confirm = await user.click('escalate');
    expect([...inputIds(welcome!), ...inputIds(confirm)].sort()).toEqual(['clientHost', 'errorText', 'mailbox', 'note', 'protocol', 'server', 'version']);
  });
});

describe('a store that fails in the middle of a turn', () => {
  /** A bot on a FlakyStore, and an admin on its step 1 card. */
  async function atStepOne() {
    let store: FlakyStore | undefined;
    const bot = await startBot({ store: (path) => (store = new FlakyStore(path)) });
    const user = new TeamsUser(bot);
    await user.joins();
    await user.click('details', { next: 'walk' }, CASE);
    await user.click('stillFailing');
    const access = await user.click('haveAccess');
    expect(title(access)).toMatch(/^Step 1 of 4/);
    return { store: store!, bot, user, access };
  }

  it('apologises, keeps the last good step, and carries on once the store is back', async () => {
    const { store, bot, user, access } = await atStepOne();

    store.failWrites = true;
    const failed = await user.click('stillFailing');
    expect(texts(failed).join('\n')).toContain("couldn't save your progress");

    store.failWrites = false;
    const retried = await user.click('stillFailing', {}, {}, access);
    expect(title(retried)).toMatch(/^Step 2 of 4/);
    await bot.stop();
  });

  it('does not say a click was lost when the store kept it and only its answer was lost', async () => {
    const { store, bot, user } = await atStepOne();

    store.loseAnswers = true;
    const kept = await user.click('stillFailing');
    store.loseAnswers = false;
    expect(texts(kept).join('\n')).not.toContain("couldn't save your progress");
    expect(title(kept)).toMatch(/^Step 2 of 4/);
    expect(title(await user.click('stillFailing'))).toMatch(/^Step 3 of 4/);
    await bot.stop();
  });
});

describe('the logs', () => {
  it('hold neither what the admin typed nor any credential', async () => {
    const lines: string[] = [];
    const logs = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const secret = 'Bot-Secret-Value~42';
    const bot = await startBot({ logs });
    const user = new TeamsUser(bot);
    await user.joins();
    await user.click('details', { next: 'pick' }, { ...CASE, mailbox: 'very.private@contoso.com', errorText: `PASS ${secret}\n-ERR Logon failure` });
    await user.click('pick', { checkpoint: 'mailbox' });
    await user.click('escalate');
    await user.click('confirmEscalation', {}, { note: 'Only the CFO is affected' });
    await user.say('my password is hunter2 please help');
    await bot.stop();

    const authed = await startBot({ logs, env: { MicrosoftAppId: 'app-id', MicrosoftAppPassword: secret, MicrosoftAppTenantId: 'tenant' } });
    await post(authed.url, { type: 'message', text: 'hi' }, { authorization: 'Bearer eyJhbGciOi.fake.token' });
    await authed.stop();

    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(5);
    for (const typed of ['very.private@contoso.com', secret, 'Logon failure', 'Only the CFO', 'hunter2', 'eyJhbGciOi']) {
      expect({ typed, found: all.includes(typed) }).toEqual({ typed, found: false });
    }
  });
});
