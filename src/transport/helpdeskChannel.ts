// Posts an escalation into the help desk's Teams channel as a proactive message: the channel's
// conversation reference is all the bot needs, and CloudAdapter signs the call with the bot's identity.
import type { CloudAdapter } from 'botbuilder';
import { CardFactory, MessageFactory } from 'botbuilder';
import type { HandoffRecord } from '../escalation/handoff';
import type { HelpdeskDirectory } from '../escalation/helpdesk';
import type { Deliverer } from '../escalation/outbox';
import type { Language } from '../i18n';
import { renderHandoffCard } from '../rendering/screens';

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

  async deliver(record: HandoffRecord): Promise<void> {
    const address = await this.directory.address();
    if (!address) throw new Error('no help-desk channel is registered; type "register help desk" in the channel');
    const reference = {
      channelId: address.channelId,
      serviceUrl: address.serviceUrl,
      conversation: { id: address.conversationId, isGroup: true, conversationType: 'channel', tenantId: address.tenantId, name: '' },
    };
    const card = CardFactory.adaptiveCard(renderHandoffCard(record, this.language));
    // The adapter hands an error inside the callback to onTurnError and resolves as if all went well;
    // the outbox must hear of it instead, to keep the escalation and try again later.
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      try {
        await context.sendActivity(MessageFactory.attachment(card));
      } catch (error) {
        failure = error;
      }
    });
    if (failure !== undefined) throw failure;
  }
}
