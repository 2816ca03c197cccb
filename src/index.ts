// Starts the bot from the environment. Configuration errors end the process with a readable message,
// in a JSON line like every other line the process writes.
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { isLoopbackHost } from './config/loopback';
import { keepOutputInLog, createLogger } from './logging';

const startLog = createLogger('info');

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
  const app = createApp(config, log);
  await app.start();
  log.info(
    { url: `${app.url()}/api/messages`, authentication: config.identity ? config.identity.appType : 'off (local only)', store: config.store.kind === 'sqlite' ? config.store.path : `Azure Blob Storage, container ${config.store.container}` },
    'bot listening',
  );
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    app.stop().then(
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
