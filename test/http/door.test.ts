// The door, tried as an attacker would: whatever arrives before a valid token costs the bot no disk, no
// memory that stays and no stack in its log, and every refusal says what happened, never how it failed inside.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { gzipSync } from 'node:zlib';
import { type BotUnderTest, post, startBot } from '../support/bot';
import { FakeConnector } from '../support/connector';
import { freePort } from '../support/net';
import { type BotProcess, buildBot, startBotProcess } from '../support/process';
import { FakeOpenIdMetadata, channelClaims, hs256, rs256, signingKey, unsigned } from '../support/tokens';

const APP_ID = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';
const APP_PASSWORD = 'door-test-client-secret~42';
const CREDENTIALS = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: APP_PASSWORD, MicrosoftAppTenantId: '0c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5' };
// Never called: the activities below either stop at the door or need no reply.
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
const MB = 1024 * 1024;

function activity(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: 'door-1',
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    conversation: { id: 'a:door-conversation' },
    from: { id: '29:door-user' },
    recipient: { id: `28:${APP_ID}` },
    text: 'hello',
    ...extra,
  };
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function send(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(`${url}/api/messages`, { method: 'POST', ...init });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function sendJson(url: string, body: object, token?: string): Promise<Answer> {
  return send(url, {
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

/** Resident memory of a process, from the kernel's own account of it. */
function residentBytes(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** Lets the lines the process wrote during the last requests arrive through its pipes. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 500));
}

const INTERNALS = ['Signing Key', 'signature', 'algorithm', 'jwt', 'Error', 'openID', '127.0.0.1', 'botframework.com', 'Unauthorized.'];

beforeAll(async () => {
  await buildBot();
}, 120_000);

describe('an unauthenticated caller, with app credentials set', () => {
  const key = signingKey('door-key-1');
  const metadata = new FakeOpenIdMetadata([key]);
  let dir: string;
  let tempDir: string;
  let bot: BotProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-door-'));
    tempDir = path.join(dir, 'tmp');
    mkdirSync(tempDir);
    bot = await startBotProcess({
      ...CREDENTIALS,
      BotOpenIdMetadata: await metadata.start(),
      STATE_DB_PATH: path.join(dir, 'state.sqlite'),
      TMPDIR: tempDir,
    });
  }, 30_000);

  afterAll(async () => {
    await bot?.stop();
    await metadata.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses anything but JSON with 415, before a byte of it is stored', async () => {
    for (let i = 0; i < 6; i++) {
      const form = new FormData();
      form.append('activity', JSON.stringify(activity()));
      form.append('upload', new Blob([Buffer.alloc(5 * MB, 'x')]), 'big.bin');
      const answer = await send(bot.url, { body: form });
      expect(answer.status).toBe(415);
    }
    // What a web page can send without a CORS preflight, to drive a bot on the visitor's machine.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const answer = await send(bot.url, { headers: { 'content-type': type }, body: JSON.stringify(activity()) });
      expect({ type, status: answer.status }).toEqual({ type, status: 415 });
    }
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('keeps its memory flat under 100 gzip bombs', async () => {
    const bomb = gzipSync(Buffer.alloc(200 * MB), { level: 9 });
    expect(bomb.length).toBeLessThan(MB);
    const fire = () => send(bot.url, { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb });
    await fire();
    const before = residentBytes(bot.child.pid!);
    for (let round = 0; round < 25; round++) {
      const answers = await Promise.all([fire(), fire(), fire(), fire()]);
      for (const answer of answers) expect([413, 415]).toContain(answer.status);
    }
    const growth = residentBytes(bot.child.pid!) - before;
    // One inflated bomb alone is 200 MB.
    expect(growth).toBeLessThan(64 * MB);
  }, 120_000);

  it('lets a token signed with the Bot Framework key through', async () => {
    const answer = await sendJson(bot.url, activity({ type: 'typing' }), rs256(channelClaims(APP_ID, SERVICE_URL), key));
    expect(answer.status).toBe(200);
  });

  const wrongKey = signingKey('door-key-1');
  const forged: Array<[string, () => string | undefined]> = [
    ['no token', () => undefined],
    ['a token that is not a JWT', () => 'not.a.token'],
    ['alg=none', () => unsigned(channelClaims(APP_ID, SERVICE_URL), key.kid)],
    ['HS256 signed with the app password', () => hs256(channelClaims(APP_ID, SERVICE_URL), APP_PASSWORD, key.kid)],
    ['the right key id, signed with another key', () => rs256(channelClaims(APP_ID, SERVICE_URL), wrongKey)],
    ['a key id the bot cannot find', () => rs256(channelClaims(APP_ID, SERVICE_URL), wrongKey, 'unknown-kid')],
    ['another bot as audience', () => rs256(channelClaims('another-app', SERVICE_URL), key)],
    ['an expired token', () => rs256({ ...channelClaims(APP_ID, SERVICE_URL), exp: Math.floor(Date.now() / 1000) - 3600 }, key)],
    ['another serviceUrl', () => rs256(channelClaims(APP_ID, 'https://elsewhere.example/'), key)],
  ];
  const refusals = new Map<string, string>();

  it.each(forged)('answers %s with 401 and a generic reason', async (what, token) => {
    const answer = await sendJson(bot.url, activity(), token());
    expect({ what, status: answer.status }).toEqual({ what, status: 401 });
    expect(JSON.parse(answer.text)).toMatchObject({ code: 'Unauthorized', message: expect.any(String) });
    for (const internal of INTERNALS) expect({ what, internal, found: answer.text.includes(internal) }).toEqual({ what, internal, found: false });
    refusals.set(what, answer.text);
  });

  it('gives every refused token the same answer', () => {
    expect(refusals.size).toBe(forged.length);
    expect(new Set(refusals.values()).size).toBe(1);
  });

  it('writes only JSON lines, and a bounded number of them under a flood of refused requests', async () => {
    await settle();
    const before = bot.lines.length;
    for (let i = 0; i < 50; i++) {
      await Promise.all([
        sendJson(bot.url, activity()),
        sendJson(bot.url, activity(), hs256(channelClaims(APP_ID, SERVICE_URL), APP_PASSWORD, key.kid)),
        sendJson(bot.url, activity(), rs256(channelClaims(APP_ID, SERVICE_URL), wrongKey)),
        send(bot.url, { headers: { 'content-type': 'text/plain' }, body: 'x' }),
      ]);
    }
    await settle();
    expect(bot.lines.length - before).toBeLessThanOrEqual(20);
    // Counted, not dropped: the log says how many were refused, at the latest when the bot stops.
    await bot.stop();
    await settle();
    for (const line of bot.lines) expect(() => JSON.parse(line)).not.toThrow();
    const counted = bot.lines.map((line) => JSON.parse(line) as { count?: number }).reduce((sum, entry) => sum + (entry.count ?? 0), 0);
    expect(counted).toBeGreaterThanOrEqual(200);
  }, 60_000);
});

describe('with the token keys out of reach', () => {
  let dir: string;
  let refused: BotProcess;
  let unanswered: BotProcess;
  let silent: net.Server;
  const key = signingKey('door-key-2');
  const keysAt = (port: number | undefined, name: string) =>
    startBotProcess({
      ...CREDENTIALS,
      BotOpenIdMetadata: `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`,
      STATE_DB_PATH: path.join(dir, `${name}.sqlite`),
    });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-door-'));
    // Accepts the connection and never says a word, as a key endpoint behind a broken proxy would.
    silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    [refused, unanswered] = await Promise.all([keysAt(await freePort(), 'refused'), keysAt((silent.address() as net.AddressInfo).port, 'silent')]);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([refused?.stop(), unanswered?.stop()]);
    silent?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a well-formed token with 503 and when to retry, naming no host', async () => {
    for (const token of [rs256(channelClaims(APP_ID, SERVICE_URL), key), unsigned(channelClaims(APP_ID, SERVICE_URL), key.kid)]) {
      const answer = await sendJson(refused.url, activity(), token);
      expect(answer.status).toBe(503);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(JSON.parse(answer.text)).toMatchObject({ code: 'ServiceUnavailable', message: expect.any(String) });
      for (const internal of INTERNALS) expect({ internal, found: answer.text.includes(internal) }).toEqual({ internal, found: false });
    }
    await settle();
    for (const line of refused.lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('answers 503 and when to retry, instead of holding the request, when the key endpoint never answers', async () => {
    const answer = await sendJson(unanswered.url, activity(), rs256(channelClaims(APP_ID, SERVICE_URL), key));
    expect(answer.status).toBe(503);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  }, 30_000);
});

describe('without app credentials', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  const local = (extra: Record<string, unknown> = {}) => activity({ serviceUrl: bot.serviceUrl, ...extra });

  it('replies only to a serviceUrl on this machine', async () => {
    // The machine's own network address: reachable, but not loopback, as another host would be.
    const address = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    expect(address).toBeDefined();
    const elsewhere = new FakeConnector();
    const serviceUrl = await elsewhere.start(address);
    try {
      // "localhost." is not in the hosts file: a resolver elsewhere would say where it is.
      const dotted = `http://localhost.:${new URL(bot.serviceUrl).port}`;
      for (const url of [serviceUrl, `${serviceUrl}/any/path?and=query`, dotted]) {
        const result = await post(bot.url, local({ serviceUrl: url, conversation: { id: 'a:elsewhere' } }));
        expect(result.status).toBe(403);
        expect(result.body).toMatchObject({ code: 'ServiceUrlNotAllowed', message: expect.stringContaining('serviceUrl') });
      }
      expect(elsewhere.sent).toEqual([]);
    } finally {
      await elsewhere.stop();
    }
    const before = bot.connector.sent.length;
    expect((await post(bot.url, local({ conversation: { id: 'a:here' } }))).status).toBe(200);
    expect(bot.connector.since(before).length).toBeGreaterThan(0);
  });

  it.each([
    ['membersAdded as an object', { type: 'conversationUpdate', membersAdded: { id: 'b' } }, 'membersAdded'],
    ['a NUL in the conversation id', { conversation: { id: 'a:door\u0000x' } }, 'conversation.id'],
    ['an escape character in the conversation id', { conversation: { id: 'a:door\u001b[2J' } }, 'conversation.id'],
    ['no serviceUrl', { serviceUrl: undefined }, 'serviceUrl'],
    ['half a surrogate pair in the conversation id', { conversation: { id: 'a:door\ud800x' } }, 'conversation.id'],
    ['a serviceUrl that is not a URL', { serviceUrl: 'not a url' }, 'serviceUrl'],
  ])('answers an activity with %s with 400, naming the field', async (_what, extra, field) => {
    const before = bot.connector.sent.length;
    const result = await post(bot.url, local(extra));
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ code: 'InvalidActivity', message: expect.stringContaining(field) });
    expect(bot.connector.since(before)).toEqual([]);
  });

  it('refuses JSON declared in another charset', async () => {
    const answer = await send(bot.url, { headers: { 'content-type': 'application/json; charset=utf-16' }, body: JSON.stringify(activity({ serviceUrl: bot.serviceUrl })) });
    expect(answer.status).toBe(415);
  });

  it('answers 408 and closes the connection when the body does not arrive in time', async () => {
    const { port } = new URL(bot.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"type":`);
      });
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString('utf8')));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer.toLowerCase()).toContain('connection: close');
  }, 30_000);
});

/** Runs the bot until it exits, with its output, for configurations it must refuse. */
async function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; lines: string[] }> {
  const child = spawn(process.execPath, [path.resolve(__dirname, '../../dist/index.js')], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) readline.createInterface({ input: stream }).on('line', (line) => lines.push(line));
  // A bot that starts after all must not outlive the test.
  const started = setTimeout(() => child.kill('SIGTERM'), 15_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(started);
  await settle();
  return { code, lines };
}

describe('listening beyond loopback without credentials', () => {
  it('refuses to start, naming HOST and the way to opt in, in JSON', async () => {
    const { code, lines } = await runUntilExit({ HOST: '0.0.0.0' });
    expect(code).toBe(78);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.join('\n')).toMatch(/HOST.*ALLOW_UNAUTHENTICATED_REMOTE/);
  });

  it('starts when the operator opts in, with a warning in the log', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-door-'));
    const bot = await startBotProcess({ HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED_REMOTE: 'true', STATE_DB_PATH: path.join(dir, 'state.sqlite') });
    try {
      const warnings = bot.lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((entry) => entry.level === 40);
      expect(warnings.map((w) => w.msg).join('\n')).toContain('without credentials');
    } finally {
      await bot.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
