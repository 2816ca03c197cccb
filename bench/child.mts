// Starts one target (serve.mts) in a child process on the same Node, and talks to it.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Kind } from './targets.mts';

export interface Memory {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  gc: boolean;
}

export interface Child {
  url: string;
  pid: number;
  memory(): Promise<Memory>;
  /** Starts the V8 CPU profiler in the child; `stop` resolves to the profile. */
  profile(): Promise<{ stop(): Promise<unknown> }>;
  /** CPU time the child used so far, user + system, in milliseconds. */
  cpuMs(): Promise<number>;
  /** How the child ended (`code 0`, `signal SIGSEGV`), or undefined while it runs. */
  exited(): string | undefined;
  stop(): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '..');

/** Refuses to measure a bot that was not built, and warns when src/ changed after the last build. */
export function checkBuild(): void {
  const built = path.join(root, 'dist', 'app.js');
  if (!existsSync(built)) throw new Error('dist/app.js is missing: run `npm run build` first (or `npm run bench`).');
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  walk(path.join(root, 'src'));
  if (newest > statSync(built).mtimeMs) process.stderr.write('warning: src/ is newer than dist/: the figures are for the last build (run `npm run build`).\n');
}

export async function startChild(kind: Kind, dbPath?: string, nodeFlags: string[] = []): Promise<Child> {
  const child = spawn(process.execPath, ['--expose-gc', ...nodeFlags, path.join(import.meta.dirname, 'serve.mts'), kind, ...(dbPath ? [dbPath] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let exit: string | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ? `signal ${signal}` : `code ${code}`;
      resolve(code);
    }),
  );
  const first = await Promise.race([
    new Promise<string>((resolve) => readline.createInterface({ input: child.stdout! }).once('line', resolve)),
    exited.then(() => {
      throw new Error(`the ${kind} target exited (${exit}) before listening`);
    }),
  ]);
  const { url } = JSON.parse(first) as { url: string };
  return {
    url,
    pid: child.pid!,
    memory: async () => (await (await fetch(`${url}/bench/memory`)).json()) as Memory,
    profile: async () => {
      await (await fetch(`${url}/bench/profile/start`, { method: 'POST' })).json();
      return { stop: async () => (await fetch(`${url}/bench/profile/stop`, { method: 'POST' })).json() };
    },
    cpuMs: async () => {
      const { user, system } = (await (await fetch(`${url}/bench/cpu`)).json()) as { user: number; system: number };
      return (user + system) / 1000;
    },
    exited: () => exit,
    stop: async () => {
      if (exit === undefined) child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new Error(`the ${kind} target exited (${exit})`);
    },
  };
}
