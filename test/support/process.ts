// The bot as its own operating-system process, started the way `npm start` starts it: the compiled
// dist/index.js with its configuration in the environment.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const START_LIMIT_MS = 30_000;

export interface BotProcess {
  url: string;
  child: ChildProcess;
  /** Every line the bot logged so far, parsed: each one must be a JSON object. */
  logs: Array<Record<string, unknown>>;
  /** Every line the process has written so far, stdout and stderr together, as written. */
  lines: string[];
  stop(): Promise<void>;
}

/** Compiles src/ once per test file (tsc, as `npm run build` does). */
export async function buildBot(): Promise<void> {
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
}

/**
 * `launcher` runs the bot through another command first (`unshare …`), which must end by exec-ing it.
 * `dir` is where the bot is installed (its dist/, locales/ and node_modules/), the project itself unless told.
 */
export async function startBotProcess(env: Record<string, string>, launcher: string[] = [], dir = ROOT): Promise<BotProcess> {
  const [command, ...args] = [...launcher, process.execPath, path.join(dir, 'dist/index.js')];
  const child = spawn(command!, args, {
    cwd: dir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const lines: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    // Two cores busy with other test files can keep a bot (training its classifiers) from listening for a while;
    // one that never does is killed, never left behind.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the bot process did not start within ${START_LIMIT_MS / 1000} s: ${lines.join('\n')}`));
    }, START_LIMIT_MS);
    child.once('exit', (code) => reject(new Error(`the bot process exited with ${code}: ${lines.join('\n')}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      logs.push(entry);
      if (entry.msg === 'bot listening' && entry.url) {
        clearTimeout(timer);
        resolve(entry.url.replace(/\/api\/messages$/, ''));
      }
    });
  });
  return {
    url,
    child,
    logs,
    lines,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
