// An entry found ready while every slot of its target was busy is kept as read and sent from that copy once a
// slot frees, not read again at every look. Two outbox instances share one real SQLite file: the copy must never
// send a case that the other instance has taken meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_POLICY, Outbox } from '../../src/escalation/outbox';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { SlowTarget, quiet, record } from '../support/outboxParts';

/** Counts the reads of outbox entries, the cost this keeps down. */
class CountingStore extends SqliteStore {
  entryReads = 0;
  override read<T>(key: string) {
    if (key.startsWith('outbox/')) this.entryReads++;
    return super.read<T>(key);
  }
}

describe('an outbox whose target has no free slot', () => {
  let dir: string;
  let stores: CountingStore[];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'outbox-slots-'));
    const file = path.join(dir, 'state.sqlite');
    stores = [new CountingStore(file), new CountingStore(file)];
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends what waited for a slot, reading it once however often it looks meanwhile', async () => {
    const target = new SlowTarget(300);
    const a = new Outbox(stores[0]!, [target], quiet, async () => true, { ...DEFAULT_POLICY, concurrency: 1 });
    await a.enqueue(record('ESC-20261203-E00001'), { conversation: 'conversation/msteams/c1' });
    await a.enqueue(record('ESC-20261203-E00002'), { conversation: 'conversation/msteams/c1' });

    const first = a.runDue(); // the first takes the only slot; the second is read and waits
    await new Promise((r) => setTimeout(r, 50));
    const readsWhileBusy = stores[0]!.entryReads;
    for (let i = 0; i < 5; i++) await Promise.race([a.runDue(), new Promise((r) => setTimeout(r, 20))]);
    expect(stores[0]!.entryReads).toBe(readsWhileBusy);
    await first;
    await a.runDue();
    expect(target.sends).toEqual(['ESC-20261203-E00001', 'ESC-20261203-E00002']);
  });

  it('does not send from its copy a case that another instance took meanwhile', async () => {
    const policy = { ...DEFAULT_POLICY, concurrency: 1 };
    const slow = new SlowTarget(300);
    const other = new SlowTarget(600);
    const a = new Outbox(stores[0]!, [slow], quiet, async () => true, policy);
    const b = new Outbox(stores[1]!, [other], quiet, async () => true, policy);
    await a.enqueue(record('ESC-20261203-F00001'), { conversation: 'conversation/msteams/c2' });
    await a.enqueue(record('ESC-20261203-F00002'), { conversation: 'conversation/msteams/c2' });

    const first = a.runDue(); // A sends the first, and keeps its copy of the second while it waits for the slot
    await new Promise((r) => setTimeout(r, 50));
    const taken = b.runDue(); // B takes the second and is still sending it when A's slot frees
    await first;
    await a.runDue();
    await taken;
    expect({ a: slow.sends, b: other.sends }).toEqual({ a: ['ESC-20261203-F00001'], b: ['ESC-20261203-F00002'] });
  });
});
