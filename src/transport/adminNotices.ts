// Tells the admin who escalated how the delivery of their case went, in their own conversation with the bot
// and their own language: which help-desk target has it, or which one has not taken it for a while.
import type { CloudAdapter } from 'botbuilder';
import { MessageFactory } from 'botbuilder';
import { ADMIN_TARGET, type Deliverer, type OutboxEntry } from '../escalation/outbox';
import { translatorFor } from '../i18n';
import { conversationKind, postProactively } from './proactive';

export class AdminNoticeDeliverer implements Deliverer {
  readonly target = ADMIN_TARGET;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

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
    await postProactively(this.adapter, this.appId, replyTo, conversationKind(replyTo), MessageFactory.text(text));
  }
}
