// The promises an escalation makes, held on real parts: the bot's own SQLite file damaged under it, a local
// webhook that is slow or down, the admin's conversation receiving what the bot tells them afterwards.
import { DatabaseSync } from 'node:sqlite';
import { Writable } from 'node:stream';
import { type BotUnderTest, TeamsUser, startBot } from '../support/bot';
import { escalationId } from '../support/escalate';
import { type Card, inputValue, texts, title } from '../support/cards';
import type { SentActivity } from '../support/connector';
import { TicketingWebhook, until } from '../support/webhook';

const FAST_OUTBOX = { OUTBOX_INTERVAL_MS: '50', OUTBOX_FIRST_RETRY_MS: '100', OUTBOX_MAX_RETRY_MS: '200' };
const CASE = { protocol: 'pop3', version: '2016', server: 'EX01', mailbox: 'taro@contoso.com', errorText: 'Logon failure' };

class LogLines extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
  count(message: string): number {
    return this.lines.filter((l) => l.msg === message).length;
  }
}

async function toConfirmation(user: TeamsUser): Promise<Card> {
  await user.joins();
  await user.click('details', { next: 'pick' }, CASE);
  await user.click('pick', { checkpoint: 'mailbox' });
  return user.click('escalate');
}

async function escalate(user: TeamsUser): Promise<string> {
  await toConfirmation(user);
  return escalationId(await user.click('confirmEscalation', {}, { note: 'since Monday' }));
}

/** Rewrites a stored document's bytes behind the bot's back, as a torn write or a hand edit would leave them. */
function damage(bot: BotUnderTest, key: string, cut: (value: string) => string): string {
  const db = new DatabaseSync(bot.dbPath);
  try {
    const { value } = db.prepare('SELECT value FROM documents WHERE key = ?').get(key) as { value: string };
    const damaged = cut(value);
    // A new eTag too, as any write leaves: a writer holding the old one must not paper over the damage.
    db.prepare('UPDATE documents SET value = ?, etag = etag + 1 WHERE key = ?').run(damaged, key);
    return damaged;
  } finally {
    db.close();
  }
}

function storedKeys(bot: BotUnderTest, prefix: string): string[] {
  const db = new DatabaseSync(bot.dbPath);
  try {
    return (db.prepare('SELECT key FROM documents WHERE key >= ? AND key < ?').all(prefix, `${prefix}\uffff`) as Array<{ key: string }>).map((r) => r.key);
  } finally {
    db.close();
  }
}

async function readiness(bot: BotUnderTest): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${bot.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function messagesTo(bot: BotUnderTest, user: TeamsUser): string[] {
  return bot.connector.sent
    .filter((a: SentActivity) => (a.conversation as { id: string }).id === user.conversationId && typeof a.text === 'string')
    .map((a) => a.text!);
}

describe('the escalation outbox', () => {
  let webhook: TicketingWebhook;
  let url: string;
  const bots: BotUnderTest[] = [];
  beforeEach(async () => {
    webhook = new TicketingWebhook();
    url = await webhook.start();
  });
  afterEach(async () => {
    await Promise.all(bots.splice(0).map((bot) => bot.stop()));
    await webhook.stop();
  });

  it('sets a damaged entry aside byte for byte, says so once, and keeps delivering every other escalation', async () => {
    const logs = new LogLines();
    const bot = await startBot({ logs, env: { HELPDESK_WEBHOOK_URL: url, ...FAST_OUTBOX } });
    bots.push(bot);
    webhook.mode = 'down';
    const first = await escalate(new TeamsUser(bot));
    const damagedBytes = damage(bot, `outbox/${first}/webhook`, (value) => value.slice(0, 40));
    const second = await escalate(new TeamsUser(bot));
    webhook.mode = 'up';

    await until('the second escalation', () => webhook.acceptedIds().includes(second));
    const third = await escalate(new TeamsUser(bot));
    await until('the third escalation', () => webhook.acceptedIds().includes(third));
    expect(webhook.acceptedIds()).not.toContain(first);

    // The damaged entry is found at its next attempt, which may come after the third escalation's delivery.
    await until('the damaged entry set aside', () => storedKeys(bot, 'damaged/').length > 0);
    const [aside] = storedKeys(bot, 'damaged/');
    expect(aside).toMatch(new RegExp(`^damaged/outbox/${first}/webhook@`));
    const db = new DatabaseSync(bot.dbPath);
    const kept = JSON.parse((db.prepare('SELECT value FROM documents WHERE key = ?').get(aside!) as { value: string }).value) as { base64: string };
    db.close();
    expect(Buffer.from(kept.base64, 'base64').toString('utf8')).toBe(damagedBytes);
    expect(logs.count('escalation outbox entry is damaged; kept aside under damaged/ for the operator')).toBe(1);
    expect((await readiness(bot)).body).toMatchObject({ status: 'ready', damagedDocuments: 1 });
  });

  it('posts to the Teams channel while the webhook is still holding its requests, and sends the webhook several at once', async () => {
    const bot = await startBot({ env: { HELPDESK_WEBHOOK_URL: url, ...FAST_OUTBOX } });
    bots.push(bot);
    const helpdesk = '19:helpdesk-fast@thread.tacv2';
    await new TeamsUser(bot, { conversationType: 'channel', conversationId: helpdesk }).say('register help desk');
    const before = bot.connector.sent.length;
    webhook.mode = 'hold';
    const ids = [await escalate(new TeamsUser(bot)), await escalate(new TeamsUser(bot)), await escalate(new TeamsUser(bot))];

    const channelPosts = () => bot.connector.since(before).filter((a) => (a.conversation as { id: string }).id === helpdesk);
    await until('every channel post', () => channelPosts().length === 3);
    await until('the webhook holding all three at once', () => webhook.held.length === 3);
    expect(webhook.accepted).toHaveLength(0);

    webhook.release();
    await until('all three accepted', () => ids.every((id) => webhook.acceptedIds().includes(id)));
    await until('an empty outbox', async () => (await bot.app.outbox.pending()).length === 0);
  });

  it('says the case is being delivered, then tells the admin when each target has it', async () => {
    const bot = await startBot({ env: { HELPDESK_WEBHOOK_URL: url, ...FAST_OUTBOX } });
    bots.push(bot);
    await new TeamsUser(bot, { conversationType: 'channel', conversationId: '19:hd@thread.tacv2' }).say('register help desk');
    webhook.mode = 'hold';
    const user = new TeamsUser(bot);
    await toConfirmation(user);
    const done = await user.click('confirmEscalation');
    const id = escalationId(done);
    expect(texts(done).join('\n')).toContain(`recorded as ${id} and is being delivered to the help desk's Teams channel and the help desk's ticketing system`);
    expect(texts(done).join('\n')).not.toMatch(/has been sent/);

    await until('the channel has it', () => messagesTo(bot, user).length === 1);
    expect(messagesTo(bot, user)).toEqual([`${id} has reached the help desk's Teams channel.`]);
    webhook.release();
    await until('the ticketing system has it', () => messagesTo(bot, user).length === 2);
    expect(messagesTo(bot, user)[1]).toBe(`${id} has reached the help desk's ticketing system.`);
  });

  it('tells the admin and the operator once when a target has been failing for longer than allowed', async () => {
    const logs = new LogLines();
    const bot = await startBot({ logs, env: { HELPDESK_WEBHOOK_URL: url, ...FAST_OUTBOX, OUTBOX_LATE_AFTER_MS: '1000' } });
    bots.push(bot);
    webhook.mode = 'down';
    const user = new TeamsUser(bot, { locale: 'ja-JP' });
    const id = await escalate(user);
    await until('the admin is told it is late', () => messagesTo(bot, user).length === 1);
    expect(messagesTo(bot, user)[0]).toMatch(new RegExp(`^${id} はまだヘルプデスクのチケット管理システムに届いていません。\\d+ 分間、送信に失敗しています。`));
    const late = 'escalation has not reached its target for longer than OUTBOX_LATE_AFTER_MS; the admin is told, and the bot keeps trying';
    expect(logs.lines.find((l) => l.msg === late)).toMatchObject({ level: 50, escalation: id, target: 'webhook' });

    const attempts = webhook.attempts.length;
    await until('more retries', () => webhook.attempts.length >= attempts + 3);
    expect(messagesTo(bot, user)).toHaveLength(1);
    expect(logs.count(late)).toBe(1);
    webhook.mode = 'up';
    await until('delivered after all', () => webhook.acceptedIds().includes(id));
    await until('the admin is told it arrived', () => messagesTo(bot, user).length === 2);
  });

  it('reports the outbox backlog and its age on the readiness route', async () => {
    const bot = await startBot({ env: { HELPDESK_WEBHOOK_URL: url, ...FAST_OUTBOX } });
    bots.push(bot);
    expect(await readiness(bot)).toEqual({ status: 200, body: { status: 'ready', outbox: { entries: 0, oldestAgeSeconds: 0 }, damagedDocuments: 0 } });
    webhook.mode = 'down';
    await escalate(new TeamsUser(bot));
    const { status, body } = await readiness(bot);
    expect(status).toBe(200);
    expect(body.outbox).toMatchObject({ entries: 1 });
  });
});

describe('a damaged row in the store', () => {
  let bot: BotUnderTest;
  let logs: LogLines;
  beforeEach(async () => {
    logs = new LogLines();
    bot = await startBot({ logs });
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('starts the conversation afresh with a notice, keeps the case details it can still read, and logs it once', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    await user.click('details', { next: 'walk' }, CASE);
    await user.click('stillFailing');
    await user.click('haveAccess');
    const key = `conversation/msteams/${user.conversationId}`;
    // Cut just after the case details: what follows them is lost, they are whole.
    damage(bot, key, (value) => value.slice(0, value.indexOf('}', value.indexOf('"details":')) + 12));

    const [card] = await user.say('hello');
    expect(texts(card!).join('\n')).toContain('I could not read what was saved of this conversation');
    expect(inputValue(card!, 'server')).toBe('EX01');
    expect(inputValue(card!, 'mailbox')).toBe('taro@contoso.com');
    const [next] = await user.say('start over');
    expect(title(next!)).toBe('POP3 / IMAP4 troubleshooting');
    expect(logs.count('a stored document is damaged; kept aside under damaged/ for the operator, starting it afresh')).toBe(1);
    expect(storedKeys(bot, 'damaged/conversation/')).toHaveLength(1);
  });

  it("lets a user whose saved language is unreadable go on in their Teams language", async () => {
    const user = new TeamsUser(bot, { locale: 'ja-JP', userId: 'user-prefs' });
    await user.joins();
    await user.say('English');
    damage(bot, 'user/msteams/user-prefs', () => '{"language":');
    const other = new TeamsUser(bot, { locale: 'ja-JP', userId: 'user-prefs' });
    const cards = await other.joins();
    expect(title(cards[0]!)).toBe('POP3 / IMAP4 のトラブルシューティング');
    const [again] = await user.say('help');
    expect(again).toBeDefined();
    expect(logs.count('a stored document is damaged; kept aside under damaged/ for the operator, starting it afresh')).toBe(1);
  });
});
