// Starts the bot from the environment. Configuration errors end the process with a readable message,
// in a JSON line like every other line the process writes.
import { createApp } from './app';
import { ConfigError, type StoreConfig, loadConfig } from './config';
import { isLoopbackHost } from './config/loopback';
import { keepOutputInLog, createLogger } from './logging';

const startLog = createLogger('info');

function describeStore(store: StoreConfig): string {
  if (store.kind === 'sqlite') return store.path;
  return `Azure Blob Storage, container ${store.container}, ${'accountUrl' in store.access ? `signed in as the bot at ${store.access.accountUrl}` : 'with the connection string'}`;
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      startLog.fatal({ problems: error.problems }, error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  keepOutputInLog(log);
  process.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'the bot stopped on an unexpected error');
    process.exit(1);
  });
  if (!config.identity && !isLoopbackHost(config.host)) {
    log.warn(
      { host: config.host },
      'listening beyond this machine without credentials (ALLOW_UNAUTHENTICATED_REMOTE=true): anyone who reaches the port can drive the bot; replies still go only to a loopback serviceUrl',
    );
  }
  // Before the app is built: the instruments it makes must find the SDK registered. Loaded only when wanted.
  const { otlpEndpoint, applicationInsightsConnectionString } = config.telemetry;
  const telemetry = otlpEndpoint || applicationInsightsConnectionString ? (await import('./telemetry/start')).startTelemetry(config.telemetry, log) : undefined;
  const app = createApp(config, log);
  await app.start();
  log.info(
    {
      url: `${app.url()}/api/messages`,
      authentication: config.identity ? config.identity.appType : 'off (local only)',
      store: describeStore(config.store),
      telemetry: [otlpEndpoint && 'OTLP', applicationInsightsConnectionString && 'Application Insights'].filter(Boolean).join(', ') || 'off',
    },
    'bot listening',
  );
  const stop = async () => {
    // The backlog gauge reads the store: its last value goes out before the store closes, the last spans after.
    await telemetry?.flush();
    await app.stop();
    await telemetry?.shutdown();
  };
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error) => {
  startLog.fatal({ err: error }, 'The bot could not start');
  process.exit(1);
});
