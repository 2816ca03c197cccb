// The case file: one document per escalation, kept after it is handed over, that holds the case's state
// (src/casework), where its card sits in the help-desk channel, and the messages still to be sent to each
// party. It is the commit point of every change to a case: a message exists once the file that lists it
// is written, and the outbox's couriers (./courier) send each party's messages from here, in order.
import { randomUUID } from 'node:crypto';
import { type CaseContext, type CaseEvent, type CaseSnapshot, type CaseStatus, CASE_VERSION } from '../casework/machine';
import type { CaseMessage, Recipient } from '../casework/messages';
import { caseStatus, newCase, restoreCase, step } from '../casework/step';
import type { Language } from '../i18n';
import { noteTaken } from '../insights/takenAt';
import { readOrSetAside } from '../storage/damaged';
import { EtagConflictError, type KeyValueStore, type Stored } from '../storage/store';
import type { HandoffRecord } from './handoff';
import type { ReplyAddress } from './outbox';

export type Queued = CaseMessage & { seq: number };

export interface CaseFile {
  version: number;
  id: string;
  record: HandoffRecord;
  /** The admin's conversation with the bot (its storage key), and where to reach them. */
  admin: { conversationKey: string; replyTo?: ReplyAddress; language: Language };
  status: CaseStatus;
  context: CaseContext;
  /** Goes up with every change; the help desk's buttons carry it so a click on an old card is recognised. */
  rev: number;
  /** Whether the case went to the help desk's Teams channel, so that the channel hears of every change. */
  inChannel: boolean;
  /**
   * Where the conversation keeps this case's facts for the help-desk lead's report (src/insights), which learn
   * here when the case was first taken. Absent on case files opened before the report counted it.
   */
  factsKey?: string;
  /** The case card in the help-desk channel, once posted: updated in place, and the root of the case's thread. */
  post?: { conversationId: string; activityId: string };
  /** Messages not yet delivered to every party, in the order they were made. */
  outgoing: Queued[];
  /** The last message delivered to each party. */
  sent: Record<Recipient, number>;
  nextSeq: number;
  /** The last few activity and event ids applied, so that a retried click or a replayed event changes nothing. */
  seen: string[];
  createdAt: string;
  updatedAt: string;
}

/** What a party of a case has still to be sent, first first, with the case file it was read from and its eTag. */
export interface Pending {
  file: CaseFile;
  etag: string;
  pending: Queued[];
}

function pendingIn({ value: file, etag }: Stored<CaseFile>, to: Recipient): Pending {
  return { file, etag, pending: file.outgoing.filter((m) => m.to === to && m.seq > file.sent[to]) };
}

/** The outbox target that posts the case card in the help desk's Teams channel. */
export const CHANNEL_TARGET = 'teamsChannel';

/** Where each party's courier waits in the outbox: `outbox/<id>/<target>`. */
export const COURIER_TARGETS: Record<Recipient, string> = { admin: 'caseAdmin', channel: 'caseChannel' };

const SEEN_KEPT = 64;
const MAX_TRIES = 8;

export function caseFileKey(id: string): string {
  return `escalation/${id}`;
}

/** Which case a help-desk thread belongs to, by the id of the case card at its root. */
function postIndexKey(activityId: string): string {
  return `escalation-post/${encodeURIComponent(activityId)}`;
}

export function snapshotOf(file: CaseFile): CaseSnapshot {
  return restoreCase(file.status, file.context);
}

/** Asks the outbox to look at a party's messages of a case (a no-op while it is already looking). */
export type Wake = (record: HandoffRecord, target: string) => Promise<void>;

export type Applied =
  | { outcome: 'applied'; file: CaseFile; messages: CaseMessage[] }
  /** The machine refused it: the case is not where the sender thought (taken by somebody else, already resolved). */
  | { outcome: 'refused'; file: CaseFile }
  /** This very click or event was applied before. */
  | { outcome: 'duplicate'; file: CaseFile }
  | { outcome: 'unknown' };

/** What a change to a case is: an event for the machine, and/or messages that move no state (a comment). */
export interface Change {
  event?: CaseEvent;
  say?: CaseMessage[];
  /** The click's activity id, or the ticketing system's event id. */
  seenId?: string;
  /** The button's case revision: a click on a card older than the case is refused rather than guessed at. */
  rev?: number;
}

/** Where the case room reports what the operator should hear of: one JSON line each. */
export interface CaseworkLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

const SILENT: CaseworkLog = { warn: () => undefined, error: () => undefined };

/** Changes to one case racing each other (two clicks, a courier marking a message sent) retry after a short random pause. */
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));

/**
 * A change with messages, marked before it is written: `escalation-dirty/<id>.<seq>.<token>`, where seq is the
 * first sequence number it queues. The sweep removes it once the case file shows the change and the couriers
 * have been woken again, so that a wake that never happened or was lost (the store failed, the bot died, a
 * courier finishing at that moment could not re-arm itself) costs at most a sweep's delay. The key says all the
 * sweep needs, so it reads no mark; the value says it again for the operator's eye, and marks written before
 * the key said it (`<id>.<token>`) are read.
 */
const DIRTY_PREFIX = 'escalation-dirty/';
interface DirtyMark {
  id: string;
  seq: number;
}

function markKey(mark: DirtyMark, token: string): string {
  return `${DIRTY_PREFIX}${mark.id}.${mark.seq}.${token}`;
}

function markIn(key: string): DirtyMark | undefined {
  const [id, seq, token] = key.slice(DIRTY_PREFIX.length).split('.');
  return id && token && /^\d+$/.test(seq ?? '') ? { id, seq: Number(seq) } : undefined;
}
/** How long a mark sits, by this instance's clock, before the sweep looks at its change. */
export const SWEEP_AFTER_MS = 30_000;
/** A mark whose change never reached the case file by then was of a change that failed: it is dropped. */
const ABANDONED_AFTER_MS = 10 * 60_000;

const sameCase = (a: CaseSnapshot, b: CaseSnapshot) => a.value === b.value && JSON.stringify(a.context) === JSON.stringify(b.context);

export class Casework {
  /** When this instance first saw each dirty mark, by its own clock. */
  private readonly marksSeen = new Map<string, number>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly wake: Wake,
    private readonly log: CaseworkLog = SILENT,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Opens the case file of a confirmed escalation; a second confirmation of the same one keeps the first, but
   * for where the case's facts are: a turn replayed after losing a race may have kept its case under another id.
   */
  async open(record: HandoffRecord, admin: CaseFile['admin'], inChannel: boolean, factsKey?: string): Promise<void> {
    const now = this.clock().toISOString();
    const snapshot = newCase();
    const file: CaseFile = {
      version: CASE_VERSION,
      id: record.id,
      record,
      admin,
      status: caseStatus(snapshot),
      context: snapshot.context,
      rev: 0,
      inChannel,
      ...(factsKey ? { factsKey } : {}),
      outgoing: [],
      sent: { admin: 0, channel: 0 },
      nextSeq: 1,
      seen: [],
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.store.write(caseFileKey(record.id), file, null);
    } catch (error) {
      if (!(error instanceof EtagConflictError)) throw error;
      await this.commit(record.id, async (kept) => (!factsKey || kept.factsKey === factsKey ? undefined : { ...kept, factsKey }));
    }
  }

  async read(id: string): Promise<Stored<CaseFile> | undefined> {
    const key = caseFileKey(id);
    return (await readOrSetAside<CaseFile>(this.store, key, this.clock(), () => this.log.error({ key }, 'a case file is damaged; kept aside under damaged/ for the operator'))).stored;
  }

  /**
   * Applies a change and queues what each party must hear, in one conditional write of the file. The revision
   * goes up only when the case itself changes (a comment moves no button), and a change that changes nothing
   * and says nothing writes nothing. Before the write a dirty mark is left, so that if the couriers are never
   * woken after it (the process dies, the store fails), the sweep wakes them.
   */
  async apply(id: string, change: Change): Promise<Applied> {
    let token: string | undefined;
    const marks = new Set<string>();
    let firstTaken = false;
    let result: Applied = { outcome: 'unknown' };
    await this.commit(id, async (file) => {
      if (change.seenId && file.seen.includes(change.seenId)) return void (result = { outcome: 'duplicate', file });
      if (change.rev !== undefined && change.rev !== file.rev) return void (result = { outcome: 'refused', file });
      const before = snapshotOf(file);
      let snapshot = before;
      const messages: CaseMessage[] = [];
      if (change.event) {
        const moved = step(snapshot, change.event, file.record.requester);
        if (!moved.accepted) return void (result = { outcome: 'refused', file });
        snapshot = moved.snapshot;
        messages.push(...moved.messages);
      }
      messages.push(...(change.say ?? []));
      const changed = !sameCase(before, snapshot);
      if (!changed && messages.length === 0) return void (result = { outcome: 'applied', file, messages });
      const queued = this.queue(file, messages);
      const next: CaseFile = {
        ...file,
        status: caseStatus(snapshot),
        context: snapshot.context,
        rev: changed ? file.rev + 1 : file.rev,
        outgoing: [...file.outgoing, ...queued],
        nextSeq: file.nextSeq + queued.length,
        seen: change.seenId ? [...file.seen, change.seenId].slice(-SEEN_KEPT) : file.seen,
        updatedAt: this.clock().toISOString(),
      };
      if (queued.length > 0) {
        // An attempt that queues from another number marks it anew: the sweep must not take an earlier attempt's
        // number for this change's.
        const mark: DirtyMark = { id, seq: file.nextSeq };
        const key = markKey(mark, (token ??= randomUUID()));
        if (!marks.has(key)) await this.store.write<DirtyMark>(key, mark);
        marks.add(key);
      }
      result = { outcome: 'applied', file: next, messages };
      firstTaken = !file.context.firstTakenAt && next.context.firstTakenAt !== undefined;
      return next;
    });
    const done = result as Applied;
    // The help-desk lead's report counts how long escalations waited: the first take is noted once, after the fact.
    if (done.outcome === 'applied' && firstTaken) await this.noteTaken(done.file, done.file.context.firstTakenAt!);
    if (marks.size > 0) {
      // Committed, or after a race not needed at all: whatever fails now is the sweep's to finish, never the
      // clicker's error. The marks of a committed change stay for the sweep to look at once more.
      try {
        if (done.outcome === 'applied') await this.wakeFor(done.file, done.file.outgoing);
        else for (const key of marks) await this.store.delete(key);
      } catch (error) {
        this.log.warn({ err: error, escalation: id }, 'a case change is kept, but its messages wait for the sweep');
      }
    }
    return done;
  }

  /**
   * Looks again at every change whose mark has sat for SWEEP_AFTER_MS: once the case file shows it, its
   * couriers are woken (a no-op when they are at work) and the mark goes. Marks are few: changes of the last
   * half minute, and any whose news was lost. A case's marks are looked at together, against one reading of
   * its file.
   */
  async sweep(): Promise<void> {
    const now = this.clock().getTime();
    const keys = await this.store.keys(DIRTY_PREFIX);
    const present = new Set(keys);
    for (const key of this.marksSeen.keys()) if (!present.has(key)) this.marksSeen.delete(key);
    const due = new Map<string, Array<{ key: string; seq: number; since: number }>>();
    for (const key of keys) {
      const since = this.marksSeen.get(key) ?? now;
      this.marksSeen.set(key, since);
      if (now - since < SWEEP_AFTER_MS) continue;
      const mark = markIn(key) ?? (await readOrSetAside<DirtyMark>(this.store, key, this.clock(), () => undefined)).stored?.value;
      if (!mark) await this.dropMark(key); // gone, or damaged and set aside
      else due.set(mark.id, [...(due.get(mark.id) ?? []), { key, seq: mark.seq, since }]);
    }
    for (const [id, marks] of due) {
      const file = (await this.read(id))?.value;
      const landed = (seq: number) => file !== undefined && file.nextSeq > seq;
      // Still being written (a slow store, a long pause): left for a later sweep, unless it plainly never will be.
      const settled = marks.filter(({ seq, since }) => !file || landed(seq) || now - since >= ABANDONED_AFTER_MS);
      if (file && settled.some(({ seq }) => landed(seq))) await this.wakeFor(file, file.outgoing);
      for (const { key } of settled) await this.dropMark(key);
    }
  }

  private async dropMark(key: string): Promise<void> {
    await this.store.delete(key).catch(() => undefined);
    this.marksSeen.delete(key);
  }

  /** Records where the case card landed in the channel, so that later changes update it and reply under it. */
  async recordPost(id: string, post: NonNullable<CaseFile['post']>): Promise<void> {
    // The index first: a thread reply that arrives as soon as the card shows must find its case.
    await this.store.write(postIndexKey(post.activityId), { id });
    let recorded: CaseFile | undefined;
    await this.commit(id, async (file) => {
      recorded = file.post ? undefined : { ...file, post };
      return recorded;
    });
    if (recorded) await this.wakeFor(recorded, recorded.outgoing);
  }

  /** The case whose card is the root of a help-desk thread. */
  async caseOfThread(rootActivityId: string): Promise<string | undefined> {
    const key = postIndexKey(rootActivityId);
    return (await readOrSetAside<{ id: string }>(this.store, key, this.clock(), () => this.log.error({ key }, 'a help-desk thread index is damaged; kept aside under damaged/'))).stored?.value.id;
  }

  /** The messages a party has not been sent yet, first first. */
  async pendingFor(id: string, to: Recipient): Promise<Pending | undefined> {
    const stored = await this.read(id);
    return stored && pendingIn(stored, to);
  }

  /**
   * Marks a party's message delivered, and forgets messages every party has had. Answers what the party still
   * has to be sent as the mark left the case file, so the courier goes on without reading it again. The mark is
   * first written against the file the courier last had (`from`), which is still the file unless a change came
   * between: then the write finds another eTag, and the file is read afresh.
   */
  async markSent(id: string, to: Recipient, seq: number, from?: Pending): Promise<Pending | undefined> {
    const stored = await this.commit(
      id,
      async (file) => {
        if (file.sent[to] >= seq) return undefined;
        const sent = { ...file.sent, [to]: seq };
        return { ...file, sent, outgoing: file.outgoing.filter((m) => m.seq > sent[m.to]) };
      },
      from && { value: from.file, etag: from.etag },
    );
    return stored && pendingIn(stored, to);
  }

  /**
   * Tells the case's facts when the help desk first took it. The take stands whatever becomes of this: a report
   * that cannot say how long one case waited is not worth failing the help desk's click.
   */
  private async noteTaken(file: CaseFile, takenAt: string): Promise<void> {
    const { factsKey: key } = file;
    if (!key) return;
    try {
      const noted = await noteTaken(this.store, key, takenAt);
      if (noted === 'missing' || noted === 'damaged') {
        this.log.warn({ escalation: file.id, key, facts: noted }, "the case's facts are missing or damaged, left as they are; the report will not count how long this escalation waited");
      }
    } catch (error) {
      this.log.error({ err: error, escalation: file.id, key }, "could not note in the case's facts when it was taken; the take stands");
    }
  }

  private queue(file: CaseFile, messages: CaseMessage[]): Queued[] {
    // The channel hears of nothing of a case that never went there.
    const wanted = messages.filter((m) => m.to === 'admin' || file.inChannel);
    return wanted.map((message, i) => ({ ...message, seq: file.nextSeq + i }));
  }

  private async wakeFor(file: CaseFile, queued: Queued[]): Promise<void> {
    const recipients = new Set(queued.map((m) => m.to));
    for (const to of recipients) await this.wake(file.record, COURIER_TARGETS[to]);
  }

  /**
   * Reads the file (or starts from `known`, a copy read earlier), lets `decide` say what it becomes (nothing:
   * leave it), and writes that against the eTag read. Answers the file as it stands after the change (written,
   * or found not to need it) with its eTag; undefined when it is gone.
   */
  private async commit(id: string, decide: (file: CaseFile) => Promise<CaseFile | undefined>, known?: Stored<CaseFile>): Promise<Stored<CaseFile> | undefined> {
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      const stored = attempt === 1 && known ? known : await this.read(id);
      if (!stored) return undefined;
      const next = await decide(stored.value);
      if (!next) return stored;
      try {
        return { value: next, etag: await this.store.write(caseFileKey(id), next, stored.etag) };
      } catch (error) {
        if (!(error instanceof EtagConflictError)) throw error;
      }
      // A copy known to be stale is read again at once; a race with another writer waits a little first.
      if (!(attempt === 1 && known)) await pause(attempt);
    }
    throw new EtagConflictError(caseFileKey(id));
  }
}
