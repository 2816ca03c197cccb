// What the conversation and the outbox rely on, checked against every store the bot can run on:
// the embedded SQLite file and Azure Blob Storage (in Azurite, started here).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobStore } from '../../src/storage/blobStore';
import { DAMAGED_PREFIX, type DamagedDocument, setAside } from '../../src/storage/damaged';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { DamagedValueError, EtagConflictError, type KeyValueStore } from '../../src/storage/store';
import { type Azurite, startAzurite } from '../support/azurite';
import { damageBlob, damageSqliteRow } from '../support/damage';

let azurite: Azurite;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'contract-'));
  azurite = await startAzurite();
}, 90_000);
afterAll(async () => {
  await azurite.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** One store's data, which several bot instances may open at once, and can damage behind their back. */
interface Backend {
  open(): KeyValueStore;
  /** Replaces the stored bytes of `key` as a hand edit or a failing disk would, and returns the eTag they have. */
  damage(key: string, raw: Buffer): Promise<string>;
}

function sqlite(): Backend {
  const file = path.join(dir, `${randomUUID()}.sqlite`);
  return {
    open: () => new SqliteStore(file),
    damage: async (key, raw) => damageSqliteRow(file, key, raw),
  };
}

function blob(): Backend {
  const container = `t-${randomUUID().slice(0, 8)}`;
  return {
    open: () => new BlobStore({ connectionString: azurite.connectionString }, container),
    damage: (key, raw) => damageBlob(azurite.connectionString, container, key, raw),
  };
}

const KEY = 'conversation/msteams/a:1';
/** A conversation cut off inside the last character of its note, as a torn write leaves it. */
const TORN = Buffer.from('{"step":"mailbox","note":"証明書の更新後"}', 'utf8').subarray(0, -4);
const NOW = new Date('2026-03-02T09:30:00Z');

async function damagedRead(store: KeyValueStore, key: string): Promise<DamagedValueError> {
  const error = await store.read(key).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DamagedValueError)) throw new Error(`reading "${key}" did not report a damaged document: ${String(error)}`);
  return error;
}

async function keptAside(store: KeyValueStore, damaged: DamagedValueError): Promise<DamagedDocument | undefined> {
  return (await store.read<DamagedDocument>(`${DAMAGED_PREFIX}${damaged.key}@${damaged.etag}`))?.value;
}

describe.each([
  ['SQLite', sqlite],
  ['Azure Blob Storage', blob],
])('the %s store', (_name, backendOf) => {
  let backend: Backend;
  let opened: KeyValueStore[];
  let store: KeyValueStore;
  const open = () => {
    const another = backend.open();
    opened.push(another);
    return another;
  };
  beforeEach(() => {
    backend = backendOf();
    opened = [];
    store = open();
  });
  afterEach(async () => {
    await Promise.all(opened.map((s) => s.close()));
  });

  it('reads back what it wrote, Japanese included, and nothing for a missing key', async () => {
    await store.write('conversation/msteams/a:1', { step: 'mailbox', note: '証明書の更新後' });
    expect((await store.read('conversation/msteams/a:1'))?.value).toEqual({ step: 'mailbox', note: '証明書の更新後' });
    expect(await store.read('conversation/msteams/missing')).toBeUndefined();
  });

  it('refuses a write based on a stale read and a create over an existing document', async () => {
    const created = await store.write('k', { n: 1 }, null);
    const updated = await store.write('k', { n: 2 }, created);
    await expect(store.write('k', { n: 3 }, created)).rejects.toBeInstanceOf(EtagConflictError);
    await expect(store.write('k', { n: 3 }, null)).rejects.toBeInstanceOf(EtagConflictError);
    expect(await store.read('k')).toEqual({ value: { n: 2 }, etag: updated });
  });

  it('lists keys by prefix and forgets deleted ones', async () => {
    for (const key of ['outbox/ESC-2/webhook', 'outbox/ESC-1/teamsChannel', 'outboxed', 'conversation/x']) await store.write(key, { k: key });
    expect(await store.keys('outbox/')).toEqual(['outbox/ESC-1/teamsChannel', 'outbox/ESC-2/webhook']);
    await store.delete('outbox/ESC-1/teamsChannel');
    await store.delete('never-there');
    expect(await store.keys('outbox/')).toEqual(['outbox/ESC-2/webhook']);
  });

  it('deletes on an eTag only while it is the current one', async () => {
    const first = await store.write('outbox/ESC-1/webhook', { attempts: 0 }, null);
    const second = await store.write('outbox/ESC-1/webhook', { attempts: 1 }, first);
    await expect(store.delete('outbox/ESC-1/webhook', first)).rejects.toBeInstanceOf(EtagConflictError);
    expect(await store.read('outbox/ESC-1/webhook')).toEqual({ value: { attempts: 1 }, etag: second });
    await store.delete('outbox/ESC-1/webhook', second);
    expect(await store.read('outbox/ESC-1/webhook')).toBeUndefined();
    await expect(store.delete('outbox/ESC-1/webhook', second)).rejects.toBeInstanceOf(EtagConflictError);
  });

  it('reports a damaged document with exactly its stored bytes and their eTag', async () => {
    await store.write(KEY, { step: 'mailbox' }, null);
    const etag = await backend.damage(KEY, TORN);
    const damaged = await damagedRead(store, KEY);
    expect(damaged).toMatchObject({ key: KEY, etag });
    expect(damaged.raw.toString('hex')).toBe(TORN.toString('hex'));
  });

  it('reports bytes that are not UTF-8 as damaged, even where they would parse', async () => {
    await store.write(KEY, { step: 'mailbox', note: '' }, null);
    const garbled = Buffer.concat([Buffer.from('{"step":"mailbox","note":"'), Buffer.from([0xe8, 0xa8]), Buffer.from('"}')]);
    await backend.damage(KEY, garbled);
    expect((await damagedRead(store, KEY)).raw.toString('hex')).toBe(garbled.toString('hex'));
  });

  it('sets a damaged document aside byte for byte and frees its key', async () => {
    await store.write(KEY, { step: 'mailbox' }, null);
    await backend.damage(KEY, TORN);
    const damaged = await damagedRead(store, KEY);

    expect(await setAside(store, damaged, NOW)).toBe(true);
    const kept = await keptAside(store, damaged);
    expect(kept).toMatchObject({ key: KEY, etag: damaged.etag, foundAt: NOW.toISOString(), size: TORN.length });
    expect(Buffer.from(kept!.base64, 'base64').toString('hex')).toBe(TORN.toString('hex'));
    expect(await store.keys(DAMAGED_PREFIX)).toEqual([`${DAMAGED_PREFIX}${KEY}@${damaged.etag}`]);
    expect(await store.read(KEY)).toBeUndefined();
    await store.write(KEY, { step: 'gathering' }, null);
  });

  it('sets it aside once when two instances find it at the same time', async () => {
    await store.write(KEY, { step: 'mailbox' }, null);
    await backend.damage(KEY, TORN);
    const [one, two] = [open(), open()];
    const [foundByOne, foundByTwo] = await Promise.all([damagedRead(one, KEY), damagedRead(two, KEY)]);

    const first = await Promise.all([setAside(one, foundByOne, NOW), setAside(two, foundByTwo, NOW)]);
    expect(first.sort()).toEqual([false, true]);
    expect(await store.keys(DAMAGED_PREFIX)).toHaveLength(1);
    expect(await store.read(KEY)).toBeUndefined();
  });

  it('keeps a document rewritten since the damage was found, and the damaged bytes aside', async () => {
    await store.write(KEY, { step: 'mailbox' }, null);
    await backend.damage(KEY, TORN);
    const damaged = await damagedRead(store, KEY);
    const rewritten = await open().write(KEY, { step: 'gathering' });

    await setAside(store, damaged, NOW);
    expect(await store.read(KEY)).toEqual({ value: { step: 'gathering' }, etag: rewritten });
    expect(Buffer.from((await keptAside(store, damaged))!.base64, 'base64').toString('hex')).toBe(TORN.toString('hex'));
  });

  it('keeps a document created afresh after another instance set the damaged one aside', async () => {
    await store.write(KEY, { step: 'mailbox' }, null);
    await backend.damage(KEY, TORN);
    const [one, two] = [open(), open()];
    const [foundByOne, foundByTwo] = await Promise.all([damagedRead(one, KEY), damagedRead(two, KEY)]);
    await setAside(one, foundByOne, NOW);
    // The admin's next turn starts the conversation again, before the slower instance gets to it.
    const fresh = await one.write(KEY, { step: 'gathering' }, null);

    expect(await setAside(two, foundByTwo, NOW)).toBe(false);
    expect(await store.read(KEY)).toEqual({ value: { step: 'gathering' }, etag: fresh });
  });
});
