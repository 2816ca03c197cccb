import { ConfigError, loadConfig } from '../src/config';

/** Each wrong value stops the bot with one problem, naming the variable and the values it takes. */
function expectRefused(variable: string, wrongs: string[], problem: RegExp): void {
  for (const wrong of wrongs) {
    try {
      loadConfig({ [variable]: wrong });
      throw new Error(`${variable}=${wrong} was accepted`);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([expect.stringMatching(problem)]);
    }
  }
}

describe('configuration', () => {
  it('starts on the embedded defaults with nothing set, listening on loopback only', () => {
    expect(loadConfig({})).toEqual({
      port: 3978,
      host: '127.0.0.1',
      identity: undefined,
      store: { kind: 'sqlite', path: './data/state.sqlite' },
      logLevel: 'info',
      maxBodyBytes: 256 * 1024,
      helpdesk: {
        language: 'en',
        outbox: { intervalMs: 2000, firstDelayMs: 2000, maxDelayMs: 600_000, leaseMs: 6_000, concurrency: 4, lateAfterMs: 900_000 },
      },
      probe: { allow: '', timeoutMs: 8000 },
      telemetry: { metricIntervalMs: 60_000 },
      insights: true,
      botSdk: 'botbuilder',
    });
  });

  it('listens on every interface once the bot has an identity to check tokens against', () => {
    const config = loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', MicrosoftAppTenantId: 'tenant' });
    expect(config.host).toBe('0.0.0.0');
    expect(config.identity).toEqual({ appId: 'app', appPassword: 'secret', appType: 'SingleTenant', tenantId: 'tenant' });
  });

  it('says what is missing for a single-tenant bot, and where to read more', () => {
    expect(() => loadConfig({ MicrosoftAppId: 'app' })).toThrow(ConfigError);
    try {
      loadConfig({ MicrosoftAppId: 'app' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('MicrosoftAppTenantId is required');
      expect(message).toContain('MicrosoftAppPassword is required');
      expect(message).toContain('README.md');
    }
  });

  it('never repeats a secret in its error message', () => {
    expect(() => loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'Sup3r-S3cret~value', MicrosoftAppType: 'Bogus' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('Sup3r-S3cret~value') }),
    );
  });

  it('wants the help-desk channel as a pair, and a webhook that is a URL', () => {
    expect(() => loadConfig({ HELPDESK_CHANNEL_CONVERSATION_ID: '19:abc@thread.tacv2' })).toThrow(/HELPDESK_CHANNEL_SERVICE_URL and HELPDESK_CHANNEL_CONVERSATION_ID go together/);
    expect(() => loadConfig({ HELPDESK_WEBHOOK_URL: 'tickets.contoso.com/hook' })).toThrow(/HELPDESK_WEBHOOK_URL/);
    expect(loadConfig({ HELPDESK_WEBHOOK_URL: 'https://tickets.contoso.com/hook' }).helpdesk.webhook).toEqual({ url: 'https://tickets.contoso.com/hook', secret: undefined, timeoutMs: 30_000 });
  });

  it('needs one way into Azure Blob Storage and a valid container name', () => {
    expect(() => loadConfig({ STATE_STORE: 'blob' })).toThrow(/AZURE_STORAGE_ACCOUNT_URL or AZURE_STORAGE_CONNECTION_STRING is required with STATE_STORE=blob/);
    expect(() => loadConfig({ STATE_STORE: 'blob', AZURE_STORAGE_CONNECTION_STRING: 'x', AZURE_STORAGE_CONTAINER: 'Bad_Name' })).toThrow(
      /AZURE_STORAGE_CONTAINER must be a valid container name/,
    );
    expect(loadConfig({ STATE_STORE: 'blob', AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }).store).toEqual({
      kind: 'blob',
      access: { connectionString: 'UseDevelopmentStorage=true' },
      container: 'popimap-bot-state',
    });
  });

  it('signs in to the storage account as the bot when given its URL, and sends that token only over https', () => {
    const accountUrl = 'https://contosobot.blob.core.windows.net';
    expect(loadConfig({ STATE_STORE: 'blob', AZURE_STORAGE_ACCOUNT_URL: accountUrl }).store).toEqual({
      kind: 'blob',
      access: { accountUrl },
      container: 'popimap-bot-state',
    });
    expect(() => loadConfig({ STATE_STORE: 'blob', AZURE_STORAGE_ACCOUNT_URL: accountUrl, AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' })).toThrow(
      /AZURE_STORAGE_ACCOUNT_URL and AZURE_STORAGE_CONNECTION_STRING are both set: set only one/,
    );
    expect(() => loadConfig({ STATE_STORE: 'blob', AZURE_STORAGE_ACCOUNT_URL: 'http://contosobot.blob.core.windows.net' })).toThrow(/AZURE_STORAGE_ACCOUNT_URL must be an https:\/\/ URL/);
    expect(() => loadConfig({ STATE_STORE: 'blob', AZURE_STORAGE_ACCOUNT_URL: 'contosobot.blob.core.windows.net' })).toThrow(/AZURE_STORAGE_ACCOUNT_URL/);
    // The user-assigned identity's client id, which @azure/identity reads: a typo stops the bot at start.
    expect(loadConfig({ STATE_STORE: 'blob', AZURE_STORAGE_ACCOUNT_URL: accountUrl, AZURE_CLIENT_ID: '0d6c4a3b-1e2f-4a5b-8c9d-0e1f2a3b4c5d' }).store).toMatchObject({ access: { accountUrl } });
    expect(() => loadConfig({ STATE_STORE: 'blob', AZURE_STORAGE_ACCOUNT_URL: accountUrl, AZURE_CLIENT_ID: 'bot-identity' })).toThrow(/AZURE_CLIENT_ID must be the client id \(a GUID\)/);
    // Azurite on this machine speaks http: no token leaves the machine.
    expect(loadConfig({ STATE_STORE: 'blob', AZURE_STORAGE_ACCOUNT_URL: 'http://127.0.0.1:10000/devstoreaccount1' }).store).toMatchObject({
      access: { accountUrl: 'http://127.0.0.1:10000/devstoreaccount1' },
    });
  });

  it('collects telemetry only where told to', () => {
    expect(loadConfig({}).telemetry).toEqual({ metricIntervalMs: 60_000 });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).telemetry).toEqual({ otlpEndpoint: 'http://127.0.0.1:4318', metricIntervalMs: 60_000 });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('rejects a port that is not a port', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('refuses to listen beyond loopback without credentials, unless the operator opts in', () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10', 'bot.contoso.com']) {
      expect(() => loadConfig({ HOST: host })).toThrow(/HOST is not loopback.*ALLOW_UNAUTHENTICATED_REMOTE=true/);
    }
    for (const host of ['127.0.0.1', '127.0.1.1', '::1', 'localhost']) expect(loadConfig({ HOST: host }).host).toBe(host);
    expect(loadConfig({ HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED_REMOTE: 'true' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0', MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', MicrosoftAppTenantId: 'tenant' }).host).toBe('0.0.0.0');
  });

  it('takes the OpenID metadata of another cloud as a URL', () => {
    const identity = { MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', MicrosoftAppTenantId: 'tenant' };
    expect(() => loadConfig({ ...identity, BotOpenIdMetadata: 'login.example/openid' })).toThrow(/BotOpenIdMetadata/);
    expect(loadConfig({ ...identity, BotOpenIdMetadata: 'https://login.example/v1/.well-known/openidconfiguration' }).identity?.openIdMetadataUrl).toBe(
      'https://login.example/v1/.well-known/openidconfiguration',
    );
  });

  it('accepts a managed identity without a password', () => {
    expect(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' }).identity?.appType).toBe(
      'UserAssignedMSI',
    );
  });

  it('keeps no case counts when the operator turns insights off, and names the two values it takes', () => {
    expect(loadConfig({ INSIGHTS: 'off' }).insights).toBe(false);
    expect(loadConfig({ INSIGHTS: 'on' }).insights).toBe(true);
    expectRefused('INSIGHTS', ['false', 'OFF', '0'], /^INSIGHTS must be "on" .* or "off"/);
  });

  it('runs on botbuilder unless told otherwise, and names both SDKs when given another', () => {
    expect(loadConfig({}).botSdk).toBe('botbuilder');
    expect(loadConfig({ BOT_SDK: 'agents' }).botSdk).toBe('agents');
    expectRefused('BOT_SDK', ['agents-sdk', 'Agents', 'teams'], /^BOT_SDK must be "botbuilder" .* or "agents"/);
  });
});
