// The escalation outbox when a help-desk target is slow or an instance dies (issue 11, item 4), with the
// bot's default outbox settings (read from dist/config, printed with the figures):
//
// 1. Slow webhook: the bot (dist/index.js in its own process, SQLite store) with the help desk's Teams
//    channel at a connector stand-in, and a ticketing webhook that answers each request 10 s after it
//    arrives (BENCH_WEBHOOK_DELAY_MS). BENCH_ESCALATIONS admins (default 20) walk to the confirmation card,
//    then all confirm at once. From each confirmation's HTTP answer: when that escalation's post reached
//    the channel, and when the webhook first received it; and when the webhook had them all. The bot gives
//    up on a webhook request after 10 s (src/escalation/webhook.ts), so a webhook answering at 10 s races
//    that limit: what the bot logged (cases it saw accepted, attempts failed) is kept with the figures.
// 2. Drain after kill -9: two bot processes sharing one Azure Blob Storage (Azurite), a webhook that holds
//    every request. The escalations are confirmed through instance A. Each instance sends at most
//    OUTBOX_CONCURRENCY requests at once to a target, so once the webhook holds twice that many, A is
//    sending its share. A is then killed with SIGKILL; once A's connections are gone the webhook answers
//    everything, held or new, at once. Figures: from the kill until the webhook has accepted every case
//    (through instance B), and until it has accepted the ones A was sending, which wait for A's lease.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { startAzurite } from './azurite.mts';
import { type Listening, startBot } from './child.mts';
import { type Connector, type SentActivity, startConnector } from './connector.mts';
import { CASE, Chat, click, join } from './conversation.mts';
import { type Post, client, percentile } from './load.mts';
import { positiveInt } from './settings.mts';
import { startWebhook } from './webhook.mts';

const require = createRequire(import.meta.url);

const ESCALATIONS = positiveInt('BENCH_ESCALATIONS', 20);
const WEBHOOK_DELAY_MS = positiveInt('BENCH_WEBHOOK_DELAY_MS', 10_000);
const CHANNEL = '19:bench-helpdesk@thread.tacv2';
const ID = /ESC-\d{8}-[0-9A-Z]{6}/;

const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

interface OutboxSettings {
  intervalMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
  leaseMs: number;
  concurrency: number;
  lateAfterMs: number;
}

/** What the bot runs with when no OUTBOX_* variable is set. */
function defaultOutbox(): OutboxSettings {
  const { loadConfig } = require('../dist/config/index.js') as { loadConfig(env: object): { helpdesk: { outbox: OutboxSettings } } };
  return loadConfig({}).helpdesk.outbox;
}

function escalationId(of: unknown): string {
  const id = ID.exec(JSON.stringify(of))?.[0];
  if (!id) throw new Error(`no escalation number in ${JSON.stringify(of).slice(0, 200)}`);
  return id;
}

async function waitUntil(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** An admin who has described a case, picked a check, asked to escalate, and sees the confirmation card. */
async function atConfirmation(post: Post, connector: Connector): Promise<{ chat: Chat; card: unknown }> {
  const chat = new Chat(connector.url);
  let card = await join(post, connector, chat);
  card = await click(post, chat, card, 'details', { next: 'pick' }, { ...CASE, errorText: 'Logon failure' });
  card = await click(post, chat, card, 'pick', { checkpoint: 'mailbox' });
  card = await click(post, chat, card, 'escalate');
  return { chat, card };
}

const confirm = (post: Post, { chat, card }: { chat: Chat; card: unknown }) => click(post, chat, card, 'confirmEscalation', {}, { note: 'since Monday' });

/** p50 and max in seconds, of milliseconds. */
function spread(ms: number[]): { p50: number; max: number } {
  const sorted = Float64Array.from(ms).sort();
  return { p50: seconds(percentile(sorted, 50)), max: seconds(sorted[sorted.length - 1] ?? 0) };
}

/** What the bot logged about its webhook sends: the escalations it saw accepted, and its failed attempts. */
function webhookLog() {
  const seen = { delivered: new Set<string>(), failures: 0, firstFailure: undefined as string | undefined };
  const onLine = (line: string) => {
    const entry = JSON.parse(line) as { msg?: string; target?: string; escalation?: string; reason?: string };
    if (entry.target !== 'webhook') return;
    if (entry.msg === 'escalation delivered' && entry.escalation) seen.delivered.add(entry.escalation);
    if (entry.msg === 'escalation not delivered yet; will retry') {
      seen.failures += 1;
      seen.firstFailure ??= entry.reason;
    }
  };
  return { seen, onLine };
}

async function slowWebhook(outbox: OutboxSettings) {
  const atChannel = new Map<string, number>();
  const connector = await startConnector((activity: SentActivity) => {
    if (activity.conversation?.id !== CHANNEL) return;
    const id = ID.exec(JSON.stringify(activity))?.[0];
    if (id && !atChannel.has(id)) atChannel.set(id, performance.now());
  });
  const webhook = await startWebhook({ afterMs: WEBHOOK_DELAY_MS });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-bench-escalation-'));
  const { seen, onLine } = webhookLog();
  let bot: Listening | undefined;
  let http: ReturnType<typeof client> | undefined;
  try {
    bot = await startBot(
      {
        STATE_DB_PATH: path.join(dir, 'state.sqlite'),
        HELPDESK_WEBHOOK_URL: webhook.url,
        HELPDESK_CHANNEL_CONVERSATION_ID: CHANNEL,
        HELPDESK_CHANNEL_SERVICE_URL: connector.url,
      },
      onLine,
    );
    const { post } = (http = client(bot.url, ESCALATIONS));
    const admins = await Promise.all(Array.from({ length: ESCALATIONS }, () => atConfirmation(post, connector)));
    const sentAt = performance.now();
    const confirmed = await Promise.all(
      admins.map(async (admin) => {
        const id = escalationId(await confirm(post, admin));
        return { id, answeredAt: performance.now() };
      }),
    );
    // Generous: without retries the webhook takes ESCALATIONS / concurrency rounds of the delay.
    const timeoutMs = 120_000 + 4 * Math.ceil(ESCALATIONS / outbox.concurrency) * WEBHOOK_DELAY_MS;
    await waitUntil('every escalation at the channel and the webhook', () => confirmed.every(({ id }) => atChannel.has(id) && webhook.arrived.has(id)), timeoutMs);
    const allAtWebhook = Math.max(...confirmed.map(({ id }) => webhook.arrived.get(id)!));
    return {
      escalations: ESCALATIONS,
      webhookAnswersAfterSeconds: WEBHOOK_DELAY_MS / 1000,
      confirmAnsweredSeconds: spread(confirmed.map((c) => c.answeredAt - sentAt)),
      confirmToChannelPostSeconds: spread(confirmed.map((c) => atChannel.get(c.id)! - c.answeredAt)),
      confirmToWebhookSeconds: spread(confirmed.map((c) => webhook.arrived.get(c.id)! - c.answeredAt)),
      allAtWebhookSecondsAfterConfirming: seconds(allAtWebhook - sentAt),
      // By then, as the bot logged it: how many it saw accepted, and how many of its attempts failed.
      webhookRequests: webhook.requests(),
      deliveredToWebhook: seen.delivered.size,
      failedWebhookAttempts: seen.failures,
      ...(seen.firstFailure ? { firstFailure: seen.firstFailure } : {}),
    };
  } finally {
    http?.close();
    // The webhook first: the bot's stop waits for the sends under way, which then end at once.
    await webhook.stop();
    await bot?.stop();
    await connector.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function drainAfterKill(outbox: OutboxSettings) {
  const sending = 2 * outbox.concurrency;
  if (ESCALATIONS <= sending) throw new Error(`BENCH_ESCALATIONS must be above ${sending}, so both instances are sending and some cases wait`);
  const azurite = await startAzurite();
  const connector = await startConnector();
  const webhook = await startWebhook('hold');
  const instances: Listening[] = [];
  let http: ReturnType<typeof client> | undefined;
  try {
    const env = {
      STATE_STORE: 'blob',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      AZURE_STORAGE_CONTAINER: 'bench-escalation',
      HELPDESK_WEBHOOK_URL: webhook.url,
    };
    instances.push(...(await Promise.all([startBot(env), startBot(env)])));
    const [a] = instances as [Listening, Listening];
    const { post } = (http = client(a.url, ESCALATIONS));
    const ids = await Promise.all(Array.from({ length: ESCALATIONS }, async () => escalationId(await confirm(post, await atConfirmation(post, connector)))));
    await waitUntil(`the webhook holding ${sending} requests, ${outbox.concurrency} from each instance`, () => webhook.held().length >= sending, 60_000);
    const heldBefore = webhook.held();
    const killedAt = performance.now();
    await a.kill();
    await waitUntil("instance A's connections to the webhook closing", () => webhook.held().length <= sending - outbox.concurrency, 10_000);
    const held = new Set(webhook.held());
    const fromA = heldBefore.filter((id) => !held.has(id));
    webhook.release();
    await waitUntil('every case accepted by the webhook', () => ids.every((id) => webhook.accepted.has(id)), 120_000);
    const afterKill = (id: string) => webhook.accepted.get(id)! - killedAt;
    return {
      escalations: ESCALATIONS,
      store: 'Azure Blob Storage (Azurite)',
      sendingWhenKilled: { instanceA: fromA.length, instanceB: held.size },
      drainSecondsAfterKill: seconds(Math.max(...ids.map(afterKill))),
      casesASentAcceptedSecondsAfterKill: { min: seconds(Math.min(...fromA.map(afterKill))), max: seconds(Math.max(...fromA.map(afterKill))) },
      webhookRequests: webhook.requests(),
    };
  } finally {
    http?.close();
    await webhook.stop();
    await Promise.all(instances.map((instance) => instance.kill()));
    await connector.stop();
    await azurite.stop();
  }
}

export type EscalationFigures = Awaited<ReturnType<typeof measureEscalation>>;

export async function measureEscalation() {
  const outbox = defaultOutbox();
  const load = os.loadavg()[0]!;
  log(
    `escalation: ${ESCALATIONS} escalations, default outbox settings (poll every ${outbox.intervalMs / 1000} s, ` +
      `${outbox.concurrency} at once per target, lease ${outbox.leaseMs / 1000} s)`,
  );
  log(`  slow webhook (answers after ${WEBHOOK_DELAY_MS / 1000} s), help-desk channel healthy, SQLite store`);
  const slow = await slowWebhook(outbox);
  log('  drain after kill -9: two instances on Azurite, the webhook holding every request until the kill');
  const drain = await drainAfterKill(outbox);
  return {
    date: new Date().toISOString(),
    // The figures are timers more than CPU, but a crowded machine still delays the bot's timers.
    loadAverageAtStart: Math.round(load * 10) / 10,
    outboxSettings: outbox,
    slowWebhook: slow,
    drainAfterKill: drain,
  };
}

export function escalationLines(figures: EscalationFigures): string[] {
  const { outboxSettings: o, slowWebhook: s, drainAfterKill: d } = figures;
  return [
    `escalation outbox, default settings (poll ${o.intervalMs / 1000} s, ${o.concurrency} at once per target, lease ${o.leaseMs / 1000} s), load average ${figures.loadAverageAtStart} at start:`,
    `  webhook answering after ${s.webhookAnswersAfterSeconds} s, ${s.escalations} admins confirming at once (answered within ${s.confirmAnsweredSeconds.max} s):`,
    `    confirm -> channel post: p50 ${s.confirmToChannelPostSeconds.p50} s, max ${s.confirmToChannelPostSeconds.max} s`,
    `    confirm -> webhook received it: p50 ${s.confirmToWebhookSeconds.p50} s, max ${s.confirmToWebhookSeconds.max} s; all ${s.escalations} at the webhook ${s.allAtWebhookSecondsAfterConfirming} s after confirming`,
    `    by then ${s.webhookRequests} webhook requests; the bot saw ${s.deliveredToWebhook} of ${s.escalations} cases accepted, ${s.failedWebhookAttempts} attempts failed` +
      (s.firstFailure ? ` (first: "${s.firstFailure}")` : ''),
    `  kill -9 of the instance sending (${d.sendingWhenKilled.instanceA} of ${d.escalations} cases in its hands, two instances on Azurite):`,
    `    every case accepted by the webhook ${d.drainSecondsAfterKill} s after the kill; the ${d.sendingWhenKilled.instanceA} it was sending after ` +
      `${d.casesASentAcceptedSecondsAfterKill.min}-${d.casesASentAcceptedSecondsAfterKill.max} s (${d.webhookRequests} webhook requests)`,
  ];
}
