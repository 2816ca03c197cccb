// The embedded default: one SQLite file, through Node's own `node:sqlite`, so a single bot process keeps
// its conversations across restarts with no cloud account and no native module to compile.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
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

export class SqliteStore implements KeyValueStore {
  private readonly db: DatabaseSync;
  private readonly selectRow: StatementSync;
  private readonly insertRow: StatementSync;
  private readonly updateRow: StatementSync;
  private readonly upsertRow: StatementSync;
  private readonly deleteRow: StatementSync;
  private readonly deleteRowAt: StatementSync;
  private readonly keysFrom: StatementSync;

  /**
   * `file` is a path, or `:memory:` for a store that lives as long as the process. `readOnly` opens an existing
   * store and changes nothing in the file (the report export): a file that is not the bot's store is refused.
   */
  constructor(file: string, options: { readOnly?: boolean } = {}) {
    if (file !== ':memory:' && !options.readOnly) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    try {
      this.db = new DatabaseSync(file, { readOnly: options.readOnly ?? false });
      if (options.readOnly) this.db.exec('PRAGMA busy_timeout = 5000;');
      else {
        // WAL keeps readers off the writer's back; NORMAL sync is durable across a process crash.
        this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
        this.db.exec('CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, value TEXT NOT NULL, etag INTEGER NOT NULL)');
      }
    } catch (cause) {
      throw new StorageUnavailableError(`open the SQLite file ${file}`, { cause });
    }
    // The stored bytes, not text: node:sqlite would replace bytes that are not UTF-8 before we could keep them.
    this.selectRow = this.db.prepare('SELECT CAST(value AS BLOB) AS value, etag FROM documents WHERE key = ?');
    this.insertRow = this.db.prepare(`INSERT INTO documents (key, value, etag) VALUES (?, ?, ${FIRST_ETAG}) ON CONFLICT (key) DO NOTHING RETURNING etag`);
    this.updateRow = this.db.prepare('UPDATE documents SET value = ?, etag = etag + 1 WHERE key = ? AND etag = ? RETURNING etag');
    this.upsertRow = this.db.prepare(
      `INSERT INTO documents (key, value, etag) VALUES (?, ?, ${FIRST_ETAG}) ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = etag + 1 RETURNING etag`,
    );
    this.deleteRow = this.db.prepare('DELETE FROM documents WHERE key = ?');
    this.deleteRowAt = this.db.prepare('DELETE FROM documents WHERE key = ? AND etag = ?');
    // A range on the primary key rather than LIKE: prefixes may hold % or _, and the index is used.
    this.keysFrom = this.db.prepare('SELECT key FROM documents WHERE key >= ? AND key < ? ORDER BY key');
  }

  async read<T>(key: string): Promise<Stored<T> | undefined> {
    const row = this.run('read', () => this.selectRow.get(key) as Row | undefined);
    return row && parseDocument(key, Buffer.from(row.value.buffer, row.value.byteOffset, row.value.byteLength), String(row.etag));
  }

  async write<T>(key: string, value: T, expectedEtag?: string | null): Promise<string> {
    const json = JSON.stringify(value);
    // RETURNING gives the new eTag from the same statement, so no other writer can slip in between. It is
    // read with all(), never get(): get() stops at the first row and the commit that follows it can then fail
    // (SQLITE_FULL) without a word, while all() runs the statement to its end and throws what the commit said.
    const [written] = this.run('write', () => {
      if (expectedEtag === undefined) return this.upsertRow.all(key, json);
      if (expectedEtag === null) return this.insertRow.all(key, json);
      return this.updateRow.all(json, key, Number(expectedEtag));
    }) as Array<Pick<Row, 'etag'>>;
    if (!written) throw new EtagConflictError(key);
    return String(written.etag);
  }

  async delete(key: string, expectedEtag?: string): Promise<void> {
    if (expectedEtag === undefined) {
      this.run('delete', () => this.deleteRow.run(key));
      return;
    }
    const { changes } = this.run('delete', () => this.deleteRowAt.run(key, Number(expectedEtag)));
    if (Number(changes) === 0) throw new EtagConflictError(key);
  }

  async keys(prefix: string): Promise<string[]> {
    const rows = this.run('list', () => this.keysFrom.all(prefix, `${prefix}\uffff`) as Array<{ key: string }>);
    return rows.map((row) => row.key);
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }

  private run<R>(what: string, operation: () => R): R {
    try {
      return operation();
    } catch (cause) {
      throw new StorageUnavailableError(what, { cause });
    }
  }
}
