// A stand-in for the Bot Framework connector service (what an activity's serviceUrl points at). Both bots
// send their replies here over real HTTP; it answers like the connector and keeps, per conversation, the
// last activity it was sent, so a conversation can read the card the bot sent (e.g. the welcome card).
// `onActivity` sees every activity as it arrives (the escalation step times the help-desk channel's posts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentActivity {
  type?: string;
  text?: string;
  conversation?: { id?: string };
  attachments?: Array<{ contentType: string; content: unknown }>;
}

export interface Connector {
  /** The serviceUrl the activities carry, so that replies come here. */
  url: string;
  /** Activities received since the start. */
  received(): number;
  /** The last activity sent to this conversation since the previous take, and forgets it. */
  take(conversationId: string): SentActivity | undefined;
  stop(): Promise<void>;
}

export async function startConnector(onActivity?: (activity: SentActivity) => void): Promise<Connector> {
  let received = 0;
  let id = 0;
  const last = new Map<string, SentActivity>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !/^\/v3\/conversations\/[^/]+\/activities/.test(req.url ?? '')) {
        res.writeHead(404).end();
        return;
      }
      let activity: SentActivity;
      try {
        activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SentActivity;
      } catch {
        res.writeHead(400).end();
        return;
      }
      received += 1;
      onActivity?.(activity);
      const conversation = activity.conversation?.id;
      if (conversation) last.set(conversation, activity);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"id":"sent-${++id}"}`);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    take(conversationId) {
      const activity = last.get(conversationId);
      last.delete(conversationId);
      return activity;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
