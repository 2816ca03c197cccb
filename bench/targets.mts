// The three servers the benchmark compares, all on loopback: the full bot, an echo bot on the same stack
// (restify 12 + CloudAdapter, replying through the same connector), and a bare restify route.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';

const require = createRequire(import.meta.url);

export interface Target {
  url: string;
  stop(): Promise<void>;
}

function listen(server: { listen: (port: number, host: string, cb: () => void) => void; address: () => unknown }): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** Where both bots send their replies: answers like the Teams connector, and counts. */
export async function startConnector(): Promise<Target & { received: () => number }> {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"1"}');
    });
  });
  const url = await listen(server);
  return { url, received: () => received, stop: () => new Promise((r) => server.close(() => r())) };
}

export async function startBare(): Promise<Target> {
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (_req, res) => {
    res.send(200, { ok: true });
  });
  const url = await listen(server);
  return { url, stop: () => new Promise((r) => server.close(() => r())) };
}

export async function startEcho(): Promise<Target> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler().onMessage(async (context, next) => {
    await context.sendActivity(`Echo: ${context.activity.text}`);
    await next();
  });
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  const url = await listen(server);
  return { url, stop: () => new Promise((r) => server.close(() => r())) };
}

/** The real bot from dist/ (run `npm run build` first), with its own SQLite file. */
export async function startFullBot(dbPath: string): Promise<Target & { app: { server: restify.Server } }> {
  const { createApp } = require('../dist/app.js');
  const { loadConfig } = require('../dist/config/index.js');
  const { createLogger } = require('../dist/logging.js');
  const app = createApp(loadConfig({ PORT: '0', HOST: '127.0.0.1', STATE_DB_PATH: dbPath, LOG_LEVEL: 'silent' }), createLogger('silent'));
  await app.start();
  return { url: app.url(), app, stop: () => app.stop() };
}
