// Readiness, as opposed to liveness: can this instance keep what admins tell it right now? It writes and
// reads back a probe document, and reports the escalation outbox's backlog and the documents set aside.
import { randomUUID } from 'node:crypto';
import type { Backlog } from './escalation/outbox';
import { damagedCount } from './storage/damaged';
import type { KeyValueStore } from './storage/store';
import type { Readiness } from './transport/readinessRoute';

export interface ReadinessProbe {
  check(): Promise<Readiness>;
  /** Removes this instance's probe document, on a clean stop. */
  clear(): Promise<void>;
}

export function readinessProbe(store: KeyValueStore, backlog: () => Promise<Backlog>): ReadinessProbe {
  const key = `readiness/${randomUUID()}`;
  const check = async (): Promise<Readiness> => {
    const nonce = randomUUID();
    try {
      await store.write(key, { nonce, at: new Date().toISOString() });
      if ((await store.read<{ nonce: string }>(key))?.value.nonce !== nonce) return { ready: false };
      const [waiting, damagedDocuments] = await Promise.all([backlog(), damagedCount(store)]);
      return { ready: true, outbox: { entries: waiting.entries, oldestAgeSeconds: Math.round(waiting.oldestAgeMs / 1000) }, damagedDocuments };
    } catch (error) {
      return { ready: false, cause: error };
    }
  };
  return { check, clear: () => store.delete(key) };
}
