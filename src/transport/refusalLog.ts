// Refused requests are the cheapest way to flood the log: each kind of refusal is logged once per window,
// and the rest are counted and logged as one line when the window closes.
import type { Logger } from '../logging';
import { countRefusal } from '../telemetry';

const WINDOW_MS = 60_000;

export class RefusalLog {
  private readonly counts = new Map<string, { status: number; count: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly log: Logger) {}

  note(status: number, code: string, details: Record<string, unknown> = {}): void {
    countRefusal(code);
    const seen = this.counts.get(code);
    if (seen) {
      seen.count++;
      return;
    }
    this.counts.set(code, { status, count: 0 });
    this.log.warn({ status, code, ...details }, 'request refused');
    this.timer ??= setTimeout(() => this.flush(), WINDOW_MS).unref();
  }

  /** Logs what was counted since the window opened, and opens a new one at the next refusal. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const [code, { status, count }] of this.counts) {
      if (count > 0) this.log.warn({ status, code, count, windowMs: WINDOW_MS }, 'more requests refused');
    }
    this.counts.clear();
  }
}
