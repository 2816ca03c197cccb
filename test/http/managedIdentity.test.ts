// The bot as infra/main.bicep runs it in App Service: MicrosoftAppType=UserAssignedMSI, no password, and its
// tokens for the Bot Framework from the identity endpoint App Service gives the process (IDENTITY_ENDPOINT and
// IDENTITY_HEADER), here a local stand-in that answers as App Service does.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FakeConnector } from '../support/connector';
import { type BotProcess, buildBot, startBotProcess } from '../support/process';
import { FakeOpenIdMetadata, channelClaims, rs256, signingKey } from '../support/tokens';

const CLIENT_ID = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const TENANT_ID = '0c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5';
const IDENTITY_HEADER = 'app-service-identity-header-value';
const ACCESS_TOKEN = 'token-issued-to-the-managed-identity';

/** App Service's managed identity endpoint (api-version 2019-08-01): a token for the resource asked, if the header is right. */
class FakeIdentityEndpoint {
  readonly requests: URL[] = [];
  private server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push(url);
    if (req.headers['x-identity-header'] !== IDENTITY_HEADER) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'unauthorized' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        access_token: ACCESS_TOKEN,
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: url.searchParams.get('resource'),
        token_type: 'Bearer',
        client_id: url.searchParams.get('client_id'),
      }),
    );
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/msi/token`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('a bot whose identity is a user-assigned managed identity', () => {
  const key = signingKey('msi-key-1');
  const metadata = new FakeOpenIdMetadata([key]);
  const identity = new FakeIdentityEndpoint();
  const connector = new FakeConnector();
  let dir: string;
  let bot: BotProcess;
  let serviceUrl: string;

  beforeAll(async () => {
    await buildBot();
    dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-msi-'));
    serviceUrl = await connector.start();
    bot = await startBotProcess({
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppId: CLIENT_ID,
      MicrosoftAppTenantId: TENANT_ID,
      BotOpenIdMetadata: await metadata.start(),
      IDENTITY_ENDPOINT: await identity.start(),
      IDENTITY_HEADER,
      STATE_DB_PATH: path.join(dir, 'state.sqlite'),
    });
  }, 120_000);

  afterAll(async () => {
    await bot?.stop();
    await Promise.all([metadata.stop(), identity.stop(), connector.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a Teams message, signing its reply with the identity\'s token for the Bot Framework', async () => {
    const activity = {
      type: 'message',
      id: 'msi-1',
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: 'a:msi-conversation', conversationType: 'personal', tenantId: TENANT_ID },
      from: { id: '29:msi-user', aadObjectId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' },
      recipient: { id: `28:${CLIENT_ID}` },
      channelData: { tenant: { id: TENANT_ID } },
      text: 'hello',
    };
    const answer = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${rs256(channelClaims(CLIENT_ID, serviceUrl), key)}` },
      body: JSON.stringify(activity),
    });
    expect(answer.status).toBe(200);
    expect(connector.sent.length).toBeGreaterThan(0);
    expect(new Set(connector.authorizations)).toEqual(new Set([`Bearer ${ACCESS_TOKEN}`]));
    // Asked for this identity (a host can carry several) and for the Bot Framework's audience.
    const asked = identity.requests.at(-1)!;
    expect([asked.searchParams.get('client_id'), asked.searchParams.get('resource')]).toEqual([CLIENT_ID, 'https://api.botframework.com']);
  }, 60_000);
});
