// The bot as its own process, keeping its state in a storage account it reaches by URL and signs in to as
// itself: Azurite over https taking Microsoft Entra ID tokens, and a managed identity endpoint of our own,
// shaped like App Service's (IDENTITY_ENDPOINT, IDENTITY_HEADER), which hands out the tokens. No account key
// is given to the bot; Azurite refuses a request without a token it accepts.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type BotUnderTest, TeamsUser } from '../support/bot';
import { type Azurite, startAzurite } from '../support/azurite';
import { FakeConnector } from '../support/connector';
import { type BotProcess, buildBot, startBotProcess } from '../support/process';
import { selfSignedCertificate } from '../support/tls';

const CLIENT_ID = '5b0f3c1e-7d2a-4e8b-9c6f-1a2b3c4d5e6f';
const IDENTITY_HEADER = 'identity-header-test-value';
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A managed identity endpoint: answers with a token for `audience`, and keeps what it was asked. */
class IdentityEndpoint {
  audience = 'https://storage.azure.com';
  readonly asked: Array<{ resource: string | null; clientId: string | null; header: string | undefined }> = [];
  private server = http.createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    this.asked.push({ resource: query.get('resource'), clientId: query.get('client_id'), header: req.headers['x-identity-header'] as string | undefined });
    const now = Math.floor(Date.now() / 1000);
    const claims = { aud: this.audience, iss: 'https://sts.windows.net/0c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5/', iat: now, nbf: now - 60, exp: now + 3600 };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url(claims)}.c2lnbmF0dXJl`, expires_on: String(now + 3600), resource: query.get('resource'), token_type: 'Bearer' }));
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/msi/token`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('Azure Blob Storage by the bot\'s managed identity (AZURE_STORAGE_ACCOUNT_URL)', () => {
  const identity = new IdentityEndpoint();
  const connector = new FakeConnector();
  let dir: string;
  let azurite: Azurite;
  let env: Record<string, string>;
  let serviceUrl: string;
  const bots: BotProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-identity-'));
    const certificate = await selfSignedCertificate(dir);
    const [started, endpoint, url] = await Promise.all([startAzurite(certificate), identity.start(), connector.start(), buildBot()]);
    azurite = started;
    serviceUrl = url!;
    env = {
      STATE_STORE: 'blob',
      AZURE_STORAGE_ACCOUNT_URL: azurite.accountUrl,
      AZURE_STORAGE_CONTAINER: 'identity-state',
      // A user-assigned identity, as App Service exposes managed identities to the app.
      AZURE_CLIENT_ID: CLIENT_ID,
      IDENTITY_ENDPOINT: endpoint!,
      IDENTITY_HEADER,
      // Azurite's certificate is our own.
      NODE_EXTRA_CA_CERTS: certificate.certFile,
    };
  }, 120_000);

  afterAll(async () => {
    await Promise.all(bots.map((bot) => bot.stop()));
    await Promise.all([identity.stop(), connector.stop(), azurite?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the conversation there, signed in as the user-assigned identity, with no key', async () => {
    const bot = await startBotProcess(env);
    bots.push(bot);
    expect(bot.logs.find((line) => line.msg === 'bot listening')?.store).toBe(`Azure Blob Storage, container identity-state, signed in as the bot at ${azurite.accountUrl}`);
    const user = new TeamsUser({ url: bot.url, connector, serviceUrl } as unknown as BotUnderTest);
    expect((await user.joins()).length).toBeGreaterThan(0);
    await user.click('details', { next: 'pick' }, { protocol: 'imap4', version: '2019', server: 'EX01', mailbox: 'taro@contoso.com', errorText: '' });
    await bot.stop();

    // Another process on the same account finds the conversation where the first left it.
    const again = await startBotProcess(env);
    bots.push(again);
    const cards = await new TeamsUser({ url: again.url, connector, serviceUrl } as unknown as BotUnderTest, { conversationId: user.conversationId }).say('show me');
    expect(JSON.stringify(cards)).toContain('EX01');
    expect(identity.asked.length).toBeGreaterThan(0);
    for (const asked of identity.asked) expect(asked).toEqual({ resource: 'https://storage.azure.com', clientId: CLIENT_ID, header: IDENTITY_HEADER });
  }, 90_000);

  it('does not start when the account refuses the identity\'s token, and says where to look', async () => {
    identity.audience = 'https://vault.azure.net';
    try {
      await expect(startBotProcess({ ...env, AZURE_STORAGE_CONTAINER: 'identity-refused' })).rejects.toThrow(/Storage Blob Data Contributor[\s\S]*caused by: RestError: Server failed to authenticate the request/);
    } finally {
      identity.audience = 'https://storage.azure.com';
    }
  }, 60_000);
});
