// Sends one party (the admin, or the help-desk channel) the messages a case file has queued for it, first
// first, marking each sent before the next: a courier that stops halfway (a failed send, a restart, a lease
// taken over by another instance) leaves the rest queued, and whoever sends next starts where it stopped.
import type { Recipient } from '../casework/messages';
import { type CaseFile, COURIER_TARGETS, type Casework, type Queued } from './caseFile';
import type { Deliverer, OutboxEntry } from './outbox';

/** Puts one message in front of its party; throws to be tried again later. */
export type CaseSend = (message: Queued, file: CaseFile) => Promise<void>;

export class CaseCourier implements Deliverer {
  readonly courier = true;
  readonly target: string;

  constructor(
    private readonly casework: Casework,
    private readonly to: Recipient,
    private readonly send: CaseSend,
  ) {
    this.target = COURIER_TARGETS[to];
  }

  async isConfigured(): Promise<boolean> {
    return true;
  }

  async deliver({ record }: OutboxEntry, stop: AbortSignal): Promise<void> {
    // Read once; then each mark answers what is left. A message queued after the last mark is the outbox's to
    // find: it looks again (hasMore) once this courier's entry is gone.
    let waiting = await this.casework.pendingFor(record.id, this.to);
    for (;;) {
      stop.throwIfAborted();
      const next = waiting?.pending[0];
      if (!waiting || !next) return; // all sent, or the case file is gone: nothing left to say
      // A redraw draws the case as it stands now, so one still to come makes this one needless.
      const redrawnLater = next.to === 'channel' && next.kind === 'card' && waiting.pending.some((m) => m.seq > next.seq && m.to === 'channel' && m.kind === 'card');
      if (redrawnLater) {
        // Not marked on its own: the mark of the next message sent covers it, and a courier stopped before then
        // leaves it queued, to be passed over again.
        waiting = { ...waiting, pending: waiting.pending.slice(1) };
        continue;
      }
      await this.send(next, waiting.file);
      waiting = await this.casework.markSent(record.id, this.to, next.seq, waiting);
    }
  }

  async hasMore({ record }: OutboxEntry): Promise<boolean> {
    return ((await this.casework.pendingFor(record.id, this.to))?.pending.length ?? 0) > 0;
  }
}
