// Starts the bot from the environment. Configuration errors end the process with a readable message.
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logging';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
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
  process.stderr.write(`The bot could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
