// A ticketing system's webhook on a local HTTP server: up, down (503), or holding every request until it is
// let go, which is how a slow receiver looks to the bot.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export class TicketingWebhook {
  mode: 'up' | 'down' | 'hold' = 'up';
  readonly attempts: Received[] = [];
  readonly accepted: Received[] = [];
  /** Requests being held in 'hold' mode, answered 201 by release(). */
  readonly held: Array<() => void> = [];
  private server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const received = { headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> };
      this.attempts.push(received);
      const accept = () => {
        this.accepted.push(received);
        // No chaining: restify, loaded in this process, patches ServerResponse.writeHead to return nothing.
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end('{"ticket":"T-1"}');
      };
      if (this.mode === 'down') {
        res.writeHead(503);
        res.end();
      } else if (this.mode === 'hold') this.held.push(accept);
      else accept();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/tickets`;
  }

  /** Answers every held request, and takes the next ones at once. */
  release(): void {
    this.mode = 'up';
    for (const accept of this.held.splice(0)) accept();
  }

  /** Escalation ids accepted, each once per acceptance. */
  acceptedIds(): string[] {
    return this.accepted.map((r) => String(r.body.id));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
