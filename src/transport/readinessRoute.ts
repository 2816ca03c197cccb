// GET /readyz: 200 while the store takes writes, 503 (with Retry-After) when it does not, so a load balancer
// stops sending admins to an instance that would answer "couldn't save your progress" to every click.
import type { Server } from 'restify';

export interface Readiness {
  ready: boolean;
  /** Only when ready: what an operator watches. */
  outbox?: { entries: number; oldestAgeSeconds: number };
  damagedDocuments?: number;
  /** Only when not ready: why, for the operator's log at start; never in the HTTP answer. */
  cause?: unknown;
}

export function addReadinessRoute(server: Server, check: () => Promise<Readiness>): void {
  server.get('/readyz', async (_req, res) => {
    const readiness = await check();
    if (readiness.ready) {
      res.json({ status: 'ready', outbox: readiness.outbox, damagedDocuments: readiness.damagedDocuments });
      return;
    }
    res.status(503);
    res.header('Retry-After', '10');
    res.json({ status: 'notReady', message: 'The state store cannot be written or read back; check that it is reachable and has space.' });
  });
}
