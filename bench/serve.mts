// One target in a process of its own, so the load generator's CPU and heap do not count against it:
//   node --expose-gc bench/serve.mts <bare|echo|full> [sqlite file]
// Prints one JSON line {"url": ...} when listening. Routes of this script only, added to the target's
// restify server: GET /bench/memory answers process.memoryUsage() after a full garbage collection;
// GET /bench/cpu answers process.cpuUsage() (microseconds of CPU this process used so far);
// POST /bench/profile/start and /bench/profile/stop run the V8 CPU profiler over a window of the load
// (stop answers the .cpuprofile JSON). SIGTERM stops the target and exits.
import { Session } from 'node:inspector/promises';
import { KINDS, type Kind, startTarget } from './targets.mts';

const kind = process.argv[2] as Kind;
if (!KINDS.includes(kind)) {
  process.stderr.write(`usage: node --expose-gc bench/serve.mts <${KINDS.join('|')}> [sqlite file]\n`);
  process.exit(2);
}
const target = await startTarget(kind, process.argv[3]);
target.server.get('/bench/memory', async (_req, res) => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  res.json({ ...process.memoryUsage(), gc: Boolean(gc) });
});
target.server.get('/bench/cpu', async (_req, res) => {
  res.json(process.cpuUsage());
});
const inspector = new Session();
target.server.post('/bench/profile/start', async (_req, res) => {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
  await inspector.post('Profiler.start');
  res.json({ started: true });
});
target.server.post('/bench/profile/stop', async (_req, res) => {
  const { profile } = await inspector.post('Profiler.stop');
  inspector.disconnect();
  res.json(profile);
});
process.stdout.write(`${JSON.stringify({ url: target.url, pid: process.pid })}\n`);
process.once('SIGTERM', () => {
  target.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
