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

export class FakeConnector {
  readonly sent: SentActivity[] = [];
  /** Posts still to be refused with 403, per conversation id, as Teams does while the bot is not in a team. */
  private readonly refusals = new Map<string, number>();
  private server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const conversation = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '')?.[1];
      if (req.method === 'POST' && conversation !== undefined) {
        const refusals = this.refusals.get(decodeURIComponent(conversation)) ?? 0;
        if (refusals > 0) {
          this.refusals.set(decodeURIComponent(conversation), refusals - 1);
          res.writeHead(403, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } }));
          return;
        }
        this.sent.push(JSON.parse(body) as SentActivity);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `sent-${this.sent.length}` }));
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

  /** Everything sent since the given count, for "what did this turn send?". */
  since(count: number): SentActivity[] {
    return this.sent.slice(count);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
