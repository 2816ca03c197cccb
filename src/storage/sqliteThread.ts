// node:sqlite only calls SQLite synchronously: on the main thread every read and commit stalls every turn
// in flight. Moved to a thread of its own, the bot serves more turns a second at less CPU per turn (bench/,
// README Benchmark); the main thread saves more than SQLite's own time, probably because SQLite's pages and
// code no longer crowd the turns' out of the CPU's caches. One thread holds the one connection and runs the
// statements in the order they were asked for, so each caller still sees its own writes, and a statement runs
// to its end before the next starts, as it did on the main thread.
import { Worker } from 'node:worker_threads';

/** SQL the thread runs once on opening, and the statements it prepares, by name. */
export interface Schema<Name extends string> {
  setup: string;
  statements: Record<Name, string>;
}

/** How a statement answers: its first row, every row, or the count of rows it changed. */
export type Mode = 'get' | 'all' | 'run';

interface Request {
  id: number;
  name: string;
  mode: Mode;
  args: Array<string | number>;
}

/** What SQLite said, as plain data: the thread boundary would keep an Error's message but drop its code. */
interface Failure {
  message: string;
  code?: string;
  errcode?: number;
  errstr?: string;
}

type Reply = { id: number; result: unknown } | { id: number; failure: Failure };

interface Opening {
  file: string;
  readOnly: boolean;
  schema: Schema<string>;
}

/**
 * The thread's whole program. It runs from its own source text (`eval`), so the same function serves from
 * dist/ and from the tests' on-the-fly compilation, with no second entry file to find: it may therefore use
 * nothing from this module's scope, only what it requires itself.
 */
function serveStatements(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
  const { file, readOnly, schema } = workerData as Opening;
  const db = new DatabaseSync(file, { readOnly });
  db.exec(schema.setup);
  const prepared = new Map(Object.entries(schema.statements).map(([name, sql]) => [name, db.prepare(sql)]));
  const answer = ({ id, name, mode, args }: Request): Reply => {
    try {
      return { id, result: prepared.get(name)![mode](...args) };
    } catch (error) {
      const { message, code, errcode, errstr } = error as Failure;
      return { id, failure: { message: String(message), code, errcode, errstr } };
    }
  };
  parentPort!.on('message', (batch: Request[] | 'close') => {
    if (batch === 'close') {
      db.close();
      parentPort!.close();
      return;
    }
    const replies = batch.map(answer);
    // A read's bytes move to the main thread instead of being copied there.
    const bytes = replies.flatMap((reply) => {
      const row = 'result' in reply ? (reply.result as { value?: unknown } | undefined) : undefined;
      return row?.value instanceof Uint8Array ? [row.value.buffer as ArrayBuffer] : [];
    });
    parentPort!.postMessage(replies, bytes);
  });
}

function failed(failure: Failure): Error {
  const { message, ...code } = failure;
  return Object.assign(new Error(message), code);
}

export class SqliteThread<Name extends string> {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  private queued: Request[] = [];
  private lastId = 0;
  private closing: Promise<void> | undefined;

  constructor(private readonly opening: Opening & { schema: Schema<Name> }) {}

  /** Runs the statement `name` with `args` on the thread; `get` answers its first row, `all` every row, `run` the change count. */
  call(name: Name, mode: Mode, args: Array<string | number>): Promise<unknown> {
    if (this.closing) return Promise.reject(new Error('the store was closed'));
    return new Promise((resolve, reject) => {
      const id = ++this.lastId;
      this.pending.set(id, { resolve, reject });
      // Whatever the turns in flight ask for before the event loop turns again goes over in one message.
      if (this.queued.length === 0) setImmediate(() => this.flush());
      this.queued.push({ id, name, mode, args });
    });
  }

  /** Runs what was already asked for, then closes the connection and ends the thread. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const worker = this.worker;
      if (!worker && this.queued.length === 0) return resolve();
      setImmediate(() => {
        this.flush();
        // A thread that stopped meanwhile has nothing left to close.
        const ending = this.worker;
        if (!ending) return resolve();
        ending.ref();
        ending.once('exit', () => resolve());
        ending.postMessage('close');
      });
    });
    return this.closing;
  }

  private flush(): void {
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;
    const worker = this.started();
    // The thread keeps the process alive only while it owes an answer: a script that forgets close() still ends.
    worker.ref();
    worker.postMessage(batch);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(`(${serveStatements.toString()})()`, { eval: true, workerData: this.opening });
    worker.on('message', (replies: Reply[]) => this.settle(replies));
    // A thread that failed (it could not open the file, or ran out of memory) fails what it owed; the next
    // statement starts a new one.
    worker.on('error', (error) => this.abandon(worker, error));
    worker.on('exit', (code) => this.abandon(worker, new Error(`the SQLite thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(replies: Reply[]): void {
    for (const reply of replies) {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('failure' in reply) waiting?.reject(failed(reply.failure));
      else waiting?.resolve(reply.result);
    }
    // Closing keeps the process alive until the thread has ended.
    if (this.pending.size === 0 && !this.closing) this.worker?.unref();
  }

  private abandon(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
