// Every way of writing a password (test/support/passwordForms.ts), typed into every free-text field and
// pasted both ways, through the real bot over HTTP, escalated to a ticketing webhook and the help desk's
// Teams channel. Then the bytes the bot left behind are searched: the SQLite file, the blobs, the logs,
// the webhook's bodies and the channel's cards. No secret, in any spelling, may be found in any of them.
import { readFileSync, existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { BlobServiceClient } from '@azure/storage-blob';
import { type BotUnderTest, TeamsUser, startBot } from '../support/bot';
import { type Azurite, startAzurite } from '../support/azurite';
import { texts, title } from '../support/cards';
import { LOOKALIKES, PASSWORD_FORMS, type PasswordForm, fullWidth } from '../support/passwordForms';
import { TicketingWebhook, until } from '../support/webhook';

const FAST_OUTBOX = { OUTBOX_INTERVAL_MS: '50', OUTBOX_FIRST_RETRY_MS: '100', OUTBOX_MAX_RETRY_MS: '200' };
const HELPDESK = '19:secrets-helpdesk@thread.tacv2';
const MASK = '••••••';

/** Where a secret was typed: each field gets its own secret, so a leak names its way in. */
const FIELDS = ['server', 'mailbox', 'errorText', 'note', 'cardPaste', 'chatPaste'] as const;
type Field = (typeof FIELDS)[number];

function secretFor(index: number, field: Field): string {
  return `Kq${String(index).padStart(2, '0')}${FIELDS.indexOf(field)}!Zx9`;
}

/** A Format-List value wraps onto lines indented to its column: that is how a multi-line form sits in a paste. */
function asValue(text: string): string {
  return text.split('\n').join('\n             ');
}

/** Get-CASMailbox output quoting the form as the mailbox's Name (or Identity): the verdict quotes it back. */
const casMailbox = (quoted: 'Name' | 'Identity', value: string) =>
  [`${quoted.padEnd(11)}: ${asValue(value)}`, 'ImapEnabled: False', 'PopEnabled : True', ''].join('\r\n');

interface Sinks {
  logs: string[];
  webhook: TicketingWebhook;
  bot: BotUnderTest;
}

class Logs extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(String(chunk));
    done();
  }
}

/** One admin writes the form into every field, pastes it both ways, and escalates with it in the note. */
async function typeEverywhere(bot: BotUnderTest, form: PasswordForm, index: number): Promise<void> {
  const secret = (field: Field) => form.write(secretFor(index, field));
  const user = new TeamsUser(bot, { userName: 'Hanako Admin' });
  await user.joins();
  // Refused (no server or mailbox name holds a password), and kept as a draft to fill the form again.
  const refused = await user.click('details', { next: 'check' }, { protocol: 'imap4', version: '2019', server: secret('server'), mailbox: secret('mailbox'), errorText: secret('errorText') });
  expect(texts(refused).join('\n')).toContain('Exchange server name seems to include a password');
  await user.click('details', { next: 'check' }, { protocol: 'imap4', version: '2019', server: 'EX01', mailbox: 'taro@contoso.com', errorText: secret('errorText') });
  await user.click('paste', {}, { paste: casMailbox('Name', secret('cardPaste')) });
  await user.say(casMailbox('Identity', secret('chatPaste')));
  await user.click('escalate');
  await user.click('confirmEscalation', {}, { note: secret('note') });
}

/** Every spelling of every secret of these forms: as written, full-width, and folded back from full-width. */
function traces(forms: Array<[PasswordForm, number]>): Array<{ form: string; field: Field; trace: string }> {
  return forms.flatMap(([form, index]) =>
    FIELDS.flatMap((field) => {
      const secret = secretFor(index, field);
      const spellings = new Set([...form.traces(secret), secret, fullWidth(secret)].flatMap((t) => [t, t.normalize('NFKC')]));
      return [...spellings].map((trace) => ({ form: form.name, field, trace }));
    }),
  );
}

function leaks(where: Record<string, Buffer>, forms: Array<[PasswordForm, number]>): string[] {
  return traces(forms).flatMap(({ form, field, trace }) =>
    Object.entries(where)
      .filter(([, bytes]) => bytes.includes(Buffer.from(trace, 'utf8')))
      .map(([sink]) => `${form} typed into ${field} reached ${sink}`),
  );
}

async function escalateAll(sinks: Sinks, forms: Array<[PasswordForm, number]>): Promise<void> {
  const { bot, webhook } = sinks;
  const channel = new TeamsUser(bot, { conversationType: 'channel', conversationId: HELPDESK, userName: 'Help Desk Lead' });
  await channel.say('register help desk');
  for (const [form, index] of forms) await typeEverywhere(bot, form, index);
  await until('every escalation at the webhook', () => webhook.accepted.length === forms.length, 60_000);
  await until(`every escalation in the channel (${forms.length})`, () => channelPosts(bot).length === forms.length, 60_000);
  await until('an empty outbox', async () => (await bot.app.outbox.pending()).length === 0, 60_000);
}

const channelPosts = (bot: BotUnderTest) =>
  bot.connector.sent.filter(
    (a) => (a.conversation as { id: string } | undefined)?.id === HELPDESK && a.attachments?.some((card) => /^Escalation ESC-/.test(title(card.content))),
  );

function outboundBytes(sinks: Sinks): Record<string, Buffer> {
  return {
    logs: Buffer.from(sinks.logs.join('')),
    'the webhook body': Buffer.from(JSON.stringify(sinks.webhook.attempts.map((a) => a.body))),
    'the channel card': Buffer.from(JSON.stringify(channelPosts(sinks.bot))),
    // The case card as it is redrawn in place once the help desk works the case.
    'the redrawn channel card': Buffer.from(JSON.stringify(sinks.bot.connector.updated)),
  };
}

const EVERY_FORM = PASSWORD_FORMS.map((form, index) => [form, index] as [PasswordForm, number]);

describe('passwords, in every form and every field, on the SQLite store', () => {
  const logs = new Logs();
  let webhook: TicketingWebhook;
  let bot: BotUnderTest;

  beforeAll(async () => {
    webhook = new TicketingWebhook();
    const url = await webhook.start();
    bot = await startBot({ logs, env: { HELPDESK_WEBHOOK_URL: url, ...FAST_OUTBOX } });
  }, 30_000);
  afterAll(async () => {
    await bot?.stop();
    await webhook?.stop();
  });

  it('reach none of the SQLite file, the logs, the webhook or the help desk channel', async () => {
    await escalateAll({ bot, webhook, logs: logs.lines }, EVERY_FORM);
    const files = [bot.dbPath, `${bot.dbPath}-wal`].filter(existsSync);
    const stored = Object.fromEntries(files.map((file) => [file.endsWith('-wal') ? 'the SQLite WAL' : 'the SQLite file', readFileSync(file)]));
    expect(Object.keys(stored)).toContain('the SQLite file');
    expect(leaks({ ...stored, ...outboundBytes({ bot, webhook, logs: logs.lines }) }, EVERY_FORM)).toEqual([]);

    // What was there to find: every escalation carries the masked error text and note.
    expect(webhook.accepted).toHaveLength(PASSWORD_FORMS.length);
    for (const { body } of webhook.accepted) {
      expect((body.details as { errorText: string }).errorText).toContain(MASK);
      expect(body.note).toContain(MASK);
    }
  }, 120_000);

  it('leaves error messages that only look like a password readable, to the help desk too', async () => {
    const before = webhook.accepted.length;
    const user = new TeamsUser(bot);
    await user.joins();
    const errorText = LOOKALIKES.join('\n');
    const note = LOOKALIKES.slice(0, 8).join(' / ');
    await user.click('details', { next: 'pick' }, { protocol: 'pop3', version: '2016', server: 'EX01', mailbox: 'taro@contoso.com', errorText });
    await user.click('escalate');
    await user.click('confirmEscalation', {}, { note });
    await until('the escalation at the webhook', () => webhook.accepted.length === before + 1);
    const { body } = webhook.accepted[before]!;
    expect({ errorText: (body.details as { errorText: string }).errorText, note: body.note }).toEqual({ errorText, note });
  });
});

describe('passwords on Azure Blob state', () => {
  const logs = new Logs();
  let azurite: Azurite;
  let webhook: TicketingWebhook;
  let bot: BotUnderTest;
  const container = `secrets-${randomUUID().slice(0, 8)}`;
  // Every third form: each kind (plain, full-width, Japanese, transcripts, base64) is among them.
  const forms = EVERY_FORM.filter(([, index]) => index % 3 === 0);

  beforeAll(async () => {
    webhook = new TicketingWebhook();
    const [started, url] = await Promise.all([startAzurite(), webhook.start()]);
    azurite = started;
    bot = await startBot({
      logs,
      env: { STATE_STORE: 'blob', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: container, HELPDESK_WEBHOOK_URL: url, ...FAST_OUTBOX },
    });
  }, 90_000);
  afterAll(async () => {
    await bot?.stop();
    await webhook?.stop();
    await azurite?.stop();
  });

  it('reach none of the blobs, the logs, the webhook or the help desk channel', async () => {
    await escalateAll({ bot, webhook, logs: logs.lines }, forms);
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(container);
    const stored: Buffer[] = [];
    for await (const item of blobs.listBlobsFlat()) stored.push(await blobs.getBlobClient(item.name).downloadToBuffer());
    expect(stored.length).toBeGreaterThan(forms.length);
    expect(leaks({ 'the blobs': Buffer.concat(stored), ...outboundBytes({ bot, webhook, logs: logs.lines }) }, forms)).toEqual([]);
  }, 120_000);
});
