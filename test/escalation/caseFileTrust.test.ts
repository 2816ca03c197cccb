// The case file under the faults production brings: a store that fails between a change and the news of it,
// a courier waiting out a retry when what it waited for arrives, a party that cannot be reached for hours,
// and changes that move nothing. Real SQLite store, real outbox and couriers; only the sends are recorded.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Member } from '../../src/casework/machine';
import { type CaseFile, Casework, SWEEP_AFTER_MS } from '../../src/escalation/caseFile';
import { applyCaseEvent } from '../../src/escalation/caseEvents';
import { CaseCourier, type CaseSend } from '../../src/escalation/courier';
import type { HandoffRecord } from '../../src/escalation/handoff';
import { DEFAULT_POLICY, Outbox, type OutboxLog, type OutboxPolicy } from '../../src/escalation/outbox';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { type KeyValueStore, StorageUnavailableError } from '../../src/storage/store';
import { damageSqliteRow } from '../support/damage';

const TARO: Member = { id: 'hd-taro', name: 'Taro' };
const now = () => new Date().toISOString();
const ADMIN: CaseFile['admin'] = { conversationKey: 'conversation/msteams/a:admin-chat', language: 'en' };

function record(id: string): HandoffRecord {
  return { id, createdAt: now(), requester: { id: 'admin-1', name: 'Hanako' }, language: 'en', reason: 'asked', journal: [], commands: [] };
}

class Lines implements OutboxLog {
  readonly lines: Array<{ level: string; message: string }> = [];
  info = (_: object, message: string) => void this.lines.push({ level: 'info', message });
  warn = (_: object, message: string) => void this.lines.push({ level: 'warn', message });
  error = (_: object, message: string) => void this.lines.push({ level: 'error', message });
}

/** What a store does around the real one: outbox writes failing (a storage blip), a pause before a write or a delete. */
interface Hooks {
  failOutbox: boolean;
  beforeWrite?: (key: string) => Promise<void>;
  beforeDelete?: (key: string) => Promise<void>;
}

function wrap(real: KeyValueStore, hooks: Hooks): KeyValueStore {
  const store = Object.create(real) as KeyValueStore;
  store.write = async (key, value, etag) => {
    if (hooks.failOutbox && key.startsWith('outbox/')) throw new StorageUnavailableError('write');
    await hooks.beforeWrite?.(key);
    return real.write(key, value, etag);
  };
  store.delete = async (key, etag) => {
    await hooks.beforeDelete?.(key);
    return real.delete(key, etag);
  };
  return store;
}

/** Sweeps, a sweep's delay later, and sends what is due: what an idle bot does over a couple of minutes. */
async function settle(casework: Casework, outbox: Outbox, later: () => void): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await casework.sweep();
    later();
    await outbox.runDue();
  }
}

function rig(store: KeyValueStore, sends: { admin: CaseSend; channel: CaseSend }, options: { policy?: Partial<OutboxPolicy>; clock?: () => Date; log?: Lines } = {}) {
  const box: { outbox?: Outbox } = {};
  const log = options.log ?? new Lines();
  const casework = new Casework(store, (r, target) => box.outbox!.wake(r, target), log, options.clock);
  box.outbox = new Outbox(
    store,
    [new CaseCourier(casework, 'admin', sends.admin), new CaseCourier(casework, 'channel', sends.channel)],
    log,
    async () => true,
    { ...DEFAULT_POLICY, firstDelayMs: 1, maxDelayMs: 5, ...options.policy },
    () => (options.clock ?? (() => new Date()))().getTime(),
  );
  return { casework, outbox: box.outbox, log };
}

const dbFile = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'casefile-')), 'state.sqlite');
const sqlite = (file = dbFile()) => new SqliteStore(file);

describe('the case file under faults', () => {
  it('keeps a change whose couriers could not be woken, tells the clicker it is kept, and the sweep sends its messages', async () => {
    const real = sqlite();
    const hooks: Hooks = { failOutbox: false };
    const store = wrap(real, hooks);
    const failOutbox = (on: boolean) => (hooks.failOutbox = on);
    let clock = Date.now();
    const heard: string[] = [];
    const { casework, outbox } = rig(store, { admin: async (m) => void heard.push(m.kind), channel: async () => undefined }, { clock: () => new Date(clock) });
    const id = 'ESC-20261202-TRUST1';
    await casework.open(record(id), ADMIN, false);
    await casework.apply(id, { event: { type: 'TAKE', by: TARO, at: now() } });
    await outbox.runDue();
    expect(heard).toEqual(['taken']);

    // Every outbox write fails while the question is asked: neither wake reaches the store.
    failOutbox(true);
    const asked = await casework.apply(id, { event: { type: 'ASK', by: TARO, text: 'Which client?', at: now() } });
    failOutbox(false);
    expect(asked.outcome).toBe('applied');
    await outbox.runDue();
    expect(heard).toEqual(['taken']);

    await casework.sweep();
    clock += SWEEP_AFTER_MS;
    await casework.sweep();
    await outbox.runDue();
    expect(heard).toEqual(['taken', 'question']);
    await real.close();
  });

  it('lets the owner click the card as drawn after a comment from the ticketing system: a comment moves no button', async () => {
    const { casework } = rig(sqlite(), { admin: async () => undefined, channel: async () => undefined });
    const id = 'ESC-20261202-TRUST2';
    await casework.open(record(id), ADMIN, true);
    const taken = await casework.apply(id, { event: { type: 'TAKE', by: TARO, at: now() } });
    const drawnAt = taken.outcome === 'applied' ? taken.file.rev : -1;
    const body = { schema: 'popimap-bot/case-event@1', escalationId: id, eventId: 'c1', type: 'comment', author: { name: 'Sato' }, comment: 'Looking at it' } as const;
    expect((await applyCaseEvent(casework, id, body, now())).outcome).toBe('applied');
    const click = await casework.apply(id, { event: { type: 'ASK', by: TARO, text: 'Which client?', at: now() }, rev: drawnAt });
    expect(click.outcome).toBe('applied');
  });

  it('writes nothing and tells nobody when the ticketing system names the ticket it already named', async () => {
    const { casework } = rig(sqlite(), { admin: async () => undefined, channel: async () => undefined });
    const id = 'ESC-20261202-TRUST3';
    await casework.open(record(id), ADMIN, true);
    await casework.apply(id, { event: { type: 'TICKET', ticketId: 'INC1' } });
    const before = (await casework.read(id))!;
    await casework.apply(id, { event: { type: 'TICKET', ticketId: 'INC1' } });
    const after = (await casework.read(id))!;
    expect(after.etag).toBe(before.etag);
  });

  it('sends what a waiting courier waited for as soon as it arrives, not after its retry delay', async () => {
    const sent: string[] = [];
    const { casework, outbox } = rig(sqlite(), { admin: async () => undefined, channel: async (m, file) => {
      if (!file.post) throw new Error('the case card is not in the channel yet');
      sent.push(m.kind);
    } }, { policy: { firstDelayMs: 60_000, maxDelayMs: 600_000 } });
    const id = 'ESC-20261202-TRUST4';
    await casework.open(record(id), ADMIN, true);
    await casework.apply(id, { event: { type: 'TICKET', ticketId: 'INC2' } });
    await outbox.runDue(); // fails: no card yet, and backs off for a minute
    expect(sent).toEqual([]);
    await casework.recordPost(id, { conversationId: '19:hd@thread.tacv2', activityId: 'card-1' });
    await outbox.runDue();
    expect(sent).toEqual(['card']);
  });

  it('tells the operator once when a party has not been reachable for OUTBOX_LATE_AFTER_MS, and redraws the card once for changes queued together', async () => {
    let clock = Date.now();
    let reachable = false;
    const sent: string[] = [];
    const { casework, outbox, log } = rig(sqlite(), { admin: async () => undefined, channel: async (m) => {
      if (!reachable) throw new Error('Teams answered 502');
      sent.push(m.kind);
    } }, { clock: () => new Date(clock), policy: { lateAfterMs: 60_000 } });
    const id = 'ESC-20261202-TRUST5';
    await casework.open(record(id), ADMIN, true);
    await casework.recordPost(id, { conversationId: '19:hd@thread.tacv2', activityId: 'card-1' });
    for (let i = 0; i < 6; i++) {
      await casework.apply(id, { event: i % 2 ? { type: 'ANSWER', text: `answer ${i}` } : { type: 'ASK', by: TARO, text: `question ${i}`, at: now() } });
      await outbox.runDue();
      clock += 30_000;
    }
    const late = log.lines.filter((l) => l.level === 'error' && l.message.startsWith('case messages have not reached'));
    expect(late).toHaveLength(1);
    reachable = true;
    clock += 600_000;
    await outbox.runDue();
    // Six changes queued six redraws and three notes: the notes in order, the card drawn once, at the end.
    expect(sent).toEqual(['note', 'note', 'note', 'card']);
  });
  it('sends a message committed just as its courier was clearing its entry, though the store failed at the courier\'s wake', async () => {
    const real = sqlite();
    const hooks: Hooks = { failOutbox: false };
    let clock = Date.now();
    const heard: string[] = [];
    const { casework, outbox } = rig(wrap(real, hooks), { admin: async (m) => void heard.push(m.kind), channel: async () => undefined }, { clock: () => new Date(clock) });
    const id = 'ESC-20261202-TRUST6';
    await casework.open(record(id), ADMIN, false);
    await casework.apply(id, { event: { type: 'TAKE', by: TARO, at: now() } });
    hooks.beforeDelete = async (key) => {
      if (key !== `outbox/${id}/caseAdmin`) return;
      hooks.beforeDelete = undefined;
      // The courier sent all it saw and is about to clear its entry: a question is committed now, and the store blips.
      expect((await casework.apply(id, { event: { type: 'ASK', by: TARO, text: 'Which client?', at: now() } })).outcome).toBe('applied');
      hooks.failOutbox = true;
    };
    await outbox.runDue();
    hooks.failOutbox = false;
    await settle(casework, outbox, () => (clock += SWEEP_AFTER_MS));
    expect(heard).toEqual(['taken', 'question']);
    await real.close();
  });

  it('wakes a courier whose entry was damaged: the damaged copy is set aside and a new entry sends the message', async () => {
    const file = dbFile();
    const real = sqlite(file);
    let clock = Date.now();
    const heard: string[] = [];
    const { casework, outbox } = rig(real, { admin: async (m) => void heard.push(m.kind), channel: async () => undefined }, { clock: () => new Date(clock) });
    const id = 'ESC-20261202-TRUST7';
    await casework.open(record(id), ADMIN, false);
    damageSqliteRow(file, `outbox/${id}/caseAdmin`, Buffer.from([0xff, 0x7b]));
    await casework.apply(id, { event: { type: 'TAKE', by: TARO, at: now() } });
    await settle(casework, outbox, () => (clock += SWEEP_AFTER_MS));
    expect(heard).toEqual(['taken']);
    await real.close();
  });

  it('sends the messages of a change marked by the bot before an upgrade, whose wake was lost', async () => {
    const real = sqlite();
    const hooks: Hooks = { failOutbox: false };
    let clock = Date.now();
    const heard: string[] = [];
    const { casework, outbox } = rig(wrap(real, hooks), { admin: async (m) => void heard.push(m.kind), channel: async () => undefined }, { clock: () => new Date(clock) });
    const id = 'ESC-20261202-TRUST9';
    await casework.open(record(id), ADMIN, false);
    hooks.failOutbox = true;
    expect((await casework.apply(id, { event: { type: 'TAKE', by: TARO, at: now() } })).outcome).toBe('applied');
    hooks.failOutbox = false;
    // The mark as the earlier version left it: its key names no sequence number, its value does.
    const marks = await real.keys('escalation-dirty/');
    expect(marks).toHaveLength(1);
    for (const key of marks) await real.delete(key);
    await real.write('escalation-dirty/' + id + '.6f0c2d9e-4b1a-4c8e-9d2f-1a3b5c7d9e0f', { id, seq: 1 });
    await settle(casework, outbox, () => (clock += SWEEP_AFTER_MS));
    expect(heard).toEqual(['taken']);
    expect(await real.keys('escalation-dirty/')).toEqual([]);
    await real.close();
  });

  it('leaves the mark of a change still on its way to the store, and sends its messages once it lands, though its own wake failed', async () => {
    const real = sqlite();
    const hooks: Hooks = { failOutbox: false };
    let clock = Date.now();
    const heard: string[] = [];
    const { casework, outbox } = rig(wrap(real, hooks), { admin: async (m) => void heard.push(m.kind), channel: async () => undefined }, { clock: () => new Date(clock) });
    const id = 'ESC-20261202-TRUST8';
    await casework.open(record(id), ADMIN, false);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    hooks.beforeWrite = async (key) => {
      if (key !== `escalation/${id}`) return;
      hooks.beforeWrite = undefined;
      reached();
      await gate; // a slow store, or a long pause, between the mark and the commit
    };
    const applying = casework.apply(id, { event: { type: 'TAKE', by: TARO, at: now() } });
    await atGate;
    await casework.sweep();
    clock += SWEEP_AFTER_MS;
    await casework.sweep();
    hooks.failOutbox = true;
    release();
    expect((await applying).outcome).toBe('applied');
    hooks.failOutbox = false;
    await settle(casework, outbox, () => (clock += SWEEP_AFTER_MS));
    expect(heard).toEqual(['taken']);
    await real.close();
  });
});
