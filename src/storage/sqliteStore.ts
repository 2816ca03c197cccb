// The embedded default: one SQLite file, through Node's own `node:sqlite`, so a single bot process keeps
// its conversations across restarts with no cloud account and no native module to compile. The statements
// run on a thread of their own (sqliteThread.ts).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { type Mode, type Schema, SqliteThread } from './sqliteThread';
import { EtagConflictError, type KeyValueStore, type Stored, StorageUnavailableError, parseDocument } from './store';

interface Row {
  value: Uint8Array;
  etag: number;
}

// A key's eTags must never repeat, not even once the key was deleted and written again: whoever still holds
// the eTag of the deleted document (an instance setting a damaged one aside) would otherwise delete or
// overwrite the new one. So a new document starts at a random eTag below 2^52, not at 1: a repeat has odds
// of 2^-52, and 2^52 updates still fit in JavaScript's exact integers.
const FIRST_ETAG = '(random() & 4503599627370495) + 1';

const STATEMENTS = {
  // The stored bytes, not text: node:sqlite would replace bytes that are not UTF-8 before we could keep them.
  select: 'SELECT CAST(value AS BLOB) AS value, etag FROM documents WHERE key = ?',
  insert: `INSERT INTO documents (key, value, etag) VALUES (?, ?, ${FIRST_ETAG}) ON CONFLICT (key) DO NOTHING RETURNING etag`,
  update: 'UPDATE documents SET value = ?, etag = etag + 1 WHERE key = ? AND etag = ? RETURNING etag',
  upsert: `INSERT INTO documents (key, value, etag) VALUES (?, ?, ${FIRST_ETAG}) ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = etag + 1 RETURNING etag`,
  delete: 'DELETE FROM documents WHERE key = ?',
  deleteAt: 'DELETE FROM documents WHERE key = ? AND etag = ?',
  // A range on the primary key rather than LIKE: prefixes may hold % or _, and the index is used.
  keysFrom: 'SELECT key FROM documents WHERE key >= ? AND key < ? ORDER BY key',
};
type Statement = keyof typeof STATEMENTS;

// WAL keeps readers off the writer's back; NORMAL sync is durable across a process crash.
const WRITABLE: Schema<Statement> = {
  setup:
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; ' +
    'CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, value TEXT NOT NULL, etag INTEGER NOT NULL)',
  statements: STATEMENTS,
};
const READ_ONLY: Schema<Statement> = { setup: 'PRAGMA busy_timeout = 5000;', statements: STATEMENTS };

/**
 * Opens the file here, once, so that a store that cannot be used is refused when it is made (a path that
 * cannot be written, a file that is not the bot's store) rather than at the first turn.
 */
function check(file: string, readOnly: boolean, schema: Schema<Statement>): void {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file, { readOnly });
    db.exec(schema.setup);
    for (const sql of Object.values(schema.statements)) db.prepare(sql);
  } catch (cause) {
    throw new StorageUnavailableError(`open the SQLite file ${file}`, { cause });
  } finally {
    db?.close();
  }
}

export class SqliteStore implements KeyValueStore {
  private readonly thread: SqliteThread<Statement>;

  /**
   * `file` is a path, or `:memory:` for a store that lives as long as the store. `readOnly` opens an existing
   * store and changes nothing in the file (the report export): a file that is not the bot's store is refused.
   */
  constructor(file: string, options: { readOnly?: boolean } = {}) {
    const readOnly = options.readOnly ?? false;
    if (file !== ':memory:' && !readOnly) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const schema = readOnly ? READ_ONLY : WRITABLE;
    if (file !== ':memory:') check(file, readOnly, schema);
    this.thread = new SqliteThread({ file, readOnly, schema });
  }

  async read<T>(key: string): Promise<Stored<T> | undefined> {
    const row = (await this.run('read', 'select', 'get', [key])) as Row | undefined;
    return row && parseDocument(key, Buffer.from(row.value.buffer, row.value.byteOffset, row.value.byteLength), String(row.etag));
  }

  async write<T>(key: string, value: T, expectedEtag?: string | null): Promise<string> {
    const json = JSON.stringify(value);
    // RETURNING gives the new eTag from the same statement, so no other writer can slip in between. It is
    // read with all(), never get(): get() stops at the first row and the commit that follows it can then fail
    // (SQLITE_FULL) without a word, while all() runs the statement to its end and throws what the commit said.
    const [statement, args]: [Statement, Array<string | number>] =
      expectedEtag === undefined ? ['upsert', [key, json]] : expectedEtag === null ? ['insert', [key, json]] : ['update', [json, key, Number(expectedEtag)]];
    const [written] = (await this.run('write', statement, 'all', args)) as Array<Pick<Row, 'etag'>>;
    if (!written) throw new EtagConflictError(key);
    return String(written.etag);
  }

  async delete(key: string, expectedEtag?: string): Promise<void> {
    if (expectedEtag === undefined) {
      await this.run('delete', 'delete', 'run', [key]);
      return;
    }
    const { changes } = (await this.run('delete', 'deleteAt', 'run', [key, Number(expectedEtag)])) as { changes: number | bigint };
    if (Number(changes) === 0) throw new EtagConflictError(key);
  }

  async keys(prefix: string): Promise<string[]> {
    const rows = (await this.run('list', 'keysFrom', 'all', [prefix, `${prefix}\uffff`])) as Array<{ key: string }>;
    return rows.map((row) => row.key);
  }

  close(): Promise<void> {
    return this.thread.close();
  }

  private async run(what: string, statement: Statement, mode: Mode, args: Array<string | number>): Promise<unknown> {
    try {
      return await this.thread.call(statement, mode, args);
    } catch (cause) {
      throw new StorageUnavailableError(what, { cause });
    }
  }
}
