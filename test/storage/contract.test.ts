// What the conversation and the outbox rely on, checked against every store the bot can run on:
// the embedded SQLite file and Azure Blob Storage (in Azurite, started here).
import { randomUUID } from 'node:crypto';
import { BlobStore } from '../../src/storage/blobStore';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { EtagConflictError, type KeyValueStore } from '../../src/storage/store';
import { type Azurite, startAzurite } from '../support/azurite';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 90_000);
afterAll(async () => {
  await azurite.stop();
});

const stores: Array<[string, () => KeyValueStore]> = [
  ['SQLite', () => new SqliteStore(':memory:')],
  ['Azure Blob Storage', () => new BlobStore(azurite.connectionString, `t-${randomUUID().slice(0, 8)}`)],
];

describe.each(stores)('the %s store', (_name, make) => {
  let store: KeyValueStore;
  beforeEach(() => {
    store = make();
  });
  afterEach(async () => {
    await store.close();
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
});
