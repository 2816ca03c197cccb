// Hands an escalation to a ticketing system as JSON over HTTPS. The escalation id travels as the
// Idempotency-Key, so a receiver that sees a retry of a ticket it already opened can ignore it.
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

export class WebhookDeliverer implements Deliverer {
  readonly target = 'webhook';

  constructor(
    private readonly url: string,
    private readonly secret: string | undefined,
    private readonly timeoutMs: number,
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
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the help-desk webhook answered HTTP ${response.status}`);
  }
}
