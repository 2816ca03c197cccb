// Posts an escalation into the help desk's Teams channel as a proactive message: the channel's
// conversation reference is all the bot needs, and CloudAdapter signs the call with the bot's identity.
import type { Activity, CloudAdapter } from 'botbuilder';
import { CardFactory, MessageFactory } from 'botbuilder';
import type { HelpdeskAddress, HelpdeskDirectory } from '../escalation/helpdesk';
import type { Deliverer, OutboxEntry } from '../escalation/outbox';
import { type Language, translatorFor } from '../i18n';
import { renderHandoffCard } from '../rendering/screens';
import { postProactively } from './proactive';

export class TeamsChannelDeliverer implements Deliverer {
  readonly target = 'teamsChannel';

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly directory: HelpdeskDirectory,
    private readonly language: Language,
  ) {}

  async isConfigured(): Promise<boolean> {
    return (await this.directory.address()) !== undefined;
  }

  async deliver({ record }: OutboxEntry): Promise<void> {
    const address = await this.directory.address();
    if (!address) throw new Error('no help-desk channel is registered; type "register help desk" in the channel');
    await this.post(address, MessageFactory.attachment(CardFactory.adaptiveCard(renderHandoffCard(record, this.language))));
  }

  /** Tells the channel that no longer receives escalations where they went, so a move is never silent. */
  async announceMove(previous: HelpdeskAddress, now: HelpdeskAddress): Promise<void> {
    const t = translatorFor(this.language);
    await this.post(previous, MessageFactory.text(t('helpdesk.moved', { name: now.registeredBy ?? '?' })));
  }

  private async post(address: HelpdeskAddress, activity: Partial<Activity>): Promise<void> {
    await postProactively(this.adapter, this.appId, address, 'channel', activity);
  }
}
