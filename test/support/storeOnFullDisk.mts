// Runs inside a mount namespace where `dir` is a 1 MB tmpfs (see smallDisk.ts and
// test/storage/fullDisk.test.ts): writes two documents, fills the disk to the last byte, tries every kind
// of write the SQLite store makes, frees the disk and opens the file again. Prints one JSON line: what each
// write did (the error's name, or "written"), and what could be read while the disk was full and after.
//   node test/support/storeOnFullDisk.mts <dir>     (runs the compiled store in dist/: `npm run build` first)
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

type Compiled = typeof import('../../src/storage/sqliteStore');
type Store = InstanceType<Compiled['SqliteStore']>;

const dir = process.argv[2]!;
const compiled = path.resolve(path.dirname(process.argv[1]!), '../../dist/storage/sqliteStore.js');
const { SqliteStore } = createRequire(compiled)(compiled) as Compiled;
const KEYS = ['conversation/msteams/a', 'outbox/ESC-1/webhook', 'outbox/ESC-2/webhook'];

function fillUp(file: string): void {
  const fd = openSync(file, 'w');
  const page = Buffer.alloc(4096);
  try {
    for (;;) writeSync(fd, page);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

async function outcome(write: () => Promise<unknown>): Promise<string> {
  try {
    await write();
    return 'written';
  } catch (error) {
    return (error as Error).name;
  }
}

async function contents(store: Store): Promise<Record<string, unknown>> {
  return Object.fromEntries(await Promise.all(KEYS.map(async (key) => [key, (await store.read(key)) ?? null])));
}

async function main(): Promise<void> {
  const file = path.join(dir, 'state.sqlite');
  const filler = path.join(dir, 'fill');
  const store = new SqliteStore(file);
  const etag = await store.write(KEYS[0]!, { step: 'mailbox' });
  const outboxEtag = await store.write(KEYS[1]!, { attempts: 0 }, null);

  fillUp(filler);
  const writes = {
    upsert: await outcome(() => store.write(KEYS[0]!, { step: 'receiveConnector' })),
    insertIfAbsent: await outcome(() => store.write(KEYS[2]!, { attempts: 0 }, null)),
    conditionalUpdate: await outcome(() => store.write(KEYS[0]!, { step: 'receiveConnector' }, etag)),
    delete: await outcome(() => store.delete(KEYS[1]!)),
    conditionalDelete: await outcome(() => store.delete(KEYS[0]!, etag)),
  };
  const whileFull = await contents(store);

  rmSync(filler);
  await store.close();
  const reopened = new SqliteStore(file);
  const afterReopen = await contents(reopened);
  await reopened.close();
  process.stdout.write(`${JSON.stringify({ etags: [etag, outboxEtag], writes, whileFull, afterReopen })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
