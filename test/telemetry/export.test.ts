// The bot as its own process, exporting to an OTLP/HTTP receiver of our own as it would to an operator's
// collector, and to an Application Insights ingestion endpoint of our own: an admin's turns, a refused request
// and an escalation that fails once and is then delivered must arrive as the metrics and spans the README
// names, and nothing the admin typed, nor who they are, may.
import { execFile } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { type BotUnderTest, TeamsUser, post } from '../support/bot';
import { FakeConnector } from '../support/connector';
import { DETAILS, escalate } from '../support/escalate';
import { freePort } from '../support/net';
import { type BotProcess, buildBot, startBotProcess } from '../support/process';
import { selfSignedCertificate } from '../support/tls';
import { TicketingWebhook, until } from '../support/webhook';

type AnyValue = { stringValue?: string; intValue?: string | number; doubleValue?: number };
type KeyValue = { key: string; value: AnyValue };
type Attrs = Record<string, string | number | undefined>;

/** An OTLP/HTTP receiver (JSON encoding): keeps every request body, as bytes and parsed. */
class OtlpReceiver {
  readonly bodies: Array<{ path: string; raw: string; json: Record<string, unknown> }> = [];
  private server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      this.bodies.push({ path: req.url ?? '', raw, json: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function attrs(list: KeyValue[] | undefined): Attrs {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : value.doubleValue)]));
}

interface Point {
  metric: string;
  attributes: Attrs;
  value?: number;
  count?: number;
}

/** Each metric's latest point per set of attributes: sums are cumulative, and each export repeats them. */
function metricPoints(receiver: OtlpReceiver): Point[] {
  type Metric = { name: string } & Record<string, { dataPoints?: Array<{ attributes?: KeyValue[]; asInt?: string; asDouble?: number; count?: string }> }>;
  const metrics = receiver.bodies
    .filter((b) => b.path === '/v1/metrics')
    .flatMap((b) => (b.json.resourceMetrics as Array<{ scopeMetrics: Array<{ metrics: Metric[] }> }>).flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics)));
  const points = metrics.flatMap((metric) =>
    (['sum', 'gauge', 'histogram'] as const).flatMap((kind) =>
      (metric[kind]?.dataPoints ?? []).map((p) => ({
        metric: metric.name,
        attributes: attrs(p.attributes),
        value: p.asInt !== undefined ? Number(p.asInt) : p.asDouble,
        count: p.count !== undefined ? Number(p.count) : undefined,
      })),
    ),
  );
  return [...new Map(points.map((p) => [JSON.stringify([p.metric, p.attributes]), p])).values()];
}

function spans(receiver: OtlpReceiver): Array<{ name: string; attributes: Attrs; status?: { code?: number } }> {
  type Span = { name: string; attributes?: KeyValue[]; status?: { code?: number } };
  return receiver.bodies
    .filter((b) => b.path === '/v1/traces')
    .flatMap((b) => (b.json.resourceSpans as Array<{ scopeSpans: Array<{ spans: Span[] }> }>).flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)))
    .map((s) => ({ name: s.name, attributes: attrs(s.attributes), status: s.status }));
}

/** Application Insights' ingestion endpoint (/v2.1/track) over https: keeps every envelope, unzipped. */
class IngestionEndpoint {
  readonly envelopes: Array<{ name: string; data: { baseType: string; baseData: { name?: string; metrics?: Array<{ name: string }>; properties?: Attrs } } }> = [];
  readonly raw: string[] = [];
  private server?: https.Server;

  async start(certificate: { certFile: string; keyFile: string }): Promise<string> {
    this.server = https.createServer({ cert: readFileSync(certificate.certFile), key: readFileSync(certificate.keyFile) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
        this.raw.push(text);
        const envelopes = JSON.parse(text) as IngestionEndpoint['envelopes'];
        this.envelopes.push(...envelopes);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ itemsReceived: envelopes.length, itemsAccepted: envelopes.length, errors: [] }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const ADMIN = { userId: '29:telemetry-admin-7f3a', userName: 'Sakura Yamamoto-Telemetry', tenantId: 'tenant-telemetry-91c2' };
const NOTE = 'Broke after the Kq7Zx9 certificate renewal on EX02';
const TYPED = 'my pop3 mailbox says Zq4Wt8 authentication failed';

/** Whatever of the admin's words or identity appears in `exported`. */
function personalIn(exported: string, conversationId: string): string[] {
  const personal = [ADMIN.userId, ADMIN.userName, ADMIN.tenantId, conversationId, NOTE, 'Kq7Zx9', TYPED, 'Zq4Wt8', DETAILS.mailbox, DETAILS.server, DETAILS.errorText, 'mail.contoso.com'];
  return personal.filter((value) => exported.includes(value));
}

beforeAll(async () => {
  await buildBot();
}, 120_000);

describe('telemetry off (neither exporter set)', () => {
  it('leaves the OpenTelemetry SDK and its exporters unloaded: the hooks are the API\'s no-ops', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      '-e',
      "require('./dist/app.js'); console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /@opentelemetry|monitor-opentelemetry/.test(f)).map((f) => /node_modules\\/(@[^/]+\\/[^/]+)/.exec(f)[1])))",
    ], { cwd: path.resolve(__dirname, '../..') });
    expect(new Set(JSON.parse(stdout) as string[])).toEqual(new Set(['@opentelemetry/api']));
  });
});

describe('telemetry over OTLP', () => {
  const receiver = new OtlpReceiver();
  const webhook = new TicketingWebhook();
  const connector = new FakeConnector();
  let dir: string;
  let bot: BotProcess;
  let user: TeamsUser;
  let refusal: number;

  beforeAll(async () => {
    const [endpoint, webhookUrl, serviceUrl] = await Promise.all([receiver.start(), webhook.start(), connector.start()]);
    dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-otlp-'));
    bot = await startBotProcess({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint!,
      STATE_DB_PATH: path.join(dir, 'state.sqlite'),
      HELPDESK_WEBHOOK_URL: webhookUrl!,
      OUTBOX_INTERVAL_MS: '50',
      OUTBOX_FIRST_RETRY_MS: '100',
      OUTBOX_MAX_RETRY_MS: '200',
    });
    user = new TeamsUser({ url: bot.url, connector, serviceUrl: serviceUrl! } as unknown as BotUnderTest, ADMIN);

    // A ticketing system down at first: the first send fails, a later one is delivered.
    webhook.mode = 'down';
    await escalate(user, NOTE);
    await until('a failed send to the webhook', () => webhook.attempts.length > 0, 30_000);
    webhook.mode = 'up';
    await until('the escalation at the webhook', () => webhook.accepted.length === 1, 30_000);
    await user.say(TYPED);
    refusal = (await post(bot.url, 'hello', { 'content-type': 'text/plain' })).status;
    await until('the delivery logged', () => bot.logs.some((line) => line.msg === 'escalation delivered' && line.target === 'webhook'), 30_000);
    // Stopping flushes what is left: every point and span below was sent by then.
    await bot.stop();
  }, 120_000);

  afterAll(async () => {
    await bot?.stop();
    await Promise.all([receiver.stop(), webhook.stop(), connector.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exports turn latency by the flow state each turn left, with the kind of turn and its outcome', () => {
    const turns = metricPoints(receiver).filter((p) => p.metric === 'popimap.turn.duration');
    expect(turns).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ attributes: { 'turn.kind': 'welcome', 'turn.state': 'gathering', 'turn.outcome': 'answered' } }),
        expect.objectContaining({ attributes: { 'turn.kind': 'action', 'turn.state': 'escalated', 'turn.outcome': 'answered' } }),
        expect.objectContaining({ attributes: expect.objectContaining({ 'turn.kind': 'text', 'turn.outcome': 'answered' }) }),
      ]),
    );
    // welcome, details, pick, escalate, confirm, and the typed message.
    expect(turns.reduce((sum, p) => sum + (p.count ?? 0), 0)).toBeGreaterThanOrEqual(6);
  });

  it('counts deliveries by target and outcome, and refused requests by reason', () => {
    const points = metricPoints(receiver);
    const deliveries = points.filter((p) => p.metric === 'popimap.outbox.deliveries');
    expect(deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ attributes: { 'delivery.target': 'webhook', 'delivery.outcome': 'failed' } }),
        expect.objectContaining({ attributes: { 'delivery.target': 'webhook', 'delivery.outcome': 'delivered' }, value: 1 }),
      ]),
    );
    expect(refusal).toBe(415);
    expect(points.filter((p) => p.metric === 'popimap.requests.refused')).toEqual([
      expect.objectContaining({ attributes: { 'refusal.reason': 'UnsupportedMediaType' }, value: 1 }),
    ]);
  });

  it('reports the outbox backlog and the age of its oldest entry', () => {
    const points = metricPoints(receiver);
    expect(points.some((p) => p.metric === 'popimap.outbox.backlog' && typeof p.value === 'number')).toBe(true);
    expect(points.some((p) => p.metric === 'popimap.outbox.oldest_age' && typeof p.value === 'number')).toBe(true);
  });

  it('sends a span per turn and per delivery, a failed send marked as an error', () => {
    const all = spans(receiver);
    expect(all.filter((s) => s.name === 'turn').length).toBeGreaterThanOrEqual(6);
    expect(all).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'turn', attributes: { 'turn.kind': 'action', 'turn.state': 'escalated', 'turn.outcome': 'answered' } }),
        expect.objectContaining({ name: 'outbox delivery', attributes: expect.objectContaining({ 'delivery.target': 'webhook', 'delivery.outcome': 'delivered' }) }),
        expect.objectContaining({
          name: 'outbox delivery',
          attributes: expect.objectContaining({ 'delivery.target': 'webhook', 'delivery.outcome': 'failed', 'error.type': expect.any(String) }),
          status: expect.objectContaining({ code: 2 }),
        }),
      ]),
    );
  });

  it('exported without a complaint from the SDK in the log', () => {
    expect(bot.logs.filter((line) => line.component === 'opentelemetry')).toEqual([]);
    expect(bot.logs.find((line) => line.msg === 'bot listening')).toMatchObject({ telemetry: 'OTLP' });
  });

  it('carries nothing the admin typed and nothing that names them', () => {
    expect(receiver.bodies.length).toBeGreaterThan(0);
    expect(personalIn(receiver.bodies.map((b) => b.raw).join('\n'), user.conversationId)).toEqual([]);
  });
});

describe('telemetry to a collector that is not there', () => {
  const connector = new FakeConnector();
  let dir: string;
  let bot: BotProcess;

  afterAll(async () => {
    await bot?.stop();
    await connector.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('costs the admin nothing and the operator a warning, and the bot still stops cleanly', async () => {
    const serviceUrl = await connector.start();
    const closed = await freePort();
    dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-otlp-down-'));
    bot = await startBotProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${closed}`, OTEL_METRIC_EXPORT_INTERVAL: '200', STATE_DB_PATH: path.join(dir, 'state.sqlite') });
    const user = new TeamsUser({ url: bot.url, connector, serviceUrl } as unknown as BotUnderTest);
    expect((await user.joins()).length).toBeGreaterThan(0);
    await until('a failed export logged', () => bot.logs.some((line) => line.component === 'opentelemetry' && line.level === 40), 30_000);
    expect((await user.say('hello')).length).toBeGreaterThan(0);
    await bot.stop();
    expect(bot.child.exitCode).toBe(0);
  }, 60_000);
});

describe('telemetry to Application Insights', () => {
  const ingestion = new IngestionEndpoint();
  const connector = new FakeConnector();
  let dir: string;
  let bot: BotProcess;
  let user: TeamsUser;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-appinsights-'));
    const certificate = await selfSignedCertificate(dir);
    const [endpoint, serviceUrl] = await Promise.all([ingestion.start(certificate), connector.start()]);
    bot = await startBotProcess({
      APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=5d6e7f80-1a2b-4c3d-9e8f-0a1b2c3d4e5f;IngestionEndpoint=${endpoint}`,
      // The exporter's reports about itself go to Microsoft, not to the resource: none from a test.
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: 'true',
      NODE_EXTRA_CA_CERTS: certificate.certFile,
      STATE_DB_PATH: path.join(dir, 'state.sqlite'),
    });
    user = new TeamsUser({ url: bot.url, connector, serviceUrl } as unknown as BotUnderTest, ADMIN);
    await user.joins();
    await user.say(TYPED);
    await post(bot.url, 'hello', { 'content-type': 'text/plain' });
    await bot.stop();
  }, 90_000);

  afterAll(async () => {
    await bot?.stop();
    await Promise.all([ingestion.stop(), connector.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends each turn as a request, and the metrics with their attributes as properties', () => {
    const requests = ingestion.envelopes.filter((e) => e.data.baseType === 'RequestData');
    expect(requests.map((e) => e.data.baseData)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'turn', properties: { 'turn.kind': 'welcome', 'turn.state': 'gathering', 'turn.outcome': 'answered' } })]),
    );
    const metrics = ingestion.envelopes.filter((e) => e.data.baseType === 'MetricData').map((e) => ({ name: e.data.baseData.metrics?.[0]?.name, properties: e.data.baseData.properties }));
    expect(metrics).toEqual(
      expect.arrayContaining([
        { name: 'popimap.turn.duration', properties: { 'turn.kind': 'text', 'turn.state': expect.any(String), 'turn.outcome': 'answered' } },
        { name: 'popimap.requests.refused', properties: { 'refusal.reason': 'UnsupportedMediaType' } },
        expect.objectContaining({ name: 'popimap.outbox.backlog' }),
      ]),
    );
  });

  it('carries nothing the admin typed and nothing that names them', () => {
    expect(ingestion.raw.length).toBeGreaterThan(0);
    expect(personalIn(ingestion.raw.join('\n'), user.conversationId)).toEqual([]);
  });
});
