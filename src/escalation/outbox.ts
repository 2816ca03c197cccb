// The durable outbox: an escalation is written here before the admin is told it exists, and stays until
// every help-desk target has confirmed it. A target that is down, or a bot that restarts, only delays it.
//
// Written here rather than taken from a queue library because it has to live in the bot's own store
// (SQLite or Azure Blob Storage, with their eTags), with no broker for the operator to run.
import { randomUUID } from 'node:crypto';
import { readOrSetAside } from '../storage/damaged';
import { EtagConflictError, type KeyValueStore, type Stored } from '../storage/store';
import { observeDelivery } from '../telemetry';
import { TimedOut, withTimeout } from '../timing';
import { ESCALATION_ID, type HandoffRecord } from './handoff';

/** Where the admin who escalated can be reached again: their conversation with the bot. */
export interface ReplyAddress {
  channelId: string;
  serviceUrl: string;
  conversationId: string;
  tenantId?: string;
  conversationType?: string;
}

/** What the admin is told about a delivery: a target took the case, or has been failing for a while. */
export type DeliveryNotice = { kind: 'accepted'; target: string } | { kind: 'late'; target: string; minutes: number };

export interface OutboxEntry {
  record: HandoffRecord;
  target: string;
  /** Set on the admin's messages about a delivery, which travel through the outbox like the case itself. */
  notice?: DeliveryNotice;
  replyTo?: ReplyAddress;
  /**
   * The conversation whose turn wrote this entry, until that turn is seen to have kept the escalation.
   * The outbox is written first, so a turn that then fails to save leaves an entry nobody was told about.
   */
  awaiting?: string;
  /** Epoch milliseconds. */
  enqueuedAt: number;
  attempts: number;
  due: number;
  lastError?: string;
  failingSince?: number;
  /** The admin and the operator were told this target is late. */
  alerted?: boolean;
  /**
   * The instance sending it. The holder rewrites the entry every third of the lease while it sends; another
   * instance takes it over only after seeing it unchanged for a whole lease by its own clock, so instances
   * whose clocks differ still never send it at once.
   */
  leasedBy?: string;
  renewals?: number;
}

/**
 * Somewhere an outbox entry goes: the help desk's Teams channel, a ticketing system's webhook, the admin.
 * Or a courier: it sends one party the messages a case file has queued for it, in order, while it holds its
 * entry (`outbox/<id>/<target>`, written by {@link Outbox.wake}), so that one instance at a time does so.
 */
export interface Deliverer {
  readonly target: string;
  readonly courier?: true;
  /** Whether this target can take escalations now (a channel may not be registered yet). */
  isConfigured(): Promise<boolean>;
  /**
   * Resolves once the target has accepted the entry; throws to be retried later. Must be idempotent by record id.
   * `stop` is aborted once the entry is no longer this instance's to send (the send timed out, or the lease was
   * lost): a courier sends no further message then.
   */
  deliver(entry: OutboxEntry, stop: AbortSignal): Promise<void>;
  /** A courier's party has messages still to be sent: asked after its entry is cleared. */
  hasMore?(entry: OutboxEntry): Promise<boolean>;
}

export interface OutboxPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long an instance holds an entry it is sending; renewed at a third of it, so a crashed holder frees it soon. */
  leaseMs: number;
  /** Entries of one target sent at once by one instance. */
  concurrency: number;
  /** A send that has not ended by then counts as failed (and is tried again), so a hung target frees its slot. */
  sendTimeoutMs: number;
  /** After this long failing, the admin and the operator are told that a target is not taking the case. */
  lateAfterMs: number;
  /**
   * An entry whose turn never kept the escalation is dropped once this instance has seen it so, unchanged, for
   * this long (the admin was never told of it).
   */
  unconfirmedAfterMs: number;
}

export const DEFAULT_POLICY: OutboxPolicy = {
  firstDelayMs: 2_000,
  maxDelayMs: 10 * 60_000,
  leaseMs: 6_000,
  concurrency: 4,
  sendTimeoutMs: 60_000,
  lateAfterMs: 15 * 60_000,
  unconfirmedAfterMs: 2 * 60_000,
};

const PREFIX = 'outbox/';
const DELIVERED_PREFIX = 'delivered/';
export const ADMIN_TARGET = 'admin';
const ADMIN_NOTICE_ATTEMPTS = 12;

export interface OutboxLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Whether the conversation `key` kept escalation `id`: the outbox asks before sending anything it wrote first. */
export type ConfirmationCheck = (conversationKey: string, id: string) => Promise<boolean>;

/** What stays of a delivered entry: enough to tell a replay from a new case, and for the operator to read. */
export interface DeliveryRecord {
  id: string;
  target: string;
  attempts: number;
  enqueuedAt: number;
  deliveredAt: number;
}

export interface Backlog {
  entries: number;
  oldestAgeMs: number;
}

function keyOf(id: string, name: string): string {
  return `${PREFIX}${id}/${name}`;
}

/** Where a delivery is recorded once a target accepted it: kept, as the operator's delivery log. */
function deliveredKey(key: string): string {
  return `${DELIVERED_PREFIX}${key.slice(PREFIX.length)}`;
}

/** `outbox/<id>/<name>`: a case entry's name is its target; an admin message is `admin.<what>.<target>`. */
function targetOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1).split('.')[0]!;
}

export class Outbox {
  private readonly deliverers: Map<string, Deliverer>;
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Sends under way per target: the bound. Looking at an entry (not due, held by another instance) takes no slot. */
  private readonly sending = new Map<string, number>();
  /** When each entry is next worth reading, by this instance's clock: entries not due are not read again until then. */
  private readonly dueAt = new Map<string, number>();
  /** Each entry's eTag as this instance last saw it, and since when (its own clock): how leases and drops are judged. */
  private readonly seen = new Map<string, { etag: string; since: number; enqueuedAt: number }>();
  /**
   * Copies to send from, against their eTag, instead of reading the entry again: entries this instance has just
   * written, and entries found ready to send while every slot of their target was busy (a busy help desk's
   * entries were read again at every look until a slot freed, dozens of times each). An entry that changed
   * meanwhile is not sent from its copy: the write that takes it fails, and a later pass reads it again.
   */
  private readonly ready = new Map<string, Stored<OutboxEntry>>();
  private readonly unserved = new Set<string>();
  private readonly instance = randomUUID();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private kicked = false;
  private intervalMs = 0;

  constructor(
    private readonly store: KeyValueStore,
    deliverers: Deliverer[],
    private readonly log: OutboxLog,
    private readonly confirmed: ConfirmationCheck,
    private readonly policy: OutboxPolicy = DEFAULT_POLICY,
    private readonly clock: () => number = Date.now,
  ) {
    this.deliverers = new Map(deliverers.map((d) => [d.target, d]));
  }

  /**
   * Records the escalation for every help-desk target that is set up, and says which. Writing an id twice is
   * a no-op, so a replayed turn, or a second instance confirming the same case, sends nothing twice.
   */
  async enqueue(record: HandoffRecord, from: { conversation: string; replyTo?: ReplyAddress }): Promise<string[]> {
    const targets: string[] = [];
    for (const deliverer of this.deliverers.values()) {
      if (deliverer.target !== ADMIN_TARGET && !deliverer.courier && (await deliverer.isConfigured())) targets.push(deliverer.target);
    }
    const now = this.clock();
    await Promise.all(
      targets.map((target) =>
        this.add(keyOf(record.id, target), {
          record,
          target,
          ...(from.replyTo ? { replyTo: from.replyTo } : {}),
          awaiting: from.conversation,
          enqueuedAt: now,
          attempts: 0,
          due: now,
        }),
      ),
    );
    this.kick();
    return targets;
  }

  /**
   * Asks a courier to look at a case's messages for its party. An entry being sent is left as it is: its
   * courier asks for more once it has cleared it. One waiting out a retry is made due now, since what it
   * waited for (the case card being posted, say) may be what woke it. Nothing is ever delivered for good
   * here, so delivered/ is not consulted.
   */
  async wake(record: HandoffRecord, target: string): Promise<void> {
    const key = keyOf(record.id, target);
    for (let tries = 0; tries < 3; tries++) {
      const now = this.clock();
      const entry: OutboxEntry = { record, target, enqueuedAt: now, attempts: 0, due: now };
      try {
        this.written(key, entry, await this.store.write<OutboxEntry>(key, entry, null));
      } catch (error) {
        if (!(error instanceof EtagConflictError)) throw error;
        const existing = await this.read(key);
        if (!existing) continue; // cleared (or set aside) meanwhile: write it afresh
        if (existing.value.leasedBy || existing.value.due <= now) return;
        // Its eTag changes, so a sender that took it meanwhile keeps it (its own write wins or ours fails).
        const due = { ...existing.value, due: now };
        try {
          this.written(key, due, await this.store.write<OutboxEntry>(key, due, existing.etag));
        } catch (conflict) {
          if (!(conflict instanceof EtagConflictError)) throw conflict;
        }
      }
      this.dueAt.delete(key); // what this instance knew of an earlier entry under this key says nothing of this one
      this.kick();
      return;
    }
  }

  /** Entries still waiting, for the operator's eye and for tests. */
  async pending(): Promise<OutboxEntry[]> {
    const entries = await Promise.all((await this.store.keys(PREFIX)).map((key) => this.read(key)));
    return entries.flatMap((e) => (e ? [e.value] : []));
  }

  /** From the key list and what this instance has read of the entries: cheap enough for every readiness probe. */
  async backlog(): Promise<Backlog> {
    const keys = await this.store.keys(PREFIX);
    const now = this.clock();
    let oldest = now;
    for (const key of keys) oldest = Math.min(oldest, this.seen.get(key)?.enqueuedAt ?? now);
    return { entries: keys.length, oldestAgeMs: Math.max(0, now - oldest) };
  }

  /** Starts whatever is due now, within each target's own limit, and waits for those sends to end. */
  async runDue(): Promise<void> {
    await this.tick();
    await Promise.all(this.inFlight.values());
  }

  start(intervalMs: number): void {
    this.intervalMs = intervalMs;
    this.timer = setTimeout(this.loop, 0);
  }

  async stop(): Promise<void> {
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.ticking;
    await Promise.all(this.inFlight.values());
  }

  private readonly loop = () => {
    this.kicked = false;
    this.ticking = this.tick()
      .catch((error) => this.log.error({ err: error }, 'escalation outbox could not list its entries; will retry'))
      .finally(() => {
        this.ticking = undefined;
        if (this.timer) this.timer = setTimeout(this.loop, this.kicked ? 0 : this.intervalMs);
      });
  };

  /**
   * Looks again now rather than at the next interval: a new escalation goes out at once, and a slot freed by
   * a finished send is filled at once.
   */
  private kick(): void {
    if (!this.timer) return;
    if (this.ticking) {
      this.kicked = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(this.loop, 0);
  }

  /**
   * One look at the outbox. Each target has its own slots, and a send is not waited for here: a slow or dead
   * target holds its own slots and nothing else.
   */
  private async tick(): Promise<void> {
    const now = this.clock();
    // Entries looked at at once, per target: bounded too, so a long backlog is read a few at a time.
    const busy = new Map<string, number>();
    for (const key of this.inFlight.keys()) busy.set(targetOf(key), (busy.get(targetOf(key)) ?? 0) + 1);
    const lookLimit = this.policy.concurrency * 4;
    const keys = await this.store.keys(PREFIX);
    const present = new Set(keys);
    for (const key of this.dueAt.keys()) if (!present.has(key)) this.dueAt.delete(key);
    for (const key of this.seen.keys()) if (!present.has(key)) this.seen.delete(key);
    for (const key of this.ready.keys()) if (!present.has(key)) this.ready.delete(key);
    for (const key of keys) {
      const target = targetOf(key);
      if (!this.deliverers.has(target)) {
        this.reportUnserved(target);
        continue;
      }
      if (this.inFlight.has(key) || (this.dueAt.get(key) ?? 0) > now) continue;
      if ((busy.get(target) ?? 0) >= lookLimit) continue;
      busy.set(target, (busy.get(target) ?? 0) + 1);
      const attempt = this.attempt(key)
        .catch((error) => this.log.error({ err: error, target }, 'escalation outbox entry could not be handled; will retry'))
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, attempt);
    }
  }

  /**
   * Writes the entry unless it is there already. One still awaiting its conversation is written again with a
   * new eTag, so that an instance about to drop it as never kept (its turn failed, and this is the admin's
   * retry of that turn) cannot: its delete is conditional on the eTag it read.
   */
  private async add(key: string, entry: OutboxEntry): Promise<void> {
    // Already delivered: a replay of the turn that wrote it must not send it again.
    if (await this.store.read(deliveredKey(key))) return;
    for (let tries = 0; tries < 5; tries++) {
      try {
        this.written(key, entry, await this.store.write(key, entry, null));
        return;
      } catch (error) {
        if (!(error instanceof EtagConflictError)) throw error;
      }
      const existing = await this.store.read<OutboxEntry>(key);
      if (!existing) continue; // dropped meanwhile as never kept: write it again
      if (!existing.value.awaiting) return;
      try {
        const renewed = { ...existing.value, enqueuedAt: entry.enqueuedAt };
        this.written(key, renewed, await this.store.write<OutboxEntry>(key, renewed, existing.etag));
        return;
      } catch (error) {
        if (!(error instanceof EtagConflictError)) throw error;
      }
    }
    throw new EtagConflictError(key);
  }

  /** Keeps what this instance just wrote as the entry's copy to send from, so the next pass does not read it back. */
  private written(key: string, entry: OutboxEntry, etag: string): void {
    // One awaiting its turn is read again: by then the turn has had the time to keep the escalation.
    if (!entry.awaiting) this.ready.set(key, { value: entry, etag });
  }

  /** A damaged entry is moved aside for the operator, so that it cannot stop every other delivery. */
  private async read(key: string) {
    const { stored } = await readOrSetAside<OutboxEntry>(this.store, key, new Date(this.clock()), (damaged) => {
      const id = ESCALATION_ID.exec(damaged.raw.toString('latin1'))?.[0];
      this.log.error({ key, escalation: id, bytes: damaged.raw.length }, 'escalation outbox entry is damaged; kept aside under damaged/ for the operator');
    });
    return stored;
  }

  /** Entries for a target this instance does not send to (another instance's, or one taken out of the configuration). */
  private reportUnserved(target: string): void {
    if (this.unserved.has(target)) return;
    this.unserved.add(target);
    this.log.error({ target }, 'escalation outbox holds entries for a target this instance does not send to; configure it on one instance at least');
  }

  /** How long this instance has seen `key` unchanged at `etag`, by its own clock. */
  private unchangedFor(key: string, etag: string, entry: OutboxEntry, now: number): number {
    const seen = this.seen.get(key);
    if (seen?.etag === etag) return now - seen.since;
    this.seen.set(key, { etag, since: now, enqueuedAt: entry.enqueuedAt });
    return 0;
  }

  private backoff(attempts: number): number {
    const exponential = this.policy.firstDelayMs * 2 ** Math.min(attempts - 1, 20);
    // Jitter spreads retries from several instances so a recovering webhook is not hit all at once.
    return Math.min(this.policy.maxDelayMs, exponential) * (0.8 + Math.random() * 0.4);
  }

  private async attempt(key: string): Promise<void> {
    const stored = this.ready.get(key) ?? (await this.read(key));
    this.ready.delete(key); // kept again below if there is still no slot
    if (!stored) return;
    const now = this.clock();
    let entry = stored.value;
    const etag = stored.etag;
    const unchanged = this.unchangedFor(key, etag, entry, now);
    if (entry.due > now) {
      this.dueAt.set(key, entry.due);
      return;
    }
    if (entry.leasedBy && unchanged < this.policy.leaseMs) {
      this.dueAt.set(key, now + this.policy.leaseMs / 3); // its holder may still be sending
      return;
    }
    if (entry.awaiting) {
      if (!(await this.confirmed(entry.awaiting, entry.record.id))) {
        if (unchanged < this.policy.unconfirmedAfterMs) this.dueAt.set(key, now + this.policy.firstDelayMs);
        else await this.dropUnkept(key, entry, etag);
        return;
      }
      entry = { ...entry, awaiting: undefined };
    }

    if ((this.sending.get(entry.target) ?? 0) >= this.policy.concurrency) {
      this.ready.set(key, { value: entry, etag }); // next pass, when a slot is free
      return;
    }
    this.sending.set(entry.target, (this.sending.get(entry.target) ?? 0) + 1);
    try {
      await this.send(key, entry, etag);
    } finally {
      this.sending.set(entry.target, (this.sending.get(entry.target) ?? 1) - 1);
    }
  }

  private async send(key: string, entry: OutboxEntry, readEtag: string): Promise<void> {
    const deliverer = this.deliverers.get(entry.target)!;
    let etag: string;
    try {
      etag = await this.store.write<OutboxEntry>(key, { ...entry, leasedBy: this.instance, renewals: 0 }, readEtag);
    } catch (error) {
      if (error instanceof EtagConflictError) return; // another instance took it
      throw error;
    }
    // A turn replayed elsewhere can write an entry again just after it was delivered and cleared.
    if (!deliverer.courier && (await this.store.read(deliveredKey(key)))) {
      await this.store.delete(key, etag).catch(() => undefined);
      return;
    }
    const stop = new AbortController();
    const lease = this.holdLease(key, entry, () => etag, (renewed) => (etag = renewed), () => stop.abort());
    try {
      await observeDelivery(entry.target, entry.attempts + 1, () =>
        withTimeout(deliverer.deliver(entry, stop.signal), this.policy.sendTimeoutMs, () => {
          stop.abort();
          return new TimedOut(entry.target, this.policy.sendTimeoutMs);
        }),
      );
    } catch (error) {
      // With the lease lost, the entry is another instance's now: it records the outcome, not this one.
      if (!(await lease.release())) await this.failed(key, entry, etag, error);
      return;
    }
    await lease.release();
    if (deliverer.courier) await this.emptied(key, entry, etag, deliverer);
    else await this.delivered(key, entry, etag);
  }

  /**
   * A courier sent its party everything it found. A turn may have queued a message after the courier last
   * looked, and found this entry still there (so wrote nothing): hence the look after the entry is gone.
   */
  private async emptied(key: string, entry: OutboxEntry, etag: string, courier: Deliverer): Promise<void> {
    this.dueAt.delete(key);
    try {
      await this.store.delete(key, etag);
    } catch (error) {
      // Still there: another instance took it over meanwhile, or the next pass here looks again.
      this.log.warn({ err: error, escalation: entry.record.id, target: entry.target }, 'case messages sent, but could not clear the courier entry');
      return;
    }
    this.log.info({ escalation: entry.record.id, target: entry.target, attempts: entry.attempts + 1 }, 'case messages sent');
    // A look that fails counts as more: waking an empty courier costs one read, missing a message strands it.
    if (await courier.hasMore!(entry).catch(() => true)) await this.wake(entry.record, entry.target);
    this.kick(); // the slot is free
  }

  /** The turn that wrote it never kept the escalation: nobody was told of it, so it is not sent. */
  private async dropUnkept(key: string, entry: OutboxEntry, etag: string): Promise<void> {
    try {
      await this.store.delete(key, etag);
    } catch (error) {
      if (error instanceof EtagConflictError) return; // renewed by a retry of that turn meanwhile
      throw error;
    }
    // The turn may have kept it just now, after all: then it goes out after all.
    if (await this.confirmed(entry.awaiting!, entry.record.id)) {
      await this.add(key, entry);
      return;
    }
    this.log.warn({ escalation: entry.record.id, target: entry.target }, 'escalation dropped: the turn that wrote it never kept it, and nobody was told of it');
  }

  /** Rewrites the entry while a send is under way; a holder that dies stops, and the entry is taken over. */
  private holdLease(key: string, entry: OutboxEntry, current: () => string, renewed: (etag: string) => void, onLost: () => void) {
    let renewing: Promise<void> = Promise.resolve();
    let lost = false;
    let renewals = 0;
    const timer = setInterval(() => {
      renewing = renewing.then(async () => {
        if (lost) return;
        try {
          renewed(await this.store.write<OutboxEntry>(key, { ...entry, leasedBy: this.instance, renewals: ++renewals }, current()));
        } catch (error) {
          lost = true;
          onLost();
          this.log.warn({ err: error, escalation: entry.record.id, target: entry.target }, 'lost the lease on an escalation being sent');
        }
      });
    }, this.policy.leaseMs / 3);
    timer.unref();
    return {
      /** Stops renewing; says whether the lease was lost meanwhile. */
      release: async () => {
        clearInterval(timer);
        await renewing;
        return lost;
      },
    };
  }

  private async delivered(key: string, entry: OutboxEntry, etag: string): Promise<void> {
    if (entry.target !== ADMIN_TARGET && entry.replyTo) await this.tellAdmin(entry, { kind: 'accepted', target: entry.target });
    const record: DeliveryRecord = { id: entry.record.id, target: entry.target, attempts: entry.attempts + 1, enqueuedAt: entry.enqueuedAt, deliveredAt: this.clock() };
    await this.store.write(deliveredKey(key), record, null).catch((error: unknown) => {
      if (!(error instanceof EtagConflictError)) throw error;
    });
    await this.store.delete(key, etag).catch((error: unknown) => {
      // Still there: the next pass sends it again, which the target de-duplicates by the escalation id.
      this.log.warn({ err: error, escalation: entry.record.id, target: entry.target }, 'delivered, but could not clear the outbox entry');
    });
    this.dueAt.delete(key);
    this.log.info({ escalation: entry.record.id, target: entry.target, attempts: entry.attempts + 1, notice: entry.notice?.kind }, 'escalation delivered');
    this.kick(); // the slot is free, and the admin's notice is waiting
  }

  private async failed(key: string, entry: OutboxEntry, etag: string, error: unknown): Promise<void> {
    const now = this.clock();
    const attempts = entry.attempts + 1;
    const lastError = error instanceof Error ? error.message : String(error);
    const failingSince = entry.failingSince ?? now;
    // A courier's messages are the case itself, not news of its delivery: they are never late news, nor given up.
    const courier = this.deliverers.get(entry.target)?.courier === true;
    const overdue = !entry.alerted && entry.target !== ADMIN_TARGET && now - failingSince >= this.policy.lateAfterMs;
    const late = overdue && !courier;
    const retried: OutboxEntry = { ...entry, attempts, due: now + this.backoff(attempts), lastError, failingSince, alerted: entry.alerted || overdue, leasedBy: undefined, renewals: undefined };
    this.dueAt.set(key, retried.due);
    await this.store.write(key, retried, etag).catch(() => undefined);
    const details = { escalation: entry.record.id, target: entry.target, attempts, reason: lastError, failingForMs: now - failingSince };
    if (entry.target === ADMIN_TARGET && attempts >= ADMIN_NOTICE_ATTEMPTS) {
      // Only a courtesy to the admin (the case itself is delivered or still queued): not worth keeping forever.
      await this.store.delete(key).catch(() => undefined);
      this.log.warn(details, 'gave up telling the admin about a delivery');
      return;
    }
    if (overdue && courier) {
      // The admin may be the one who cannot be reached: the operator hears of it, once per entry.
      this.log.error(details, 'case messages have not reached their party for longer than OUTBOX_LATE_AFTER_MS; the bot keeps trying');
      return;
    }
    if (late) {
      this.log.error(details, 'escalation has not reached its target for longer than OUTBOX_LATE_AFTER_MS; the admin is told, and the bot keeps trying');
      if (entry.replyTo) await this.tellAdmin(entry, { kind: 'late', target: entry.target, minutes: Math.round((now - failingSince) / 60_000) });
    } else {
      this.log[attempts >= 5 && !courier ? 'error' : 'warn'](details, courier ? 'case messages not delivered yet; will retry' : 'escalation not delivered yet; will retry');
    }
  }

  /** The admin's message goes through the outbox too, so that it survives a restart like the case. */
  private async tellAdmin(entry: OutboxEntry, notice: DeliveryNotice): Promise<void> {
    if (!this.deliverers.has(ADMIN_TARGET)) return;
    const now = this.clock();
    await this.add(keyOf(entry.record.id, `${ADMIN_TARGET}.${notice.kind}.${notice.target}`), {
      record: entry.record,
      target: ADMIN_TARGET,
      notice,
      ...(entry.replyTo ? { replyTo: entry.replyTo } : {}),
      enqueuedAt: now,
      attempts: 0,
      due: now,
    });
  }
}
