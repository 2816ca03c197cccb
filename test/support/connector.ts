// A stand-in for the Bot Framework connector service (what Teams' serviceUrl points at): it records
// every activity the bot sends, so tests see exactly what a Teams client would be shown.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentActivity {
  type: string;
  text?: string;
  attachments?: Array<{ contentType: string; content: Record<string, unknown> }>;
  [key: string]: unknown;
}

/** An activity that replaced one sent before (PUT), as Teams redraws a card in place. */
export interface UpdatedActivity extends SentActivity {
  conversationId: string;
  activityId: string;
}

/** A post into a channel message's thread: to `<channel conversation id>;messageid=<root message id>`. */
export interface ThreadReply extends SentActivity {
  conversationId: string;
  messageId: string;
}

export class FakeConnector {
  readonly sent: SentActivity[] = [];
  readonly updated: UpdatedActivity[] = [];
  /** Also in `sent`, as Teams shows them in the channel too. */
  readonly replies: ThreadReply[] = [];
  /** The Authorization header of each post, in order: who the bot said it was. */
  readonly authorizations: Array<string | undefined> = [];
  private posts = 0;
  /** The id each post was answered with, as Teams answers: a card's id is how it is updated and replied under. */
  private readonly ids = new Map<SentActivity, string>();
  /** Posts still to be refused with 403, per conversation id, as Teams does while the bot is not in a team. */
  private readonly refusals = new Map<string, number>();
  private server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const [, encoded, activityId] = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '') ?? [];
      const conversation = encoded === undefined ? undefined : decodeURIComponent(encoded);
      if (req.method === 'PUT' && conversation !== undefined && activityId !== undefined) {
        const id = decodeURIComponent(activityId);
        this.updated.push({ ...(JSON.parse(body) as SentActivity), conversationId: conversation, activityId: id });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id }));
        return;
      }
      if (req.method === 'POST' && conversation !== undefined) {
        const refusals = this.refusals.get(conversation) ?? 0;
        if (refusals > 0) {
          this.refusals.set(conversation, refusals - 1);
          res.writeHead(403, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } }));
          return;
        }
        const activity = JSON.parse(body) as SentActivity;
        this.sent.push(activity);
        this.authorizations.push(req.headers.authorization);
        this.ids.set(activity, `sent-${++this.posts}`);
        const thread = /^(.+);messageid=(.+)$/.exec(conversation);
        if (thread) this.replies.push({ ...activity, conversationId: thread[1]!, messageId: thread[2]! });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: this.ids.get(activity) }));
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });

  async start(host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  /** Answers the next `times` posts to this conversation with 403 Forbidden. */
  refuse(conversationId: string, times: number): void {
    this.refusals.set(conversationId, times);
  }

  /** The id Teams gave a post. */
  idOf(activity: SentActivity): string {
    const id = this.ids.get(activity);
    if (!id) throw new Error('That activity was not posted through this connector');
    return id;
  }

  /** Everything sent since the given count, for "what did this turn send?". */
  since(count: number): SentActivity[] {
    return this.sent.slice(count);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
