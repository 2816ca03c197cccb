// The three servers the benchmark compares, each started by serve.mts in a process of its own:
// - bare: a restify 12 route with bodyParser that answers {ok:true};
// - echo: the same stack as the bot (restify 12 + bodyParser + botbuilder CloudAdapter, no credentials)
//   with an ActivityHandler that replies `Echo: <text>` through the connector at the activity's serviceUrl;
// - full: the real bot, built to dist/ (`npm run build`), with its own SQLite file and silent logs;
// - full-nofacts: the same bot with INSIGHTS=off, which keeps no case facts: what recording them costs a turn;
// - full-agents: the same bot with BOT_SDK=agents, on the Microsoft 365 Agents SDK instead of botbuilder;
// - full-escalating: the same bot with a help desk (its channel at the connector stand-in, BENCH_CONNECTOR_URL,
//   and a ticketing webhook, BENCH_WEBHOOK_URL), for the escalating conversations of conversation.mts.
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';
import { HELPDESK_CHANNEL } from './conversation.mts';

const require = createRequire(import.meta.url);

export const KINDS = ['bare', 'echo', 'full', 'full-nofacts', 'full-agents', 'full-escalating'] as const;
export type Kind = (typeof KINDS)[number];

export interface Target {
  url: string;
  server: restify.Server;
  stop(): Promise<void>;
}

async function listen(server: restify.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: restify.Server): () => Promise<void> {
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

export async function startBare(): Promise<Target> {
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (_req, res) => {
    res.send(200, { ok: true });
  });
  return { url: await listen(server), server, stop: closer(server) };
}

export async function startEcho(): Promise<Target> {
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: '', MicrosoftAppTenantId: '' }),
  );
  const bot = new ActivityHandler().onMessage(async (context, next) => {
    await context.sendActivity(`Echo: ${context.activity.text}`);
    await next();
  });
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  return { url: await listen(server), server, stop: closer(server) };
}

/** The real bot, from dist/: `createApp(loadConfig({...}), createLogger('silent'))`; `settings` as its environment would set them. */
export async function startFull(dbPath: string, settings: Record<string, string> = {}): Promise<Target> {
  const { createApp } = require('../dist/app.js');
  const { loadConfig } = require('../dist/config/index.js');
  const { createLogger } = require('../dist/logging.js');
  const app = createApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', STATE_DB_PATH: dbPath, LOG_LEVEL: 'silent', ...settings }), createLogger('silent')) as {
    server: restify.Server;
    start(): Promise<void>;
    stop(): Promise<void>;
    url(): string;
  };
  await app.start();
  return { url: app.url(), server: app.server, stop: () => app.stop() };
}

/** The help desk of the escalating mix, where the bench process set it up (run.mts). */
function helpdesk(): Record<string, string> {
  const { BENCH_CONNECTOR_URL: connector, BENCH_WEBHOOK_URL: webhook } = process.env;
  if (!connector || !webhook) throw new Error('full-escalating needs BENCH_CONNECTOR_URL and BENCH_WEBHOOK_URL');
  return { HELPDESK_CHANNEL_CONVERSATION_ID: HELPDESK_CHANNEL, HELPDESK_CHANNEL_SERVICE_URL: connector, HELPDESK_WEBHOOK_URL: webhook };
}

/** Each kind of the full bot, by what its environment sets. */
const SETTINGS: Record<Exclude<Kind, 'bare' | 'echo'>, () => Record<string, string>> = {
  full: () => ({}),
  'full-nofacts': () => ({ INSIGHTS: 'off' }),
  'full-agents': () => ({ BOT_SDK: 'agents' }),
  'full-escalating': helpdesk,
};

export function startTarget(kind: Kind, dbPath: string | undefined): Promise<Target> {
  if (kind === 'bare') return startBare();
  if (kind === 'echo') return startEcho();
  if (!dbPath) throw new Error('the full bot needs a SQLite file path');
  return startFull(dbPath, SETTINGS[kind]());
}

