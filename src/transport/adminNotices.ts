// Tells the admin who escalated how the delivery of their case went, in their own conversation with the bot
// and their own language: which help-desk target has it, or which one has not taken it for a while.
import { ADMIN_TARGET, type Deliverer, type OutboxEntry } from '../escalation/outbox';
import { translatorFor } from '../i18n';
import { type Transport, conversationKind } from './transport';

export class AdminNoticeDeliverer implements Deliverer {
  readonly target = ADMIN_TARGET;

  constructor(private readonly transport: Transport) {}

  async isConfigured(): Promise<boolean> {
    return true;
  }

  async deliver({ record, notice, replyTo }: OutboxEntry): Promise<void> {
    if (!notice || !replyTo) return; // nothing to say, or nowhere to say it: done
    const t = translatorFor(record.language);
    const target = t(`helpdesk.targets.${notice.target}`);
    const text =
      notice.kind === 'accepted'
        ? t('delivery.accepted', { id: record.id, target })
        : t('delivery.late', { id: record.id, target, minutes: notice.minutes });
    await this.transport.post(replyTo, conversationKind(replyTo), { text });
  }
}
