import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('starts on the embedded defaults with nothing set, listening on loopback only', () => {
    expect(loadConfig({})).toEqual({
      port: 3978,
      host: '127.0.0.1',
      identity: undefined,
      stateDbPath: './data/state.sqlite',
      logLevel: 'info',
      maxBodyBytes: 256 * 1024,
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

  it('rejects a port that is not a port', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('accepts a managed identity without a password', () => {
    expect(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' }).identity?.appType).toBe(
      'UserAssignedMSI',
    );
  });
});
