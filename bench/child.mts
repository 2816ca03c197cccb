// Starts one target (serve.mts), or the bot as `npm start` runs it (dist/index.js, configured by its
// environment), in a child process on the same Node, and talks to it.
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

/** A Node process of ours that listens on a loopback port. */
export interface Listening {
  url: string;
  pid: number;
  /** How it ended (`code 0`, `signal SIGKILL`), or undefined while it runs. */
  exited(): string | undefined;
  /** SIGTERM, then waits for the end; throws unless it exits with 0. */
  stop(): Promise<void>;
  /** `kill -9`: no chance to clean up. Resolves once it has ended. */
  kill(): Promise<void>;
}

/**
 * Runs `node <args>` and waits for the stdout line in which `urlIn` finds where it listens. Every line goes
 * to `onLine` (stdout is read to the end, so a chatty process never blocks on a full pipe).
 */
export async function spawnListening(
  what: string,
  args: string[],
  urlIn: (line: string) => string | undefined,
  options: { env?: NodeJS.ProcessEnv; onLine?: (line: string) => void } = {},
): Promise<Listening> {
  const child = spawn(process.execPath, args, { cwd: root, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  let exit: string | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ? `signal ${signal}` : `code ${code}`;
      resolve(code);
    }),
  );
  const url = await Promise.race([
    new Promise<string>((resolve) =>
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        options.onLine?.(line);
        const found = urlIn(line);
        if (found) resolve(found);
      }),
    ),
    exited.then(() => {
      throw new Error(`the ${what} exited (${exit}) before listening`);
    }),
  ]);
  return {
    url,
    pid: child.pid!,
    exited: () => exit,
    stop: async () => {
      if (exit === undefined) child.kill('SIGTERM');
      if ((await exited) !== 0) throw new Error(`the ${what} exited (${exit})`);
    },
    kill: async () => {
      if (exit === undefined) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** `env`: more environment for the target's process (the escalating mix's help desk). */
export async function startChild(kind: Kind, dbPath?: string, nodeFlags: string[] = [], env: Record<string, string> = {}): Promise<Child> {
  const args = ['--expose-gc', ...nodeFlags, path.join(import.meta.dirname, 'serve.mts'), kind, ...(dbPath ? [dbPath] : [])];
  const child = await spawnListening(`${kind} target`, args, (line) => (JSON.parse(line) as { url: string }).url, { env: { ...process.env, ...env } });
  const { url } = child;
  return {
    url,
    pid: child.pid,
    memory: async () => (await (await fetch(`${url}/bench/memory`)).json()) as Memory,
    profile: async () => {
      await (await fetch(`${url}/bench/profile/start`, { method: 'POST' })).json();
      return { stop: async () => (await fetch(`${url}/bench/profile/stop`, { method: 'POST' })).json() };
    },
    cpuMs: async () => {
      const { user, system } = (await (await fetch(`${url}/bench/cpu`)).json()) as { user: number; system: number };
      return (user + system) / 1000;
    },
    exited: child.exited,
    stop: child.stop,
  };
}

const BOT_SETTING = /^(OUTBOX_|HELPDESK_|STATE_|AZURE_STORAGE_|Microsoft|PROBE_|MAX_BODY_KB$|LOG_LEVEL$|PORT$|HOST$|INSIGHTS$)/;

/**
 * The built bot, dist/index.js, configured by `env` alone (none of the bot's settings is taken from this
 * process's environment, so the bench runs with the defaults), on a free loopback port. Its log lines
 * (JSON) go to `onLine`; `bot listening` says where it is.
 */
export function startBot(env: Record<string, string>, onLine?: (line: string) => void): Promise<Listening> {
  const urlIn = (line: string) => {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    return entry.msg === 'bot listening' ? entry.url?.replace(/\/api\/messages$/, '') : undefined;
  };
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !BOT_SETTING.test(name)));
  const options = { env: { ...inherited, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }, ...(onLine ? { onLine } : {}) };
  return spawnListening('bot', [path.join(root, 'dist', 'index.js')], urlIn, options);
}
