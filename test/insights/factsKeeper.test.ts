// The case facts waiting to be written, against the real SQLite store answering as slowly as a distant Blob
// Storage account: more cases wait than are written at once, and a stop, a report or a "start over" arrives while
// they are being written. None of them may miss a case, or bring back one that was removed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { transition } from 'xstate';
import { factsOfTurn } from '../../src/conversation/caseKeeping';
import { FactsKeeper } from '../../src/conversation/factsKeeper';
import { initialSnapshot, troubleshootingMachine } from '../../src/flow/machine';
import { type CaseFacts, CASE_FACTS_PREFIX, caseFactsKey } from '../../src/insights/caseFacts';
import { createLogger } from '../../src/logging';
import { SqliteStore } from '../../src/storage/sqliteStore';
import type { KeyValueStore } from '../../src/storage/store';

const CASES = 40;
const STARTED = '2026-12-01T09:00:00.000Z';

/** The bot's store, each write taking 20 ms more, as a storage account far away would. */
function slow(store: KeyValueStore): KeyValueStore {
  return new Proxy(store, {
    get: (target, property) =>
      property === 'write'
        ? async (...args: Parameters<KeyValueStore['write']>) => {
            await new Promise((resolve) => setTimeout(resolve, 20));
            return target.write(...args);
          }
        : Reflect.get(target, property, target),
  });
}

/** A case whose details the admin gave: at the form's end, not yet past it. */
const atForm = transition(troubleshootingMachine, initialSnapshot(), { type: 'SUBMIT_DETAILS', next: 'walk', fields: { protocol: 'imap4', version: '2019' } })[0];
const turnOf = (i: number) => ({ case: { id: `case${i}`, startedAt: STARTED }, snapshot: atForm, rev: 2, language: 'en' as const, now: new Date(STARTED) });
const factsOf = (i: number) => factsOfTurn(turnOf(i));

let dir: string;
let store: SqliteStore;
let keeper: FactsKeeper;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-facts-keeper-'));
  store = new SqliteStore(path.join(dir, 'state.sqlite'));
  // A delay no test waits out: only flushes write.
  keeper = new FactsKeeper(slow(store), createLogger('silent'), 60_000);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('writes every waiting case before a stop that comes while the timer is writing them', async () => {
  for (let i = 0; i < CASES; i++) await keeper.keep(factsOf(i));
  void keeper.flush(); // the timer's
  await keeper.flush(); // the graceful stop's, or a report's
  expect(await store.keys(CASE_FACTS_PREFIX)).toHaveLength(CASES);
});

it('does not bring back a case at the form that "start over" removed while the timer was writing it', async () => {
  for (let i = 0; i < CASES; i++) await keeper.keep(factsOf(i));
  const flushing = keeper.flush();
  await keeper.forget(turnOf(0).case, { id: 'next', startedAt: STARTED });
  await flushing;
  expect(await store.read(caseFactsKey('case0', STARTED))).toBeUndefined();
  expect(await store.keys(CASE_FACTS_PREFIX)).toHaveLength(CASES - 1);
});

it('keeps a case that went past the form when "start over" comes before its progress was written', async () => {
  const access = transition(troubleshootingMachine, atForm, { type: 'STILL_FAILING' })[0];
  const step1 = transition(troubleshootingMachine, access, { type: 'HAVE_ACCESS' })[0];
  await keeper.keep(factsOfTurn({ ...turnOf(0), snapshot: step1, rev: 4 }));
  await keeper.forget(turnOf(0).case, { id: 'next', startedAt: STARTED });
  expect((await store.read<CaseFacts>(caseFactsKey('case0', STARTED)))?.value).toMatchObject({ outcome: 'open', rev: 4, stepReached: 'service' });
});
