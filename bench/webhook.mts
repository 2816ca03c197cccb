// A help desk's ticketing system for the escalation step: a local HTTP endpoint that answers each POST
// `afterMs` after it arrived, or holds every request until `release()`. It notes when each escalation
// (the Idempotency-Key the bot sends) first arrived, and when it was first accepted: answered 201 on a
// connection still open. An answer to a sender that gave up or died is no acceptance, so it is not counted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Webhook {
  url: string;
  /** performance.now() at each escalation's first arrival. */
  arrived: Map<string, number>;
  /** performance.now() at each escalation's first acceptance. */
  accepted: Map<string, number>;
  requests(): number;
  /** The escalations of the requests held now, one per request. */
  held(): string[];
  /** Answers every held request whose sender is still there, and every later one at once. */
  release(): void;
  stop(): Promise<void>;
}

export async function startWebhook(answer: { afterMs: number } | 'hold'): Promise<Webhook> {
  const arrived = new Map<string, number>();
  const accepted = new Map<string, number>();
  const held = new Map<http.ServerResponse, string>();
  let holding = answer === 'hold';
  let requests = 0;
  const accept = (res: http.ServerResponse, id: string) => {
    held.delete(res);
    if (res.destroyed) return;
    res.once('finish', () => {
      if (!accepted.has(id)) accepted.set(id, performance.now());
    });
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(`{"ticket":"T-${id}"}`);
  };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['idempotency-key']);
      requests += 1;
      if (!arrived.has(id)) arrived.set(id, performance.now());
      res.once('close', () => held.delete(res));
      if (holding) held.set(res, id);
      else if (answer === 'hold') accept(res, id);
      else setTimeout(() => accept(res, id), answer.afterMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tickets`,
    arrived,
    accepted,
    requests: () => requests,
    held: () => [...held.values()],
    release() {
      holding = false;
      for (const [res, id] of [...held]) accept(res, id);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
