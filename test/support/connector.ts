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
  private server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities/.test(req.url ?? '')) {
        this.sent.push(JSON.parse(body) as SentActivity);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `sent-${this.sent.length}` }));
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Everything sent since the given count, for "what did this turn send?". */
  since(count: number): SentActivity[] {
    return this.sent.slice(count);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
