// The transport on botbuilder 4.23 (the Bot Framework SDK, out of support since 2025-12-31; the default):
// TeamsAdapter (./adapter) checks tokens and runs turns, and proactive messages go through
// continueConversationAsync, which needs only the conversation's address to sign and send.
import { type Activity, type CloudAdapter, CardFactory, EventFactory, MessageFactory, TurnContext } from 'botbuilder';
import type { BotIdentity } from '../config';
import type { Logger } from '../logging';
import { type Authenticated, TeamsAdapter } from './adapter';
import { type ConversationAddress, type ConversationKind, type Outgoing, type Transport, type Turn, inProactiveTurn, reportTurnFailure } from './transport';

function activityOf(message: Outgoing): Partial<Activity> {
  return 'card' in message ? MessageFactory.attachment(CardFactory.adaptiveCard(message.card)) : MessageFactory.text(message.text);
}

function turnOf(context: TurnContext): Turn {
  return {
    activity: context.activity,
    removeRecipientMention: () => TurnContext.removeRecipientMention(context.activity) ?? '',
    send: async (messages) => {
      await context.sendActivities(messages.map(activityOf));
    },
    answerInvoke: async (status, body) => {
      await context.sendActivity({ type: 'invokeResponse', value: { status, body } });
    },
    initiateHandoff: async (handoffContext, transcript) => {
      await context.sendActivity(EventFactory.createHandoffInitiation(context, handoffContext, { activities: transcript.map((line) => MessageFactory.text(line)) } as never));
    },
  };
}

async function inConversation<T>(adapter: CloudAdapter, appId: string, address: ConversationAddress, kind: ConversationKind, work: (context: TurnContext) => Promise<T>): Promise<T> {
  const reference = {
    channelId: address.channelId,
    serviceUrl: address.serviceUrl,
    conversation: { id: address.conversationId, isGroup: kind === 'channel', conversationType: kind, tenantId: address.tenantId, name: '' },
  };
  return inProactiveTurn((callback) => adapter.continueConversationAsync(appId, reference, callback), work);
}

export class BotbuilderTransport implements Transport<Authenticated> {
  private readonly adapter: TeamsAdapter;
  private readonly appId: string;

  constructor(identity: BotIdentity | undefined, log: Logger) {
    this.adapter = new TeamsAdapter(identity);
    this.appId = identity?.appId ?? '';
    this.adapter.onTurnError = (context, error) => reportTurnFailure(log, error, context.activity, (text) => context.sendActivity(text));
  }

  authenticate(activity: object, authorization: string) {
    return this.adapter.authenticate(activity as Activity, authorization);
  }

  runTurn(caller: Authenticated, activity: object, logic: (turn: Turn) => Promise<void>) {
    return this.adapter.runTurn(caller, activity as Activity, (context) => logic(turnOf(context)));
  }

  post(address: ConversationAddress, kind: ConversationKind, message: Outgoing): Promise<string | undefined> {
    return inConversation(this.adapter, this.appId, address, kind, async (context) => (await context.sendActivity(activityOf(message)))?.id);
  }

  /** PUT /v3/conversations/{conversation}/activities/{activity}. */
  async update(address: ConversationAddress, kind: ConversationKind, activityId: string, message: Outgoing): Promise<void> {
    await inConversation(this.adapter, this.appId, address, kind, async (context) => {
      await context.updateActivity({ ...activityOf(message), id: activityId });
    });
  }
}
