// The real bot on a real port, spoken to the way Teams speaks to it: Bot Framework activities over HTTP,
// with replies arriving at a connector service of our own.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type App, createApp } from '../../src/app';
import { type Config, loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import type { KeyValueStore } from '../../src/storage/store';
import type { Writable } from 'node:stream';
import { type Card, findButton } from './cards';
import { FakeConnector } from './connector';

export interface BotUnderTest {
  url: string;
  connector: FakeConnector;
  serviceUrl: string;
  app: App;
  dbPath: string;
  stop(): Promise<void>;
}

export async function startBot(
  options: { dbPath?: string; env?: NodeJS.ProcessEnv; connector?: FakeConnector; store?: (dbPath: string) => KeyValueStore; logs?: Writable } = {},
): Promise<BotUnderTest> {
  const dir = options.dbPath ? undefined : mkdtempSync(path.join(os.tmpdir(), 'popimap-bot-'));
  const dbPath = options.dbPath ?? path.join(dir!, 'state.sqlite');
  // BOT_SDK comes from the jest project (jest.config.js): the same suites run once per transport.
  const config: Config = loadConfig({ PORT: '0', HOST: '127.0.0.1', STATE_DB_PATH: dbPath, LOG_LEVEL: 'silent', BOT_SDK: process.env.BOT_SDK, ...options.env });
  const log = options.logs ? createLogger('debug', options.logs) : createLogger('silent');
  const app = createApp(config, log, options.store?.(dbPath));
  await app.start();
  const connector = options.connector ?? new FakeConnector();
  const serviceUrl = options.connector ? '' : await connector.start();
  return {
    url: app.url(),
    connector,
    serviceUrl,
    app,
    dbPath,
    stop: async () => {
      await app.stop();
      if (!options.connector) await connector.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

type BotOptions = Parameters<typeof startBot>[0];

/** What an admin's Teams client needs of a bot: where to post, and the connector its replies reach. */
export type BotEndpoint = Pick<BotUnderTest, 'url' | 'connector' | 'serviceUrl'>;

/**
 * One bot for a describe block: started before its tests, stopped after. The value stands for the running
 * bot, so tests read `bot.url` as if it were the bot itself.
 */
export function useBot(options: BotOptions = {}): BotUnderTest {
  let started: BotUnderTest | undefined;
  beforeAll(async () => {
    started = await startBot(options);
  }, 30_000);
  afterAll(async () => {
    await started?.stop();
  });
  return new Proxy({} as BotUnderTest, {
    get: (_target, property) => {
      if (!started) throw new Error('The bot is not started yet: use it inside a test, not while declaring one.');
      return started[property as keyof BotUnderTest];
    },
  });
}

let counter = 0;

export interface PostResult {
  status: number;
  body: unknown;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<PostResult> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the raw text
  }
  return { status: response.status, body: parsed };
}

/** One admin in one Teams chat with the bot. */
export class TeamsUser {
  readonly conversationId: string;
  /** The card the user is looking at: the last one the bot sent or returned. */
  card: Card | undefined;
  /** The ids of the activities this user sent: the bot's answers reply to them, and nothing else does. */
  readonly activityIds = new Set<string>();

  constructor(
    private readonly bot: BotEndpoint,
    private readonly options: {
      locale?: string;
      userId?: string;
      userName?: string;
      conversationId?: string;
      serviceUrl?: string;
      conversationType?: 'personal' | 'channel';
      tenantId?: string;
    } = {},
  ) {
    this.conversationId = options.conversationId ?? `conv-${process.pid}-${++counter}`;
  }

  activity(extra: Record<string, unknown>): Record<string, unknown> {
    const id = `act-${++counter}`;
    this.activityIds.add(id);
    return {
      id,
      channelId: 'msteams',
      serviceUrl: this.options.serviceUrl ?? this.bot.serviceUrl,
      conversation: { id: this.conversationId, conversationType: this.options.conversationType ?? 'personal', tenantId: this.options.tenantId ?? 'tenant-1' },
      from: { id: this.options.userId ?? 'user-1', name: this.options.userName ?? 'Hanako Admin' },
      recipient: { id: 'bot-1', name: 'POP/IMAP bot' },
      locale: this.options.locale ?? 'en-US',
      timestamp: new Date().toISOString(),
      ...extra,
    };
  }

  /** Sends an activity; returns the cards the bot sent during the turn, and the HTTP result. */
  async send(extra: Record<string, unknown>): Promise<{ cards: Card[]; result: PostResult }> {
    const before = this.bot.connector.sent.length;
    const result = await post(this.bot.url, this.activity(extra));
    // Only what went to this conversation: proactive posts (to the help desk, to other admins) interleave.
    const cards = this.bot.connector
      .since(before)
      .filter((a) => (a.conversation as { id?: string } | undefined)?.id === this.conversationId)
      .flatMap((a) => a.attachments ?? [])
      .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
      .map((a) => a.content);
    if (cards.length > 0) this.card = cards[cards.length - 1];
    return { cards, result };
  }

  async say(text: string): Promise<Card[]> {
    const { cards, result } = await this.send({ type: 'message', text });
    expect(result.status).toBe(200);
    return cards;
  }

  async joins(): Promise<Card[]> {
    const { cards } = await this.send({
      type: 'conversationUpdate',
      membersAdded: [{ id: 'bot-1' }, { id: this.options.userId ?? 'user-1' }],
    });
    return cards;
  }

  /** Clicks a button (Action.Execute) on a card; the returned card replaces the clicked one, as in Teams. */
  async click(verb: string, match: Record<string, unknown> = {}, inputs: Record<string, string> = {}, on?: Card): Promise<Card> {
    const card = on ?? this.card;
    if (!card) throw new Error('No card to click on yet');
    const button = findButton(card, verb, match);
    if (!button) throw new Error(`No "${verb}" button ${JSON.stringify(match)} on the card "${JSON.stringify(card).slice(0, 300)}"`);
    return this.invoke(verb, { ...button.data, ...inputs });
  }

  async invoke(verb: string, data: Record<string, unknown>): Promise<Card> {
    const { result } = await this.send({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data } },
    });
    expect(result.status).toBe(200);
    const body = result.body as { statusCode: number; type: string; value: Card };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    this.card = body.value;
    return body.value;
  }
}
