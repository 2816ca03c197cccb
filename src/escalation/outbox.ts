// The durable outbox: an escalation is written here before the admin is told it exists, and stays until
// every help-desk target has confirmed it. A target that is down, or a bot that restarts, only delays it.
import { EtagConflictError, type KeyValueStore } from '../storage/store';
import type { HandoffRecord } from './handoff';

/** Somewhere a handoff record goes: the help desk's Teams channel, a ticketing system's webhook. */
export interface Deliverer {
  readonly target: string;
  /** Whether this target can take escalations now (a channel may not be registered yet). */
  isConfigured(): Promise<boolean>;
  /** Resolves once the target has accepted the record; throws to be retried later. Must be idempotent by record id. */
  deliver(record: HandoffRecord): Promise<void>;
}

export interface OutboxEntry {
  record: HandoffRecord;
  target: string;
  attempts: number;
  /** Epoch milliseconds of the next try. */
  due: number;
  lastError?: string;
  /** Held by the instance that is sending it, so two bot instances do not both send. */
  leaseUntil?: number;
}

export interface RetryPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long one instance may hold an entry while sending it. */
  leaseMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { firstDelayMs: 2_000, maxDelayMs: 10 * 60_000, leaseMs: 60_000 };

const PREFIX = 'outbox/';

export interface OutboxLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export class Outbox {
  private readonly deliverers: Map<string, Deliverer>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly store: KeyValueStore,
    deliverers: Deliverer[],
    private readonly log: OutboxLog,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly clock: () => number = Date.now,
  ) {
    this.deliverers = new Map(deliverers.map((d) => [d.target, d]));
  }

  /**
   * Records the escalation for every target that is set up, and says which. Writing an id twice is a
   * no-op, so a replayed turn sends nothing twice.
   */
  async enqueue(record: HandoffRecord): Promise<string[]> {
    const targets: string[] = [];
    for (const deliverer of this.deliverers.values()) if (await deliverer.isConfigured()) targets.push(deliverer.target);
    for (const target of targets) {
      const entry: OutboxEntry = { record, target, attempts: 0, due: this.clock() };
      try {
        await this.store.write(`${PREFIX}${record.id}/${target}`, entry, null);
      } catch (error) {
        if (!(error instanceof EtagConflictError)) throw error;
      }
    }
    return targets;
  }

  /** Entries still waiting, for the operator's eye and for tests. */
  async pending(): Promise<OutboxEntry[]> {
    const keys = await this.store.keys(PREFIX);
    const entries = await Promise.all(keys.map((key) => this.store.read<OutboxEntry>(key)));
    return entries.flatMap((e) => (e ? [e.value] : []));
  }

  /** Sends whatever is due now; returns how many entries were delivered. */
  async runDue(): Promise<number> {
    let delivered = 0;
    for (const key of await this.store.keys(PREFIX)) {
      if (await this.attempt(key)) delivered += 1;
    }
    return delivered;
  }

  start(intervalMs: number): void {
    const tick = () => {
      this.running = this.runDue()
        .then(() => undefined)
        .catch((error) => this.log.error({ err: error }, 'escalation outbox pass failed; will retry'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.running;
  }

  private backoff(attempts: number): number {
    const exponential = this.retry.firstDelayMs * 2 ** Math.min(attempts - 1, 20);
    // Jitter spreads retries from several instances so a recovering webhook is not hit all at once.
    return Math.min(this.retry.maxDelayMs, exponential) * (0.8 + Math.random() * 0.4);
  }

  private async attempt(key: string): Promise<boolean> {
    const stored = await this.store.read<OutboxEntry>(key);
    if (!stored) return false;
    const now = this.clock();
    const entry = stored.value;
    if (entry.due > now || (entry.leaseUntil ?? 0) > now) return false;
    const deliverer = this.deliverers.get(entry.target);
    if (!deliverer) return false; // a target configured on another instance, or no longer configured here

    let leaseEtag: string;
    try {
      leaseEtag = await this.store.write<OutboxEntry>(key, { ...entry, leaseUntil: now + this.retry.leaseMs }, stored.etag);
    } catch {
      return false; // another instance took it
    }
    try {
      await deliverer.deliver(entry.record);
      await this.store.delete(key);
      this.log.info({ escalation: entry.record.id, target: entry.target, attempts: entry.attempts + 1 }, 'escalation delivered');
      return true;
    } catch (error) {
      const attempts = entry.attempts + 1;
      const lastError = error instanceof Error ? error.message : String(error);
      const retried: OutboxEntry = { ...entry, attempts, due: this.clock() + this.backoff(attempts), lastError, leaseUntil: undefined };
      await this.store.write(key, retried, leaseEtag).catch(() => undefined);
      const level = attempts >= 5 ? 'error' : 'warn';
      this.log[level]({ escalation: entry.record.id, target: entry.target, attempts, reason: lastError }, 'escalation not delivered yet; will retry');
      return false;
    }
  }
}
