// Step 7: from start to ready. The bot as `npm start` runs it once built (node dist/index.js, its default
// settings, a new SQLite file), timed from the spawn to its 'bot listening' log line, to the first 200 from
// /readyz, and to the answer to an admin's first typed message, which waits for the classifiers to be trained.
// The median of STARTS starts, one after the other. `npm start` builds first (tsc); that is not timed here.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBot } from './child.mts';
import { startConnector } from './connector.mts';
import { Chat } from './conversation.mts';
import { client } from './load.mts';

const STARTS = 5;

export interface StartupFigures {
  starts: number;
  /** Milliseconds from the spawn, median over the starts. */
  listeningMs: number;
  readyMs: number;
  firstAnswerMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readyAt(url: string): Promise<void> {
  const deadline = performance.now() + 60_000;
  while ((await fetch(`${url}/readyz`).then((res) => res.status, () => 0)) !== 200) {
    if (performance.now() > deadline) throw new Error('the bot was not ready within 60 s of its start');
    await sleep(5);
  }
}

async function startOnce(connectorUrl: string): Promise<Omit<StartupFigures, 'starts'>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-startup-'));
  const started = performance.now();
  const bot = await startBot({ STATE_DB_PATH: path.join(dir, 'state.sqlite') });
  try {
    const listeningMs = performance.now() - started;
    await readyAt(bot.url);
    const readyMs = performance.now() - started;
    const http = client(bot.url, 1);
    try {
      const reply = await http.post(new Chat(connectorUrl).activity({ type: 'message', text: 'hello' }));
      if (reply.status !== 200) throw new Error(`the first message was answered ${reply.status}`);
    } finally {
      http.close();
    }
    return { listeningMs, readyMs, firstAnswerMs: performance.now() - started };
  } finally {
    await bot.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureStartup(): Promise<StartupFigures> {
  const connector = await startConnector();
  try {
    const runs: Array<Omit<StartupFigures, 'starts'>> = [];
    for (let i = 0; i < STARTS; i++) runs.push(await startOnce(connector.url));
    const median = (pick: (run: Omit<StartupFigures, 'starts'>) => number) => Math.round(runs.map(pick).sort((a, b) => a - b)[Math.floor(STARTS / 2)]!);
    return { starts: STARTS, listeningMs: median((r) => r.listeningMs), readyMs: median((r) => r.readyMs), firstAnswerMs: median((r) => r.firstAnswerMs) };
  } finally {
    await connector.stop();
  }
}

export function startupLines(s: StartupFigures): string[] {
  return [
    `start-up (node dist/index.js, as npm start runs it once built; median of ${s.starts}): listening ${s.listeningMs} ms, ` +
      `/readyz 200 at ${s.readyMs} ms, first typed message answered at ${s.firstAnswerMs} ms after the spawn`,
  ];
}
