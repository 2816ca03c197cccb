// The report reads the cases of its period from the bot's SQLite store: only those days, and a damaged document
// costs one uncounted case, not the report.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { progressIn } from '../../src/conversation/caseProgress';
import { readCases } from '../../src/insights/readCases';
import { summarize } from '../../src/insights/report';
import { renderReport } from '../../src/rendering/report';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { type KeyValueStore, StorageUnavailableError } from '../../src/storage/store';
import { texts } from '../support/cards';
import { DAMAGED, MONTH, damageSqlite, seedMonth } from './seedMonth';

let dir: string;
let file: string;
let store: SqliteStore;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'read-cases-'));
  file = path.join(dir, 'state.sqlite');
  store = new SqliteStore(file);
  await seedMonth(store, damageSqlite(file));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The store, noting every prefix listed and every key read. */
function watched(inner: KeyValueStore) {
  const listed: string[] = [];
  const read: string[] = [];
  return {
    listed,
    read,
    store: {
      ...storeOf(inner),
      keys: (prefix: string) => {
        listed.push(prefix);
        return inner.keys(prefix);
      },
      read: <T>(key: string) => {
        read.push(key);
        return inner.read<T>(key);
      },
    },
  };
}

/** The store's whole interface, each call passed on: a test replaces the calls it watches or breaks. */
function storeOf(inner: KeyValueStore): KeyValueStore {
  return {
    read: (key) => inner.read(key),
    write: (key, value, etag) => inner.write(key, value, etag),
    delete: (key, etag) => inner.delete(key, etag),
    keys: (prefix) => inner.keys(prefix),
    close: () => inner.close(),
  };
}

describe('reading the cases of a period', () => {
  it('reads every case of the month and no case outside it, listing only the month’s days', async () => {
    const watch = watched(store);
    const { cases, damaged } = await readCases(watch.store, MONTH.from, MONTH.to, progressIn(watch.store));
    // 5 + 3 + 2 + 1 + 4 + 1 + 2 cases in November; October 31st's 3 and December 1st's 2 stay out.
    expect(cases).toHaveLength(18);
    expect(damaged).toBe(2);
    expect(watch.listed).toHaveLength(30);
    expect(watch.listed[0]).toBe('cases/2026-11-01/');
    expect(watch.listed[29]).toBe('cases/2026-11-30/');
    expect(watch.read.filter((key) => !key.startsWith('cases/2026-11-'))).toEqual([]);
    expect(watch.read).toHaveLength(20);
  });

  it('reads one day alone as a period of one day', async () => {
    const { cases } = await readCases(store, '2026-11-10', '2026-11-10', progressIn(store));
    expect(cases.map((c) => c.protocol).sort()).toEqual(['imap4', 'imap4', 'imap4', 'pop3', 'pop3']);
  });

  it('skips damaged documents without writing to the store: they stay for the operator', async () => {
    const { damaged } = await readCases(store, '2026-11-12', '2026-11-13', progressIn(store));
    expect(damaged).toBe(2);
    expect(await store.keys('damaged/')).toEqual([]);
    for (const { key } of DAMAGED) expect(await store.keys(key)).toEqual([key]);
  });

  it('fails, rather than reporting too few cases, when the store cannot be read', async () => {
    const failing: KeyValueStore = {
      ...storeOf(store),
      read: async () => {
        throw new StorageUnavailableError('read');
      },
    };
    await expect(readCases(failing, MONTH.from, MONTH.to, progressIn(failing))).rejects.toBeInstanceOf(StorageUnavailableError);
  });
});

describe('the month read from the store, on the lead’s card', () => {
  // seedMonth's five November takes waited 5, 8, 12, 30 and 90 minutes; October's and December's quick ones stay out.
  it.each([
    ['en', 'Median wait before the help desk takes an escalation', '12 min'],
    ['ja', 'エスカレーションをヘルプデスクが引き受けるまでの待ち時間 (中央値)', '12 分'],
  ] as const)('shows the median wait for the help desk (%s)', async (language, label, wait) => {
    const { cases } = await readCases(store, MONTH.from, MONTH.to, progressIn(store));
    const shown = texts(renderReport(summarize(cases, MONTH.from, MONTH.to, new Date('2026-12-01T12:00:00Z')), language));
    expect(shown[shown.indexOf(label) + 1]).toBe(wait);
  });
});
