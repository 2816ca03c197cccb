// A bounded load loop: `concurrency` workers, each running its script of turns back to back until the
// time is up. Every POST is timed; nothing leaves loopback.

export interface Figures {
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export type Post = (body: unknown) => Promise<unknown>;

export function poster(url: string, onLatency: (ms: number) => void, onError: () => void): Post {
  return async (body) => {
    const started = performance.now();
    const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    onLatency(performance.now() - started);
    if (!response.ok) onError();
    return text ? JSON.parse(text) : undefined;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `script(worker, post)` repeatedly on each worker for `durationMs`; returns the figures. */
export async function runLoad(
  url: string,
  options: { concurrency: number; durationMs: number },
  script: (worker: number, round: number, post: Post) => Promise<void>,
): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const post = poster(url, (ms) => latencies.push(ms), () => (errors += 1));
  const started = performance.now();
  const deadline = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, worker) => {
      for (let round = 0; performance.now() < deadline; round++) await script(worker, round, post);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    turns: latencies.length,
    seconds,
    turnsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}
