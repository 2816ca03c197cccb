// Posts an escalation into the help desk's Teams channel as a proactive message: the channel's
// conversation reference is all the bot needs, and the transport signs the call with the bot's identity.
// The card is the case card: where it lands is recorded in the case file, so that every later change
// redraws it in place and replies under it (./caseDelivery).
import { caseStatus, newCase } from '../casework/step';
import { CHANNEL_TARGET, type Casework } from '../escalation/caseFile';
import type { HelpdeskAddress, HelpdeskDirectory } from '../escalation/helpdesk';
import type { Deliverer, OutboxEntry } from '../escalation/outbox';
import { type Language, translatorFor } from '../i18n';
import { type CaseView, renderCaseCard } from '../rendering/caseCards';
import type { Outgoing, Transport } from './transport';

/** A case as it stands before anything happened to it. */
function freshCase(record: OutboxEntry['record']): CaseView {
  const snapshot = newCase();
  return { id: record.id, record, status: caseStatus(snapshot), context: snapshot.context, rev: 0 };
}

const RECORD_ATTEMPTS = 4;

export class TeamsChannelDeliverer implements Deliverer {
  readonly target = CHANNEL_TARGET;

  constructor(
    private readonly transport: Transport,
    private readonly directory: HelpdeskDirectory,
    private readonly language: Language,
    private readonly casework: Casework,
  ) {}

  async isConfigured(): Promise<boolean> {
    return (await this.directory.address()) !== undefined;
  }

  async deliver({ record }: OutboxEntry): Promise<void> {
    const address = await this.directory.address();
    if (!address) throw new Error('no help-desk channel is registered; type "register help desk" in the channel');
    const file = (await this.casework.read(record.id))?.value;
    // Posted and recorded before (this is a retry after the outbox lost track): a second card would split the case.
    if (file?.post) return;
    // The case as it stands now, if it moved before its card got here (a ticket number): its buttons must carry
    // the case's revision, or their first click would be refused as stale.
    const card = renderCaseCard(file ?? freshCase(record), this.language);
    const activityId = await this.post(address, { card });
    if (activityId) await this.recordPost(record.id, { conversationId: address.conversationId, activityId });
  }

  /**
   * The card is in the channel: failing to record it now means posting a second one on the retry, so a store
   * blip is ridden out here first.
   */
  private async recordPost(id: string, post: { conversationId: string; activityId: string }): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.casework.recordPost(id, post);
      } catch (error) {
        if (attempt >= RECORD_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  /** Tells the channel that no longer receives escalations where they went, so a move is never silent. */
  async announceMove(previous: HelpdeskAddress, now: HelpdeskAddress): Promise<void> {
    const t = translatorFor(this.language);
    await this.post(previous, { text: t('helpdesk.moved', { name: now.registeredBy ?? '?' }) });
  }

  private async post(address: HelpdeskAddress, message: Outgoing): Promise<string | undefined> {
    return this.transport.post(address, 'channel', message);
  }
}
