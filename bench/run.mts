// The benchmark: `npm run bench`. In one run it measures turns per second and p50/p99 latency of the
// full bot (a realistic eight-turn conversation, many conversations at once) against an echo bot on the
// same stack and a bare restify route; then the stored bytes per conversation, and the memory of a bot
// process after 100,000 conversations. Prints the figures and ratios; writes bench/results.json.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { activity, fullConversation, openCase } from './conversation.mts';
import { type Figures, poster, runLoad } from './load.mts';
import { startBare, startConnector, startEcho, startFullBot } from './targets.mts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);

const dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-bench-'));
const connector = await startConnector();
const message = (conversation: string) => activity(connector.url, conversation, { type: 'message', text: 'hello' });

async function measure(name: string, start: () => Promise<{ url: string; stop(): Promise<void> }>, script: Parameters<typeof runLoad>[2]): Promise<Figures> {
  const target = await start();
  await runLoad(target.url, { concurrency: CONCURRENCY, durationMs: 2000 }, script); // warm-up: JIT, connections, SQLite pages
  const figures = await runLoad(target.url, { concurrency: CONCURRENCY, durationMs: SECONDS * 1000 }, script);
  await target.stop();
  process.stdout.write(`${name.padEnd(10)} ${figures.turnsPerSecond.toFixed(0).padStart(7)} turns/s  p50 ${figures.p50.toFixed(2)} ms  p99 ${figures.p99.toFixed(2)} ms  errors ${figures.errors}\n`);
  return figures;
}

const bare = await measure('bare', startBare, async (worker, _round, post) => {
  await post(message(`bare-${worker}`));
});
const echo = await measure('echo', startEcho, async (worker, _round, post) => {
  await post(message(`echo-${worker}`));
});
const throughputDb = path.join(dir, 'throughput.sqlite');
let conversations = 0; // warm-up and measurement must not reuse a conversation
const full = await measure('full bot', () => startFullBot(throughputDb), async (_worker, _round, post) => {
  await fullConversation(post, connector.url, `full-${conversations++}`);
});

const db = new DatabaseSync(throughputDb);
const stored = db
  .prepare("SELECT count(*) AS conversations, avg(length(value)) AS mean, max(length(value)) AS max FROM documents WHERE key LIKE 'conversation/%'")
  .get() as { conversations: number; mean: number; max: number };
db.close();

// Memory: the bot in a process of its own, so the load generator's heap does not count.
const memoryDb = path.join(dir, 'memory.sqlite');
const child = spawn(process.execPath, ['--expose-gc', path.join(import.meta.dirname, 'serve.mts'), memoryDb], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout! }).once('line', resolve));
const memoryBefore = (await (await fetch(`${url}/bench/memory`)).json()) as NodeJS.MemoryUsage;
let next = 0;
const post = poster(url, () => {}, () => {});
const started = performance.now();
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (next < CONVERSATIONS) await openCase(post, connector.url, `memory-${next++}`);
  }),
);
const memoryAfter = (await (await fetch(`${url}/bench/memory`)).json()) as NodeJS.MemoryUsage;
const memorySeconds = (performance.now() - started) / 1000;
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
const memoryDbBytes = statSync(memoryDb).size + (statSync(`${memoryDb}-wal`, { throwIfNoEntry: false })?.size ?? 0);
await connector.stop();
rmSync(dir, { recursive: true, force: true });

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const results = {
  machine: { cpus: os.cpus().length, node: process.version, concurrency: CONCURRENCY, seconds: SECONDS },
  throughput: { bare, echo, full },
  ratios: { fullToEcho: full.turnsPerSecond / echo.turnsPerSecond, fullToBare: full.turnsPerSecond / bare.turnsPerSecond },
  storedBytesPerConversation: { conversations: stored.conversations, mean: Math.round(stored.mean), max: stored.max },
  memoryAfterConversations: {
    conversations: CONVERSATIONS,
    seconds: Math.round(memorySeconds),
    rssMB: { before: mb(memoryBefore.rss), after: mb(memoryAfter.rss) },
    heapUsedMB: { before: mb(memoryBefore.heapUsed), after: mb(memoryAfter.heapUsed) },
    sqliteFileMB: mb(memoryDbBytes),
  },
};
writeFileSync(path.join(import.meta.dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(
  [
    '',
    `full / echo throughput: ${results.ratios.fullToEcho.toFixed(2)}x (goal >= 0.7x)`,
    `full / bare throughput: ${results.ratios.fullToBare.toFixed(2)}x`,
    `stored state per conversation: mean ${results.storedBytesPerConversation.mean} B, max ${stored.max} B over ${stored.conversations} conversations (goal <= 4096 B)`,
    `after ${CONVERSATIONS} conversations (${results.memoryAfterConversations.seconds} s): RSS ${results.memoryAfterConversations.rssMB.before} -> ${results.memoryAfterConversations.rssMB.after} MB, heap ${results.memoryAfterConversations.heapUsedMB.before} -> ${results.memoryAfterConversations.heapUsedMB.after} MB, SQLite ${results.memoryAfterConversations.sqliteFileMB} MB`,
    '',
  ].join('\n'),
);
