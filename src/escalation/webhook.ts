// Hands an escalation to a ticketing system as JSON over HTTPS. The escalation id travels as the
// Idempotency-Key, so a receiver that sees a retry of a ticket it already opened can ignore it. Its answer
// may name the ticket it opened (`{ "ticketId": … }` or `{ "number": … }`), which the case then carries.
import { createHmac } from 'node:crypto';
import { supportStatus } from '../content/catalog';
import { translatorFor } from '../i18n';
import type { HandoffRecord } from './handoff';
import type { Deliverer, OutboxEntry } from './outbox';
import { caseSummary } from './summary';

// @2 adds fields to @1 and changes none, so a receiver written for @1 reads it as before (README: Escalation).
export const WEBHOOK_SCHEMA = 'popimap-bot/escalation@2';

export function webhookPayload(record: HandoffRecord): object {
  const summaries: Record<string, string> = { en: caseSummary(record, translatorFor('en')) };
  if (record.language !== 'en') summaries[record.language] = caseSummary(record, translatorFor(record.language));
  return { schema: WEBHOOK_SCHEMA, ...record, support: supportStatus(record.details?.version), summaries };
}

/** A ticket number as long and as plain as a person would read it back: no control or invisible characters. */
const TICKET_ID = /^[^\p{C}]{1,64}$/u;
/** More than any answer naming a ticket needs: a bigger one is not read. */
const ANSWER_LIMIT = 16 * 1024;

/** Whatever the answer is, a missing or odd ticket number is simply not recorded: the case was accepted. */
function ticketIdOf(answer: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(answer);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  for (const field of ['ticketId', 'number']) {
    const value = (body as Record<string, unknown>)[field];
    const id = typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
    if (id !== undefined && TICKET_ID.test(id)) return id;
  }
  return undefined;
}

async function readAnswer(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString('utf8');
    size += value.length;
    if (size > ANSWER_LIMIT) {
      await reader.cancel();
      return '';
    }
    chunks.push(value);
  }
}

/** The ticketing system named its ticket for escalation `id`. */
export type TicketNamed = (escalationId: string, ticketId: string) => Promise<void>;

export class WebhookDeliverer implements Deliverer {
  readonly target = 'webhook';

  constructor(
    private readonly url: string,
    private readonly secret: string | undefined,
    private readonly timeoutMs: number,
    private readonly onTicket?: TicketNamed,
  ) {}

  async isConfigured(): Promise<boolean> {
    return true;
  }

  async deliver({ record }: OutboxEntry): Promise<void> {
    const body = JSON.stringify(webhookPayload(record));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': record.id };
    // With a shared secret the receiver can tell the bot's posts from anyone else's.
    if (this.secret) headers['x-signature-sha256'] = createHmac('sha256', this.secret).update(body).digest('hex');
    let response: Response;
    try {
      response = await fetch(this.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new Error(`the help-desk webhook could not be reached (${(error as Error).message})`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`the help-desk webhook answered HTTP ${response.status}`);
    }
    // The case is accepted even when its answer cannot be read to the end.
    const ticketId = ticketIdOf(await readAnswer(response).catch(() => ''));
    // A ticket number that cannot be kept fails the delivery, to be tried again with the same Idempotency-Key:
    // a receiver that de-duplicates by it opens no second ticket.
    if (ticketId !== undefined) await this.onTicket?.(record.id, ticketId);
  }
}
