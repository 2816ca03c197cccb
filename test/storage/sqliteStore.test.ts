import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { StorageUnavailableError } from '../../src/storage/store';
import { buildBot } from '../support/process';

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

  it('lists keys by prefix, including prefixes with LIKE wildcards', async () => {
    const store = new SqliteStore(':memory:');
    for (const key of ['outbox/b', 'outbox/a', 'outboxed', 'conversation/x', 'out%/z']) await store.write(key, 1);
    expect(await store.keys('outbox/')).toEqual(['outbox/a', 'outbox/b']);
    expect(await store.keys('out%/')).toEqual(['out%/z']);
    await store.close();
  });

  it('fails a write whose thread could not open the file, and writes again once the file can be opened', async () => {
    const folder = path.join(dir, 'volume');
    const file = path.join(folder, 'state.sqlite');
    const store = new SqliteStore(file);
    // The volume goes away after the start, before the first turn: the store's thread cannot open the file.
    rmSync(folder, { recursive: true });
    await expect(store.write('conversation/a', { step: 'mailbox' })).rejects.toThrow(StorageUnavailableError);
    mkdirSync(folder);
    await store.write('conversation/a', { step: 'mailbox' });
    expect((await store.read('conversation/a'))?.value).toEqual({ step: 'mailbox' });
    await store.close();
  });

  it('reports a store it cannot use with what to check', async () => {
    const store = new SqliteStore(':memory:');
    await store.close();
    await expect(store.read('k')).rejects.toThrow(StorageUnavailableError);
    await expect(store.read('k')).rejects.toThrow(/reachable and writable/);
  });
});

describe('the embedded SQLite store in a script of its own', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'store-script-'));
    await buildBot();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('closes only after the writes in flight are answered, and the script goes on after close()', async () => {
    // Closing while writes are in flight: the script must not end before close() has ended (the report, a shutdown).
    const script = `
      const { SqliteStore } = require(${JSON.stringify(path.resolve(__dirname, '../../dist/storage/sqliteStore.js'))});
      const file = ${JSON.stringify(path.join(dir, 'state.sqlite'))};
      (async () => {
        const store = new SqliteStore(file);
        await store.write('warm', 1);
        const writes = Array.from({ length: 100 }, (_, i) => store.write('k' + i, { i }));
        await store.close();
        const written = (await Promise.allSettled(writes)).filter((w) => w.status === 'fulfilled').length;
        const reopened = new SqliteStore(file);
        const kept = (await reopened.keys('k')).length;
        await reopened.close();
        process.stdout.write(JSON.stringify({ written, kept }));
      })();`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script]);
    expect(JSON.parse(stdout)).toEqual({ written: 100, kept: 100 });
  });
});
