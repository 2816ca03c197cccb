// What the telemetry hooks cost a turn:   npm run build && npx node bench/telemetry.mts
// Times, from dist/, a turn's wrapper (observeTurn), a delivery's (observeDelivery) and a refusal's count
// against the same work unwrapped, in two processes: telemetry off (no SDK, the default: the API's no-ops),
// and on (the SDK registered, recording into memory, exporting nothing meanwhile). Prints nanoseconds per call.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const CALLS = 200_000;
const ROUNDS = 5;

interface Hooks {
  observeTurn<R>(kind: string, handle: () => Promise<R>): Promise<R>;
  observeDelivery(target: string, attempt: number, send: () => Promise<void>): Promise<void>;
  countRefusal(reason: string): void;
}

/** Nanoseconds per call, the best of ROUNDS: the machine is shared, and the least disturbed round is the cost. */
async function perCall(run: () => Promise<unknown> | unknown): Promise<number> {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) await run();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / CALLS);
  }
  return best;
}

function registerSdk(): void {
  const { metrics, trace } = require('@opentelemetry/api');
  const { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } = require('@opentelemetry/sdk-trace-base');
  const { MeterProvider, PeriodicExportingMetricReader, InMemoryMetricExporter, AggregationTemporality } = require('@opentelemetry/sdk-metrics');
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new InMemorySpanExporter())] }));
  metrics.setGlobalMeterProvider(
    new MeterProvider({
      readers: [new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3_600_000 })],
    }),
  );
}

async function measure(mode: 'off' | 'on'): Promise<Record<string, number>> {
  if (mode === 'on') registerSdk();
  const hooks = require('../dist/telemetry/index.js') as Hooks;
  const answer = { state: 'gathering', cards: [] };
  const work = async () => answer;
  const send = async () => undefined;
  const bare = await perCall(work);
  return {
    turn: (await perCall(() => hooks.observeTurn('text', work))) - bare,
    delivery: (await perCall(() => hooks.observeDelivery('webhook', 1, send))) - bare,
    refusal: await perCall(() => hooks.countRefusal('UnsupportedMediaType')),
  };
}

if (process.argv[2] === 'off' || process.argv[2] === 'on') {
  process.stdout.write(JSON.stringify(await measure(process.argv[2])));
} else {
  for (const mode of ['off', 'on'] as const) {
    // Each in its own process: the instruments are made once, on or off for good.
    const child = spawnSync(process.execPath, [import.meta.filename, mode], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    const figures = JSON.parse(child.stdout) as Record<string, number>;
    console.log(`telemetry ${mode}: ${Object.entries(figures).map(([hook, ns]) => `${hook} +${Math.max(0, Math.round(ns))} ns`).join(', ')} per call`);
  }
}
