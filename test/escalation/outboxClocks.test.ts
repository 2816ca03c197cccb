// Two outbox instances on one real SQLite file whose clocks disagree by minutes, as two hosts' clocks can:
// neither may drop an escalation the other's turn is about to keep, nor send one the other is still sending.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_POLICY, Outbox } from '../../src/escalation/outbox';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { SlowTarget, quiet, record } from '../support/outboxParts';

const MINUTES = 60_000;

describe('outbox instances whose clocks differ', () => {
  let dir: string;
  let stores: SqliteStore[];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'outbox-clocks-'));
    const file = path.join(dir, 'state.sqlite');
    stores = [new SqliteStore(file), new SqliteStore(file)];
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not drop an escalation as never kept because its own clock runs minutes ahead', async () => {
    let kept = false;
    const policy = { ...DEFAULT_POLICY, firstDelayMs: 10 };
    const target = new SlowTarget(0);
    const a = new Outbox(stores[0]!, [target], quiet, async () => kept, policy);
    const b = new Outbox(stores[1]!, [target], quiet, async () => kept, policy, () => Date.now() + 10 * MINUTES);
    await a.enqueue(record('ESC-20261202-AAAAAA'), { conversation: 'conversation/msteams/c1' });

    await b.runDue(); // B's clock says the entry is ten minutes old, and its conversation has not kept it
    await new Promise((r) => setTimeout(r, 20));
    await b.runDue();
    kept = true; // the turn on A saves the conversation now, and tells the admin
    await new Promise((r) => setTimeout(r, 20));
    await b.runDue();
    expect(target.sends).toEqual(['ESC-20261202-AAAAAA']);
  });

  it('never sends an entry that another instance is still sending, however far ahead its clock is', async () => {
    const policy = { ...DEFAULT_POLICY, leaseMs: 300 };
    const slow = new SlowTarget(1_000);
    const other = new SlowTarget(0);
    const a = new Outbox(stores[0]!, [slow], quiet, async () => true, policy);
    const b = new Outbox(stores[1]!, [other], quiet, async () => true, policy, () => Date.now() + 10 * MINUTES);
    await a.enqueue(record('ESC-20261202-BBBBBB'), { conversation: 'conversation/msteams/c2' });

    const sending = a.runDue();
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 8; i++) {
      await b.runDue();
      await new Promise((r) => setTimeout(r, 100));
    }
    await sending;
    expect(slow.sends).toEqual(['ESC-20261202-BBBBBB']);
    expect(other.sends).toEqual([]);
  });

  it('takes over an entry whose sender stopped renewing it, after one lease by its own clock', async () => {
    const policy = { ...DEFAULT_POLICY, leaseMs: 300 };
    const target = new SlowTarget(0);
    const b = new Outbox(stores[1]!, [target], quiet, async () => true, policy, () => Date.now() - 10 * MINUTES);
    const entry = { record: record('ESC-20261202-CCCCCC'), target: 'webhook', enqueuedAt: 0, attempts: 0, due: 0, leasedBy: 'a-crashed-instance' };
    await stores[0]!.write('outbox/ESC-20261202-CCCCCC/webhook', entry, null);

    await b.runDue();
    expect(target.sends).toEqual([]);
    await new Promise((r) => setTimeout(r, 350));
    await b.runDue();
    expect(target.sends).toEqual(['ESC-20261202-CCCCCC']);
  });

  it('sends what another instance is not holding, however long that instance holds its own', async () => {
    const policy = { ...DEFAULT_POLICY, leaseMs: 300, concurrency: 2 };
    const slow = new SlowTarget(1_500);
    const fast = new SlowTarget(0);
    const a = new Outbox(stores[0]!, [slow], quiet, async () => true, policy);
    const b = new Outbox(stores[1]!, [fast], quiet, async () => true, policy);
    const ids = ['ESC-20261202-D00001', 'ESC-20261202-D00002', 'ESC-20261202-D00003', 'ESC-20261202-D00004'];
    for (const id of ids) await a.enqueue(record(id), { conversation: 'conversation/msteams/c4' });

    const holding = a.runDue(); // A takes the first two and holds them
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 8 && fast.sends.length < 2; i++) {
      await b.runDue();
      await new Promise((r) => setTimeout(r, 150)); // B looks again once A's entries are worth a look again
    }
    expect(fast.sends.sort()).toEqual(ids.slice(2));
    await holding;
  });
});
