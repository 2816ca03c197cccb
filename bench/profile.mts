// Where a target's time goes:   npm run build && npx node bench/profile.mts [full|full-nofacts|full-escalating|echo|bare] [seconds]
// Runs the target alone in a child process under the same load as bench/run.mts (nine-turn conversations,
// 16 requests in flight) and profiles it with V8's CPU profiler over the measured window (after start-up
// and a 5 s warm-up); then prints self time by area (package, bot folder, Node internals, GC) and by
// function, and the inclusive time of the bot's own functions and of the library calls they make.
// The .cpuprofile file is kept under bench/profiles/ (open it in Chrome DevTools for the flame chart).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkBuild, startChild } from './child.mts';
import { startConnector } from './connector.mts';
import { SCRIPTS } from './conversation.mts';
import { client, runLoad } from './load.mts';
import { startWebhook } from './webhook.mts';
import { KINDS, type Kind } from './targets.mts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const root = path.resolve(import.meta.dirname, '..');

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [first, second] = url.slice(modules + 'node_modules/'.length).split('/');
    return first!.startsWith('@') ? `${first}/${second}` : first!;
  }
  if (url.startsWith('node:')) return 'node internals';
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return `bot ${url.slice(dist + 1).split('/').slice(0, 2).join('/')}`;
  return url.replace(`file://${root}/`, '');
}

const isBot = (url: string) => url.includes('/dist/') && !url.includes('node_modules');

function where(frame: ProfileNode['callFrame']): string {
  const file = frame.url.replace(/^.*node_modules\//, '').replace(`file://${root}/`, '').replace(/^file:\/\//, '');
  return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
}

export function summarize(profile: CpuProfile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idle += dt;
      return;
    }
    total += dt;
    const key = where(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + dt);
    const a = area(node.callFrame.url, node.callFrame.functionName);
    areas.set(a, (areas.get(a) ?? 0) + dt);
    // Inclusive time of the bot's own functions (dist/), and of the library or native calls they make.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const up = parent.get(at);
      const caller = up === undefined ? undefined : byId.get(up)!.callFrame;
      const mine = isBot(frame.url);
      if (!mine && !(caller && isBot(caller.url))) continue;
      const k = mine ? where(frame) : `${where(frame)}  <- ${caller!.functionName || '(anonymous)'}`;
      if (!seen.has(k)) {
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
      }
    }
  });
  const pct = (t: number) => `${((t / total) * 100).toFixed(1).padStart(5)}%`;
  const list = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, t]) => `  ${pct(t)}  ${k}`)
      .join('\n');
  return [
    `busy ${(total / 1e6).toFixed(2)} s of the main thread, idle ${(idle / 1e6).toFixed(2)} s`,
    'self time by area:',
    list(areas, 20),
    'self time by function:',
    list(self, top),
    'inclusive time of the bot\'s functions (dist/) and of the calls they make (<- caller):',
    list(inclusive, top + 15),
  ].join('\n');
}

if (import.meta.main) {
  const kind = (process.argv[2] ?? 'full') as Kind;
  if (!KINDS.includes(kind)) throw new Error(`usage: npx node bench/profile.mts [${KINDS.join('|')}] [seconds]`);
  const seconds = Number(process.argv[3] ?? 10);
  checkBuild();
  const profiles = path.join(import.meta.dirname, 'profiles');
  mkdirSync(profiles, { recursive: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-profile-'));
  const connector = await startConnector();
  // The escalating mix needs a help desk: the connector for its channel and a webhook that answers at once.
  const escalating = kind === 'full-escalating';
  const webhook = escalating ? await startWebhook({ afterMs: 0 }) : undefined;
  const helpDesk: Record<string, string> = webhook ? { BENCH_CONNECTOR_URL: connector.url, BENCH_WEBHOOK_URL: webhook.url } : {};
  const target = await startChild(kind, path.join(dir, 'state.sqlite'), [], helpDesk);
  const http = client(target.url, 16);
  const script = SCRIPTS[kind];
  const warmupMs = 5000;
  // The profiler runs over the measured window only: no start-up, no warm-up.
  const profiler = new Promise<{ stop(): Promise<unknown> }>((resolve) => setTimeout(() => resolve(target.profile()), warmupMs));
  const figures = await runLoad(http.post, { concurrency: 16, open: escalating ? 16 : 256, newSession: () => script(connector), warmupMs, durationMs: seconds * 1000 });
  const profile = (await (await profiler).stop()) as CpuProfile;
  http.close();
  await target.stop();
  await webhook?.stop();
  await connector.stop();
  rmSync(dir, { recursive: true, force: true });
  const file = `${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
  writeFileSync(path.join(profiles, file), JSON.stringify(profile));
  process.stdout.write(`${kind}: ${figures.turnsPerSecond.toFixed(0)} turns/s under the profiler, ${figures.errors} errors; profile bench/profiles/${file}\n`);
  process.stdout.write(`${summarize(profile)}\n`);
}
