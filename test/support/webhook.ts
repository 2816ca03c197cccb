// A ticketing system's webhook on a local HTTP server: the help desk at the far end of HELPDESK_WEBHOOK_URL.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A ticketing system's webhook that answers 503 while `down` is true. */
export class TicketingWebhook {
  down = false;
  readonly attempts: Received[] = [];
  readonly accepted: Received[] = [];
  private server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const received = { headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> };
      this.attempts.push(received);
      if (this.down) {
        // No chaining: restify, loaded in this process, patches ServerResponse.writeHead to return nothing.
        res.writeHead(503);
        res.end();
        return;
      }
      this.accepted.push(received);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"ticket":"T-1"}');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/tickets`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
