// The composition root: builds every room from the configuration and wires them together.
// Nothing here decides anything about the conversation.
import type { Server } from 'restify';
import type { Config } from './config';
import { ConversationService } from './conversation/turn';
import type { Logger } from './logging';
import { SqliteStore } from './storage/sqliteStore';
import type { KeyValueStore } from './storage/store';
import { createAdapter, createServer } from './transport/server';
import { TeamsEdge } from './transport/teamsEdge';

export interface App {
  server: Server;
  store: KeyValueStore;
  /** Where the bot listens, once started: useful when the port was 0. */
  url(): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createApp(config: Config, log: Logger, store: KeyValueStore = new SqliteStore(config.stateDbPath)): App {
  const conversation = new ConversationService(store, log);
  const edge = new TeamsEdge(conversation, log);
  const server = createServer(config, createAdapter(config, log), edge, log);
  return {
    server,
    store,
    url: () => {
      const address = server.address();
      return `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
    },
    start: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      }),
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
