// A bounded load loop. `concurrency` workers share a pool of open conversations: a worker takes one of
// them at random, sends its next turn (exactly one POST /api/messages), and puts it back, so many
// conversations are in progress at once while at most `concurrency` requests are in flight, and the turns
// of one conversation never overlap. Picking at random (not round-robin) keeps the conversations out of
// step with each other, as real users are, so the mix of turn kinds stays even over time. A finished
// conversation is replaced by a new one. Turns completed during the warm-up are not counted; nothing is
// started after the deadline.
import http from 'node:http';

export interface Reply {
  status: number;
  body: string;
}

export type Post = (activity: unknown) => Promise<Reply>;

/** One conversation: `step` sends its next turn and says whether the conversation is over. Throws on a wrong answer. */
export interface Session {
  step(post: Post): Promise<boolean>;
}

export interface Figures {
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  conversationsFinished: number;
  firstError?: string;
}

/** Figures plus every latency, sorted, to merge windows. */
export type Run = Figures & { latencies: Float64Array };

export function merge(runs: Run[]): Run {
  const latencies = Float64Array.from(runs.flatMap((r) => [...r.latencies])).sort();
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const firstError = runs.find((r) => r.firstError)?.firstError;
  return {
    turns: latencies.length,
    seconds,
    turnsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.length ? latencies[latencies.length - 1]! : 0,
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    conversationsFinished: runs.reduce((sum, r) => sum + r.conversationsFinished, 0),
    ...(firstError ? { firstError } : {}),
    latencies,
  };
}

/** POSTs activities to `<url>/api/messages` over keep-alive connections, at most `sockets` at a time. */
export function client(url: string, sockets: number): { post: Post; close(): void } {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const post: Post = (activity) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(activity);
      const req = http.request(
        {
          agent,
          hostname,
          port,
          path: '/api/messages',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}

function takeAny<T>(items: T[]): T | undefined {
  if (items.length === 0) return undefined;
  const i = Math.floor(Math.random() * items.length);
  const item = items[i]!;
  items[i] = items[items.length - 1]!;
  items.pop();
  return item;
}

export function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface LoadOptions {
  concurrency: number;
  /** Conversations kept open at once. */
  open: number;
  /** The open conversations; pass the same array to consecutive runs to carry them over. */
  pool?: Session[];
  newSession: () => Session | undefined;
  /** Time-bounded run: warm-up, then the measured window. */
  warmupMs?: number;
  durationMs?: number;
}

/** Runs until the deadline (or, without one, until `newSession` returns undefined and every conversation is over). */
export async function runLoad(post: Post, options: LoadOptions): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  let finished = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const measureFrom = started + (options.warmupMs ?? 0);
  const deadline = options.durationMs === undefined ? Infinity : measureFrom + options.durationMs;
  const queue: Session[] = options.pool ?? [];
  let exhausted = false;
  const fill = () => {
    while (!exhausted && queue.length < options.open) {
      const session = options.newSession();
      if (session) queue.push(session);
      else exhausted = true;
    }
  };
  fill();
  const timed: Post = async (activity) => {
    const t0 = performance.now();
    const reply = await post(activity);
    const t1 = performance.now();
    if (t0 >= measureFrom && t1 <= deadline) latencies.push(t1 - t0);
    return reply;
  };
  let inFlight = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const session = takeAny(queue);
      if (!session) {
        if (exhausted && inFlight === 0) return;
        await new Promise((resolve) => setImmediate(resolve)); // the others' conversations are all busy
        continue;
      }
      inFlight += 1;
      let done: boolean;
      try {
        done = await session.step(timed);
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
        done = true; // abandon a conversation that went wrong
      }
      inFlight -= 1;
      if (done) {
        finished += 1;
        fill();
      } else queue.push(session);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const end = Math.min(performance.now(), deadline);
  const seconds = (end - Math.min(measureFrom, end)) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    turns: latencies.length,
    seconds,
    turnsPerSecond: seconds > 0 ? latencies.length / seconds : 0,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : 0,
    errors,
    conversationsFinished: finished,
    ...(firstError ? { firstError } : {}),
    latencies: sorted,
  };
}
