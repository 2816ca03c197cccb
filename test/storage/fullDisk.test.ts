// A full disk must fail every write of the embedded store loudly, and cost nothing already saved: the
// store runs in its own process on a 1 MB disk (test/support/smallDisk.ts, test/support/storeOnFullDisk.mts).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildBot } from '../support/process';
import { onSmallDisk, smallDiskUnavailable } from '../support/smallDisk';

const SCRIPT = path.resolve(__dirname, '../support/storeOnFullDisk.mts');
const unavailable = smallDiskUnavailable();

(unavailable ? describe.skip : describe)(`the SQLite store on a full disk${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'full-disk-'));
    await buildBot();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses every kind of write with StorageUnavailableError and keeps what was committed before', async () => {
    const [command, ...args] = [...onSmallDisk(dir), process.execPath, SCRIPT, dir];
    const { stdout } = await promisify(execFile)(command!, args);
    const { etags, writes, whileFull, afterReopen } = JSON.parse(stdout) as { etags: string[]; [result: string]: unknown };

    expect(writes).toEqual({
      upsert: 'StorageUnavailableError',
      insertIfAbsent: 'StorageUnavailableError',
      conditionalUpdate: 'StorageUnavailableError',
      delete: 'StorageUnavailableError',
      conditionalDelete: 'StorageUnavailableError',
    });
    const committed = {
      'conversation/msteams/a': { value: { step: 'mailbox' }, etag: etags[0] },
      'outbox/ESC-1/webhook': { value: { attempts: 0 }, etag: etags[1] },
      'outbox/ESC-2/webhook': null,
    };
    expect(whileFull).toEqual(committed);
    expect(afterReopen).toEqual(committed);
  });
});
