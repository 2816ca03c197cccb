// A stand-in for the Bot Framework connector service (what an activity's serviceUrl points at). Both bots
// send their replies here over real HTTP; it answers like the connector and keeps, per conversation, the
// last activity it was sent, so a conversation can read the card the bot sent (e.g. the welcome card).
// A watched conversation keeps every activity sent or redrawn in it (PUT), with the id it was given, until a
// session claims it: the escalating mix finds its case's card in the shared help-desk channel that way.
// `onActivity` sees every activity as it arrives (the escalation step times the help-desk channel's posts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentActivity {
  type?: string;
  text?: string;
  conversation?: { id?: string };
  attachments?: Array<{ contentType: string; content: unknown }>;
}

/** An activity as the connector kept it: the id it gave the activity (a redraw keeps the id), the activity, its JSON. */
export interface Posted {
  id: string;
  activity: SentActivity;
  json: string;
}

export interface Connector {
  /** The serviceUrl the activities carry, so that replies come here. */
  url: string;
  /** Activities received since the start. */
  received(): number;
  /** The last activity sent to this conversation since the previous take, and forgets it. */
  take(conversationId: string): SentActivity | undefined;
  /** Keeps every activity sent to (or redrawn in) this conversation from now on, until `unwatch`. */
  watch(conversationId: string): void;
  unwatch(conversationId: string): void;
  /** The last kept activity of a watched conversation that `matches`; every match is taken out of those kept. */
  claim(conversationId: string, matches: (posted: Posted) => boolean): Posted | undefined;
  stop(): Promise<void>;
}

const KEPT_AT_MOST = 1000;

export async function startConnector(onActivity?: (activity: SentActivity) => void): Promise<Connector> {
  let received = 0;
  let id = 0;
  const last = new Map<string, SentActivity>();
  const watched = new Map<string, Posted[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const route = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
      const redraw = req.method === 'PUT' && route?.[2] !== undefined;
      if (!route || !(req.method === 'POST' || redraw)) {
        res.writeHead(404).end();
        return;
      }
      const json = Buffer.concat(chunks).toString('utf8');
      let activity: SentActivity;
      try {
        activity = JSON.parse(json) as SentActivity;
      } catch {
        res.writeHead(400).end();
        return;
      }
      const activityId = redraw ? decodeURIComponent(route[2]!) : `sent-${++id}`;
      const kept = watched.get(decodeURIComponent(route[1]!));
      // What nobody claimed (a case card redrawn after its session ended) goes, oldest first.
      if (kept && kept.push({ id: activityId, activity, json }) > KEPT_AT_MOST) kept.shift();
      if (!redraw) {
        received += 1;
        onActivity?.(activity);
        const conversation = activity.conversation?.id;
        if (conversation) last.set(conversation, activity);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: activityId }));
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
    watch(conversationId) {
      if (!watched.has(conversationId)) watched.set(conversationId, []);
    },
    unwatch(conversationId) {
      watched.delete(conversationId);
    },
    claim(conversationId, matches) {
      const kept = watched.get(conversationId) ?? [];
      const found = kept.filter(matches);
      if (found.length > 0) watched.set(conversationId, kept.filter((posted) => !found.includes(posted)));
      return found[found.length - 1];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
