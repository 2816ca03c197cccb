// How every route answers what it will not do: a status, a stable code and a sentence for whoever reads
// it, never an internal error's text; refusals are counted by the rate-limited RefusalLog.
import type { Response } from 'restify';
import type { RefusalLog } from './refusalLog';
import type { Refusal } from './requestBody';

export function problem(res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  res.status(status);
  res.json({ code, message, ...extra });
}

export type Refuse = (res: Response, refusal: Refusal, details?: Record<string, unknown>) => void;

/** Answers refusals and logs them through one RefusalLog. A body left unread is drained and dropped by Node once the answer is sent. */
export function refuser(refusals: RefusalLog): Refuse {
  return (res, refusal, details = {}) => {
    refusals.note(refusal.status, refusal.code, details);
    // A sender still trickling its body loses the connection with the refusal.
    if (refusal.closeConnection) res.header('connection', 'close');
    if (refusal.retryAfterSeconds) res.header('retry-after', String(refusal.retryAfterSeconds));
    problem(res, refusal.status, refusal.code, refusal.message);
  };
}
