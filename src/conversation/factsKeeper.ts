// When a turn's case facts reach the store. They are counts for the help-desk lead, not the admin's answer, so
// the admin never waits for them: a case's progress through the steps is written within a second of the turn,
// and the steps of a case moving quickly (an admin clicking through, a click Teams retried) are written once,
// as the last of them left the case. Outcomes are not delayed: the turn that escalates or solves a case writes
// its facts before it answers, since the help desk's take of an escalated case adds to them (insights/takenAt).
// The price: a bot killed without a graceful stop loses up to a second of progress on the cases it was
// serving. The conversation already holds the counted fields of those facts, so such a case stays as last written
// (or unwritten, if its first turn was lost) until a turn changes something the report counts.
import type { Logger } from '../logging';
import type { KeyValueStore } from '../storage/store';
import { type CaseFacts, caseFactsKey } from '../insights/caseFacts';
import { forgetUnbegunCase, keepCaseFacts } from './caseKeeping';
import type { CaseRef } from './record';

/** How long a case's progress may wait to be written. */
const FACTS_DELAY_MS = 1000;
/** Cases waiting at once before they are written without waiting for the delay: bounds memory under load. */
const MAX_WAITING = 1000;
/** Writes at once while catching up: a Blob Storage account takes them in parallel, not all thousand at a time. */
const WRITERS = 16;

/** Lets `count` callers through at once; the others wait their turn in order. (p-limit is ESM only since v4.) */
class Gate {
  private free: number;
  private readonly queue: Array<() => void> = [];
  constructor(count: number) {
    this.free = count;
  }
  async through<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.queue.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

export class FactsKeeper {
  /** The facts alone, not the turn's whole flow state: thousands may wait at once under load. */
  private readonly waiting = new Map<string, CaseFacts>();
  /** Writes under way or queued, by key: a flush and a forgotten case wait for them, so nothing is missed or revived. */
  private readonly writing = new Map<string, Promise<void>>();
  private readonly writers = new Gate(WRITERS);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly log: Logger,
    private readonly delayMs = FACTS_DELAY_MS,
  ) {}

  /**
   * Keeps the facts of a turn's case: at once when the turn decided its outcome (the promise of that write), else
   * within the delay (nothing to wait for: a turn pays no promise for what it does not wait on).
   */
  keep(facts: CaseFacts | undefined): Promise<void> | undefined {
    if (!facts) return undefined;
    const key = caseFactsKey(facts.caseId, facts.startedAt);
    const earlier = this.waiting.get(key);
    // A turn replayed after a lost race may come after a newer one: the newer facts are the ones to keep.
    if (earlier && earlier.rev > facts.rev) return undefined;
    if (facts.outcome !== 'open') {
      this.waiting.delete(key);
      return this.write(key, facts);
    }
    this.waiting.set(key, facts);
    if (this.waiting.size >= MAX_WAITING) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.delayMs).unref();
    return undefined;
  }

  /**
   * A "start over": the case left behind is written as it ended, and then removed if it never got past the form.
   * Its waiting facts are written first, since only they may say it went further than the form.
   */
  forget(before: CaseRef | undefined, after: CaseRef | undefined): Promise<void> | undefined {
    if (!before || before.id === after?.id) return undefined;
    return this.forgetCase(before, after);
  }

  private async forgetCase(before: CaseRef, after: CaseRef | undefined): Promise<void> {
    const key = caseFactsKey(before.id, before.startedAt);
    const waiting = this.waiting.get(key);
    this.waiting.delete(key);
    await (waiting ? this.write(key, waiting) : this.writing.get(key));
    await forgetUnbegunCase(this.store, this.log, before, after);
  }

  /** Writes every case waiting now; resolves once they are written (or their failures logged). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const [key, facts] of this.waiting) void this.write(key, facts);
    this.waiting.clear();
    await Promise.all(this.writing.values());
  }

  private async write(key: string, facts: CaseFacts): Promise<void> {
    // Two writes of one case never overlap within this instance: the second starts from what the first wrote.
    const before = this.writing.get(key);
    const written = (async () => {
      await before;
      await this.writers.through(() => keepCaseFacts(this.store, this.log, facts));
    })();
    this.writing.set(key, written);
    try {
      await written;
    } finally {
      if (this.writing.get(key) === written) this.writing.delete(key);
    }
  }
}
