// The case file tells the case's facts when the help desk first took it, through the real case file on a real
// SQLite store: added to the facts as they are at that moment, even when the admin's turn rewrites them at once.
import type { Member } from '../../src/casework/machine';
import { type CaseFile, Casework } from '../../src/escalation/caseFile';
import type { HandoffRecord } from '../../src/escalation/handoff';
import { type CaseFacts, CASE_FACTS_VERSION, caseFactsKey } from '../../src/insights/caseFacts';
import { SqliteStore } from '../../src/storage/sqliteStore';
import type { KeyValueStore } from '../../src/storage/store';

const ID = 'ESC-20261110-TAKEN1';
const ADMIN: CaseFile['admin'] = { conversationKey: 'conversation/msteams/admin-1', language: 'en' };
const TARO: Member = { id: 'hd-taro', name: 'Taro Helpdesk' };
const JIRO: Member = { id: 'hd-jiro', name: 'Jiro Helpdesk' };
const FACTS_KEY = caseFactsKey('c1', '2026-11-10T09:00:00.000Z');

// What the admin handed over plays no part in when the case was taken.
const record: HandoffRecord = { id: ID, createdAt: '2026-11-10T09:20:00.000Z', requester: { id: 'admin-1' }, language: 'en', reason: 'asked', journal: [], commands: [] };

const facts = (rev: number): CaseFacts => ({
  v: CASE_FACTS_VERSION,
  caseId: 'c1',
  rev,
  startedAt: '2026-11-10T09:00:00.000Z',
  updatedAt: '2026-11-10T09:20:00.000Z',
  language: 'en',
  protocol: 'imap4',
  outcome: 'escalated',
  escalatedAt: '2026-11-10T09:20:00.000Z',
});

let store: SqliteStore;
beforeEach(() => {
  store = new SqliteStore(':memory:');
});
afterEach(() => store.close());

const wake = async () => undefined;

describe('the first take, in the case’s facts', () => {
  it('is noted at the time of the first take; a take-over later leaves it', async () => {
    const casework = new Casework(store, wake);
    await casework.open(record, ADMIN, true, FACTS_KEY);
    await store.write(FACTS_KEY, facts(4));
    // Resolving an untaken case takes it on the way.
    await casework.apply(ID, { event: { type: 'RESOLVE', by: TARO, note: 'Enabled IMAP4', at: '2026-11-10T09:45:00.000Z' } });
    await casework.apply(ID, { event: { type: 'REOPEN', by: TARO, at: '2026-11-10T10:00:00.000Z' } });
    await casework.apply(ID, { event: { type: 'TAKE_OVER', by: JIRO, at: '2026-11-10T11:00:00.000Z' } });
    expect((await store.read<CaseFacts>(FACTS_KEY))!.value).toEqual({ ...facts(4), takenAt: '2026-11-10T09:45:00.000Z' });
  });

  it('is added to the facts the admin’s racing turn just wrote, never over them', async () => {
    // The admin's turn writes newer facts between the note's read and its write.
    let raced = false;
    const racing: KeyValueStore = {
      read: async <T>(key: string) => {
        const read = await store.read<T>(key);
        if (key === FACTS_KEY && !raced) {
          raced = true;
          await store.write(FACTS_KEY, facts(5));
        }
        return read;
      },
      write: (key, value, etag) => store.write(key, value, etag),
      delete: (key, etag) => store.delete(key, etag),
      keys: (prefix) => store.keys(prefix),
      close: () => store.close(),
    };
    const casework = new Casework(racing, wake);
    await casework.open(record, ADMIN, true, FACTS_KEY);
    await store.write(FACTS_KEY, facts(4));
    await casework.apply(ID, { event: { type: 'TAKE', by: TARO, at: '2026-11-10T09:32:00.000Z' } });
    expect(raced).toBe(true);
    expect((await store.read<CaseFacts>(FACTS_KEY))!.value).toEqual({ ...facts(5), takenAt: '2026-11-10T09:32:00.000Z' });
  });

  it('goes to the facts of the case the conversation kept, when its escalating turn was replayed under another case', async () => {
    const casework = new Casework(store, wake);
    await casework.open(record, ADMIN, true, caseFactsKey('lost-race', '2026-11-10T09:20:00.000Z'));
    await casework.open(record, ADMIN, true, FACTS_KEY);
    await store.write(FACTS_KEY, facts(4));
    await casework.apply(ID, { event: { type: 'TAKE', by: TARO, at: '2026-11-10T09:32:00.000Z' } });
    expect((await store.read<CaseFacts>(FACTS_KEY))!.value.takenAt).toBe('2026-11-10T09:32:00.000Z');
    expect((await casework.read(ID))!.value).toMatchObject({ factsKey: FACTS_KEY, record, rev: 1 });
  });
});
