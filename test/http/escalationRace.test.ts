// Two real bot processes on one Azure Blob Storage (Azurite): a confirmation that reaches both at once opens
// one escalation, an instance killed while sending leaves its work to the other, and an instance whose store
// is gone says it is not ready (and does not start).
import { randomUUID } from 'node:crypto';
import { type BotUnderTest, TeamsUser } from '../support/bot';
import { type Azurite, startAzurite } from '../support/azurite';
import { type Card, findButton, title } from '../support/cards';
import { FakeConnector } from '../support/connector';
import { type BotProcess, buildBot, startBotProcess } from '../support/process';
import { TicketingWebhook, until } from '../support/webhook';

const TRIALS = 24;

function asBot(p: BotProcess, connector: FakeConnector, serviceUrl: string): BotUnderTest {
  // TeamsUser only needs where to post and where replies arrive.
  return { url: p.url, connector, serviceUrl } as unknown as BotUnderTest;
}

function idOn(card: Card): string | undefined {
  return /ESC-\d{8}-[0-9A-Z]{6}/.exec(title(card))?.[0];
}

describe('escalations across two bot processes', () => {
  let azurite: Azurite;
  let connector: FakeConnector;
  let serviceUrl: string;
  let webhook: TicketingWebhook;
  let env: Record<string, string>;
  const processes: BotProcess[] = [];

  beforeAll(async () => {
    [azurite] = await Promise.all([startAzurite(), buildBot()]);
    connector = new FakeConnector();
    serviceUrl = await connector.start();
  }, 90_000);

  beforeEach(async () => {
    webhook = new TicketingWebhook();
    const url = await webhook.start();
    env = {
      STATE_STORE: 'blob',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_STORAGE_CONTAINER: `race-${randomUUID().slice(0, 8)}`,
      HELPDESK_WEBHOOK_URL: url,
      OUTBOX_INTERVAL_MS: '100',
      OUTBOX_FIRST_RETRY_MS: '100',
      OUTBOX_MAX_RETRY_MS: '300',
      OUTBOX_LEASE_MS: '1500',
    };
  });

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    await webhook?.stop();
  });

  afterAll(async () => {
    await connector?.stop();
    await azurite?.stop();
  });

  it(`opens exactly one escalation when the confirmation reaches both at once (${TRIALS} trials, clicks and retries)`, async () => {
    processes.push(...(await Promise.all([startBotProcess(env), startBotProcess(env)])));
    const [a, b] = processes.map((p) => asBot(p, connector, serviceUrl)) as [BotUnderTest, BotUnderTest];
    const answered = new Map<string, Set<string>>();

    await Promise.all(
      Array.from({ length: TRIALS }, async (_, trial) => {
        const mailbox = `race${trial}@contoso.com`;
        const conversationId = `conv-${randomUUID()}`;
        const onA = new TeamsUser(a, { serviceUrl, conversationId });
        const onB = new TeamsUser(b, { serviceUrl, conversationId });
        await onA.joins();
        await onA.click('details', { next: 'pick' }, { protocol: 'pop3', version: '2019', server: 'EX01', mailbox, errorText: '' });
        await onA.click('pick', { checkpoint: 'connector' });
        const confirmation = await onA.click('escalate');
        const data = findButton(confirmation, 'confirmEscalation')!.data;
        // Even trials: one click that Teams delivers twice (same activity id). Odd: two clicks.
        const activityId = trial % 2 === 0 ? `retry-${trial}` : undefined;
        const click = (user: TeamsUser) =>
          user.send({
            type: 'invoke',
            name: 'adaptiveCard/action',
            value: { action: { type: 'Action.Execute', verb: 'confirmEscalation', data } },
            ...(activityId ? { id: activityId } : {}),
          });
        const results = await Promise.all([click(onA), click(onB)]);
        const ids = new Set(results.map(({ result }) => idOn((result.body as { value: Card }).value)).filter((id): id is string => id !== undefined));
        answered.set(mailbox, ids);
      }),
    );

    await until('every case delivered', () => new Set(webhook.acceptedIds()).size >= TRIALS, 30_000);
    // Give a would-be second escalation every chance to show up.
    await new Promise((r) => setTimeout(r, 1500));
    const delivered = new Map<string, string[]>();
    for (const ticket of webhook.accepted) {
      const mailbox = String((ticket.body.details as { mailbox: string }).mailbox);
      delivered.set(mailbox, [...(delivered.get(mailbox) ?? []), String(ticket.body.id)]);
    }
    expect(delivered.size).toBe(TRIALS);
    for (const [mailbox, ids] of delivered) {
      // One ticket: the webhook never had to de-duplicate, so neither does a channel that cannot.
      expect({ mailbox, ids }).toEqual({ mailbox, ids: [expect.stringMatching(/^ESC-/)] });
      // Both answers (winner and loser) name that one number.
      expect({ mailbox, answered: [...answered.get(mailbox)!] }).toEqual({ mailbox, answered: [...ids] });
    }
  }, 120_000);

  it('hands the work of an instance killed while sending to the other one', async () => {
    const first = await startBotProcess(env);
    processes.push(first);
    webhook.mode = 'hold';
    const admin = new TeamsUser(asBot(first, connector, serviceUrl), { serviceUrl });
    await admin.joins();
    await admin.click('details', { next: 'pick' }, { protocol: 'imap4', version: 'SE', server: 'EX09', mailbox: 'kill@contoso.com', errorText: '' });
    await admin.click('pick', { checkpoint: 'service' });
    await admin.click('escalate');
    const id = idOn(await admin.click('confirmEscalation'))!;
    await until('the first instance sending', () => webhook.held.length === 1);

    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    webhook.mode = 'up';
    processes.push(await startBotProcess(env));
    await until('the second instance delivering it', () => webhook.acceptedIds().includes(id), 15_000);
    expect(new Set(webhook.attempts.map((t) => t.headers['idempotency-key']))).toEqual(new Set([id]));
  }, 60_000);

  it('says it is not ready once its store is gone, and refuses to start without one', async () => {
    const own = await startAzurite();
    const ownEnv = { ...env, AZURE_STORAGE_CONNECTION_STRING: own.connectionString };
    const bot = await startBotProcess(ownEnv);
    processes.push(bot);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    await own.stop();

    const notReady = await fetch(`${bot.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get('retry-after')).toBe('10');
    expect(await notReady.json()).toEqual({
      status: 'notReady',
      message: 'The state store cannot be written or read back; check that it is reachable and has space.',
    });
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);

    await expect(startBotProcess(ownEnv)).rejects.toThrow(/exited with 1: .*state store cannot be written/s);
  }, 60_000);
});
