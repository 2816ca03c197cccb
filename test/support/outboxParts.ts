// What the outbox suites that run instances on a real SQLite file share: a silent log, a help-desk target that
// takes its time and remembers what it was sent, and a case record with nothing but an id.
import type { HandoffRecord } from '../../src/escalation/handoff';
import type { Deliverer, OutboxEntry } from '../../src/escalation/outbox';

export const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A help-desk target that takes `ms` to accept each case, and remembers every send. */
export class SlowTarget implements Deliverer {
  readonly target = 'webhook';
  readonly sends: string[] = [];
  constructor(private readonly ms: number) {}
  async isConfigured(): Promise<boolean> {
    return true;
  }
  async deliver({ record }: OutboxEntry): Promise<void> {
    this.sends.push(record.id);
    await new Promise((r) => setTimeout(r, this.ms));
  }
}

export function record(id: string): HandoffRecord {
  return { id, createdAt: new Date().toISOString(), requester: { id: 'u' }, language: 'en', reason: 'asked', journal: [], commands: [] } as unknown as HandoffRecord;
}
