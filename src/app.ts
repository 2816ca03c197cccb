// The composition root: builds every room from the configuration and wires them together.
// Nothing here decides anything about the conversation.
import type { Server } from 'restify';
import type { BlobAccess, Config } from './config';
import { AdminDesk } from './conversation/adminDesk';
import { Front } from './conversation/front';
import { HelpdeskDesk } from './conversation/helpdeskDesk';
import { type HandoffPort, ConversationService } from './conversation/turn';
import { Casework, SWEEP_AFTER_MS } from './escalation/caseFile';
import { CaseCourier } from './escalation/courier';
import { Understanding } from './understanding';
import { HelpdeskDirectory } from './escalation/helpdesk';
import { DEFAULT_POLICY, Outbox } from './escalation/outbox';
import { WebhookDeliverer } from './escalation/webhook';
import type { Logger } from './logging';
import { createEndpointChecker } from './probe/checker';
import { type BlobAccount, BlobStore } from './storage/blobStore';
import { botCredential } from './storage/botCredential';
import { SqliteStore } from './storage/sqliteStore';
import type { KeyValueStore } from './storage/store';
import { observeBacklog, observeTurn } from './telemetry';
import { AdminNoticeDeliverer } from './transport/adminNotices';
import { adminCaseSender, channelCaseSender } from './transport/caseDelivery';
import { TeamsChannelDeliverer } from './transport/helpdeskChannel';
import { readinessProbe } from './readiness';
import { addCaseEventsRoute } from './transport/caseEventsRoute';
import { addReadinessRoute } from './transport/readinessRoute';
import { createTransport } from './transport/createTransport';
import { createServer } from './transport/server';
import { TeamsEdge } from './transport/teamsEdge';

export interface App {
  server: Server;
  store: KeyValueStore;
  outbox: Outbox;
  /** Where the bot listens, once started: useful when the port was 0. */
  url(): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The account URL means the bot signs in as itself; a connection string carries its own key. */
export function blobAccount(access: BlobAccess): BlobAccount {
  return 'accountUrl' in access ? { accountUrl: access.accountUrl, credential: botCredential() } : access;
}

export function createStore(config: Config): KeyValueStore {
  return config.store.kind === 'blob' ? new BlobStore(blobAccount(config.store.access), config.store.container) : new SqliteStore(config.store.path);
}

export function createApp(config: Config, log: Logger, store: KeyValueStore = createStore(config)): App {
  const transport = createTransport(config, log);
  const { helpdesk } = config;
  const directory = new HelpdeskDirectory(
    store,
    helpdesk.channel ? { channelId: 'msteams', ...helpdesk.channel } : undefined,
    config.identity?.appType === 'SingleTenant' ? config.identity.tenantId : undefined,
    () => log.error({ key: 'helpdesk/teams-channel' }, 'the help-desk channel registration is damaged; kept aside under damaged/. Register the channel again'),
  );
  const { intervalMs, ...policy } = helpdesk.outbox;
  const casework = new Casework(store, (record, target) => outbox.wake(record, target), log);
  const teamsChannel = new TeamsChannelDeliverer(transport, directory, helpdesk.language, casework);
  // The ticketing system's answer may name its ticket: the case records it, and the admin is told.
  const recordTicket = async (id: string, ticketId: string) => {
    await casework.apply(id, { event: { type: 'TICKET', ticketId }, seenId: `ticket:${ticketId}` });
  };
  const outbox: Outbox = new Outbox(
    store,
    [
      teamsChannel,
      ...(helpdesk.webhook ? [new WebhookDeliverer(helpdesk.webhook.url, helpdesk.webhook.secret, helpdesk.webhook.timeoutMs, recordTicket)] : []),
      new AdminNoticeDeliverer(transport),
      new CaseCourier(casework, 'admin', adminCaseSender(transport)),
      new CaseCourier(casework, 'channel', channelCaseSender(transport, directory, helpdesk.language)),
    ],
    log,
    (conversationKey, id) => conversation.keptEscalation(conversationKey, id),
    { ...DEFAULT_POLICY, ...policy },
  );
  const handoff: HandoffPort = {
    enqueue: (record, from) => outbox.enqueue(record, from),
    registerChannel: async (address) => {
      const { outcome, previous } = await directory.register(address);
      if (previous) {
        await teamsChannel.announceMove(previous, address).catch((error: unknown) => {
          log.warn({ err: error, conversation: previous.conversationId }, 'could not tell the previous help-desk channel that it moved');
        });
      }
      return outcome;
    },
    openCase: (record, admin, inChannel, factsKey) => casework.open(record, admin, inChannel, factsKey),
    caseStanding: async (id) => (await casework.read(id))?.value,
    helpdeskChannel: () => directory.address(),
  };
  // Learnt once per process from locales/*/utterances.json; a turn waits for it, and so does start().
  const understanding = Understanding.shared();
  const conversation = new ConversationService(store, log, handoff, understanding, createEndpointChecker(config.probe), config.insights);
  const front = new Front(
    conversation,
    new HelpdeskDesk(casework, () => directory.address(), understanding, helpdesk.language, log),
    new AdminDesk(store, casework, understanding, log),
  );
  const edge = new TeamsEdge({ handle: (inbound) => observeTurn(inbound.kind, () => front.handle(inbound)) }, log);
  const server = createServer(config, transport, edge, log);
  const readiness = readinessProbe(store, () => outbox.backlog());
  addReadinessRoute(server, readiness.check);
  addCaseEventsRoute(server, { secret: helpdesk.webhook?.secret, casework, log, maxBodyBytes: config.maxBodyBytes });
  let sweeping: NodeJS.Timeout | undefined;
  let stopObserving = () => {};
  return {
    server,
    store,
    outbox,
    url: () => {
      const address = server.address();
      return `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
    },
    start: async () => {
      await understanding;
      // An instance that cannot keep what admins tell it must not take their clicks.
      const probed = await readiness.check();
      if (!probed.ready) {
        await store.close();
        throw new Error(
          'the state store cannot be written or read back: check STATE_DB_PATH (free space, permissions) or the Azure Storage account (with AZURE_STORAGE_ACCOUNT_URL: that the bot\'s identity holds Storage Blob Data Contributor on it)',
          { cause: probed.cause },
        );
      }
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      outbox.start(intervalMs);
      stopObserving = observeBacklog(() => outbox.backlog());
      sweeping = setInterval(() => {
        casework.sweep().catch((error: unknown) => log.error({ err: error }, 'the case sweep could not look at interrupted changes; will retry'));
      }, SWEEP_AFTER_MS / 2);
      sweeping.unref();
    },
    stop: async () => {
      clearInterval(sweeping);
      stopObserving();
      await outbox.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await readiness.clear().catch(() => undefined); // a store gone by now: the probe document stays, harmless
      await store.close();
    },
  };
}
