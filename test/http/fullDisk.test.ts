// The admin is told "escalated" only when the escalation is on disk. The bot runs as its own process with
// its state on a 1 MB disk (test/support/smallDisk.ts) that fills up just before the admin confirms.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BotUnderTest, TeamsUser } from '../support/bot';
import { texts, title } from '../support/cards';
import { FakeConnector } from '../support/connector';
import { waitFor } from '../support/net';
import { type BotProcess, buildBot, startBotProcess } from '../support/process';
import { fillSmallDisk, freeSmallDisk, onSmallDisk, smallDiskUnavailable } from '../support/smallDisk';
import { TicketingWebhook, until } from '../support/webhook';

const FAST_OUTBOX = { OUTBOX_INTERVAL_MS: '50', OUTBOX_FIRST_RETRY_MS: '100', OUTBOX_MAX_RETRY_MS: '200' };
const CASE = { protocol: 'pop3', version: '2016', server: 'EX01', mailbox: 'taro@contoso.com', errorText: '-ERR Logon failure' };
const NOTE = { note: 'Started after the certificate renewal' };
const ESCALATION_ID = /ESC-\d{8}-[0-9A-Z]{6}/;
/** Long enough for several outbox passes: an escalation on disk would be posted by then. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

const unavailable = smallDiskUnavailable();

(unavailable ? describe.skip : describe)(`escalating while the state disk is full${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let dir: string;
  let webhook: TicketingWebhook;
  let connector: FakeConnector;
  let serviceUrl: string;
  let bot: BotProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'full-disk-'));
    webhook = new TicketingWebhook();
    connector = new FakeConnector();
    const [url] = await Promise.all([webhook.start(), connector.start().then((started) => (serviceUrl = started)), buildBot()]);
    bot = await startBotProcess({ STATE_DB_PATH: path.join(dir, 'state.sqlite'), HELPDESK_WEBHOOK_URL: url, ...FAST_OUTBOX }, onSmallDisk(dir));
  }, 60_000);

  afterAll(async () => {
    // The tmpfs lives in the bot's own mount namespace: it is gone once the bot has exited.
    await bot?.stop();
    await connector?.stop();
    await webhook?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says nothing was saved and sends nothing, then escalates once when the admin retries with space freed', async () => {
    const user = new TeamsUser({ url: bot.url, connector, serviceUrl } as unknown as BotUnderTest);
    await user.joins();
    await user.click('details', { next: 'pick' }, CASE);
    await user.click('pick', { checkpoint: 'serverSettings' });
    const confirmation = await user.click('escalate');

    fillSmallDisk(bot.child.pid!, dir);
    const refused = await user.click('confirmEscalation', {}, NOTE, confirmation);
    const shown = [title(refused), ...texts(refused)].join('\n');
    expect(shown).not.toMatch(ESCALATION_ID);
    expect(shown).toContain("I couldn't save your progress just now, so that last click didn't count");
    // The log line travels through the bot's stdout, which may reach us a moment after the answer.
    await until('the error logged', () => bot.logs.some((line) => Number(line.level) >= 50));
    await settle();
    expect(webhook.attempts).toHaveLength(0);

    freeSmallDisk(bot.child.pid!, dir);
    const escalated = await user.click('confirmEscalation', {}, NOTE, confirmation);
    const id = ESCALATION_ID.exec(title(escalated))?.[0];
    expect(id).toBeDefined();
    await waitFor('the delivery to the webhook', () => webhook.accepted.length > 0, 10_000);
    await settle();
    expect(webhook.attempts.map((attempt) => attempt.body.id)).toEqual([id]);
  });
});
