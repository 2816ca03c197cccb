// What the bot tells an operator's monitoring: turn latency, the outbox's backlog, deliveries and refused
// requests, as OpenTelemetry metrics and spans. Only @opentelemetry/api here: until start.ts registers an
// SDK (OTEL_EXPORTER_OTLP_ENDPOINT or APPLICATIONINSIGHTS_CONNECTION_STRING set) every call is a no-op.
//
// Every attribute value comes from a fixed vocabulary the code itself names (a flow state, a target, a
// refusal code): nothing an admin typed, no user's name or id, so no attribute can carry a secret.
import { type Attributes, type Counter, type Histogram, type Meter, type ObservableGauge, SpanKind, SpanStatusCode, metrics, trace } from '@opentelemetry/api';

const SCOPE = 'popimap-bot';
const tracer = trace.getTracer(SCOPE);

interface Instruments {
  meter: Meter;
  turnDuration: Histogram;
  deliveries: Counter;
  refused: Counter;
  backlogEntries: ObservableGauge;
  backlogOldestAge: ObservableGauge;
}

let instruments: Instruments | undefined;

/**
 * Made at first use, not when this module loads: the API hands a meter asked for before the SDK is registered
 * a no-op for good, and the bot's modules load before start.ts runs.
 */
function made(): Instruments {
  if (instruments) return instruments;
  const meter = metrics.getMeter(SCOPE);
  instruments = {
    meter,
    turnDuration: meter.createHistogram('popimap.turn.duration', {
      unit: 's',
      description: "The bot's time for one turn, from the activity read to the answer drawn, by the flow state after it",
      advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
    }),
    deliveries: meter.createCounter('popimap.outbox.deliveries', { unit: '{delivery}', description: 'Outbox sends, by target and outcome' }),
    refused: meter.createCounter('popimap.requests.refused', { unit: '{request}', description: 'Requests refused at the door, by reason (the refusal code)' }),
    backlogEntries: meter.createObservableGauge('popimap.outbox.backlog', { unit: '{entry}', description: 'Outbox entries not yet delivered' }),
    backlogOldestAge: meter.createObservableGauge('popimap.outbox.oldest_age', { unit: 's', description: 'Age of the oldest undelivered outbox entry' }),
  };
  return instruments;
}

/** Only what kind of error it was (its class), never its message: a message may quote what was sent. */
function failed(span: ReturnType<typeof tracer.startSpan>, error: unknown): void {
  span.setAttribute('error.type', error instanceof Error ? error.name : 'unknown');
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** A turn as the conversation answered it: the flow state it left (absent for the help desk's and case turns). */
export interface TurnSummary {
  state?: string;
  duplicate?: boolean;
}

/** One span and one latency point per turn; `kind` is welcome, text or action. */
export async function observeTurn<R extends TurnSummary>(kind: string, handle: () => Promise<R>): Promise<R> {
  // A server span: Application Insights shows it as a request, the way a turn arrives.
  const span = tracer.startSpan('turn', { kind: SpanKind.SERVER });
  const started = performance.now();
  const attributes: Attributes = { 'turn.kind': kind, 'turn.state': 'none', 'turn.outcome': 'failed' };
  try {
    const result = await handle();
    attributes['turn.state'] = result.state ?? 'none';
    attributes['turn.outcome'] = result.duplicate ? 'duplicate' : 'answered';
    return result;
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.setAttributes(attributes);
    span.end();
    made().turnDuration.record((performance.now() - started) / 1000, attributes);
  }
}

/** One span and one count per send of an outbox entry to its target. */
export async function observeDelivery(target: string, attempt: number, send: () => Promise<void>): Promise<void> {
  const span = tracer.startSpan('outbox delivery', { kind: SpanKind.CLIENT, attributes: { 'delivery.target': target, 'delivery.attempt': attempt } });
  let outcome = 'failed';
  try {
    await send();
    outcome = 'delivered';
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.setAttribute('delivery.outcome', outcome);
    span.end();
    made().deliveries.add(1, { 'delivery.target': target, 'delivery.outcome': outcome });
  }
}

/** `reason` is the refusal's code (UnsupportedMediaType, Unauthorized, ...), as the caller is told it. */
export function countRefusal(reason: string): void {
  made().refused.add(1, { 'refusal.reason': reason });
}

/** Reports the outbox's backlog at each collection, from `read`; returns how to stop (before the store closes). */
export function observeBacklog(read: () => Promise<{ entries: number; oldestAgeMs: number }>): () => void {
  const { meter, backlogEntries, backlogOldestAge } = made();
  const observe = async (result: { observe(gauge: ObservableGauge, value: number): void }) => {
    const { entries, oldestAgeMs } = await read();
    result.observe(backlogEntries, entries);
    result.observe(backlogOldestAge, oldestAgeMs / 1000);
  };
  meter.addBatchObservableCallback(observe, [backlogEntries, backlogOldestAge]);
  return () => meter.removeBatchObservableCallback(observe, [backlogEntries, backlogOldestAge]);
}
