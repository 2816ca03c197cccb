import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { EtagConflictError, StorageUnavailableError } from '../../src/storage/store';

describe('the embedded SQLite store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps documents across a reopen of the file', async () => {
    const file = path.join(dir, 'nested', 'state.sqlite');
    const first = new SqliteStore(file);
    await first.write('conversation/a', { step: 'mailbox', note: '日本語もそのまま' });
    await first.close();
    const second = new SqliteStore(file);
    expect((await second.read('conversation/a'))?.value).toEqual({ step: 'mailbox', note: '日本語もそのまま' });
    await second.close();
  });

  it('refuses a write based on a stale read, so racing turns cannot lose a step', async () => {
    const store = new SqliteStore(':memory:');
    const created = await store.write('k', { n: 1 }, null);
    const updated = await store.write('k', { n: 2 }, created);
    await expect(store.write('k', { n: 3 }, created)).rejects.toBeInstanceOf(EtagConflictError);
    await expect(store.write('k', { n: 3 }, null)).rejects.toBeInstanceOf(EtagConflictError);
    expect(await store.read('k')).toEqual({ value: { n: 2 }, etag: updated });
    await store.close();
  });

  it('forgets deleted documents', async () => {
    const store = new SqliteStore(':memory:');
    await store.write('k', 1);
    await store.delete('k');
    expect(await store.read('k')).toBeUndefined();
    await store.close();
  });

  it('lists keys by prefix, including prefixes with LIKE wildcards', async () => {
    const store = new SqliteStore(':memory:');
    for (const key of ['outbox/b', 'outbox/a', 'outboxed', 'conversation/x', 'out%/z']) await store.write(key, 1);
    expect(await store.keys('outbox/')).toEqual(['outbox/a', 'outbox/b']);
    expect(await store.keys('out%/')).toEqual(['out%/z']);
    await store.close();
  });

  it('reports a store it cannot use with what to check', async () => {
    const store = new SqliteStore(':memory:');
    await store.close();
    await expect(store.read('k')).rejects.toThrow(StorageUnavailableError);
    await expect(store.read('k')).rejects.toThrow(/reachable and writable/);
  });
});
