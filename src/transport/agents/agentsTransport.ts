// The transport on the Microsoft 365 Agents SDK (@microsoft/agents-hosting), botbuilder's successor: BOT_SDK=agents.
// Its CloudAdapter runs the turns and signs the calls to the connector (MSAL); the door checks tokens itself
// (./channelTokens), as it does on botbuilder, and hands the adapter the verified claims.
import { Activity, type ConversationReference } from '@microsoft/agents-activity';
import { type AuthConfiguration, CardFactory, CloudAdapter, type InvokeResponse, MessageFactory, type ResourceResponse, TurnContext } from '@microsoft/agents-hosting';
import type { JwtPayload } from 'jsonwebtoken';
import type { BotIdentity } from '../../config';
import type { Logger } from '../../logging';
import { UNAUTHORIZED, checkToken } from '../tokenCheck';
import { type Authentication, type ConversationAddress, type ConversationKind, type InvokeAnswer, type Outgoing, type Transport, type Turn, inProactiveTurn, reportTurnFailure } from '../transport';
import { ChannelTokens, KeysOutOfReach } from './channelTokens';

/** Without credentials (on a developer's machine) the bot has no app id to be known by. */
const LOCAL_BOT_ID = 'local-bot';

function authConfiguration(identity: BotIdentity | undefined): AuthConfiguration {
  if (!identity) return {};
  return identity.appType === 'UserAssignedMSI'
    ? { clientId: identity.appId, tenantId: identity.tenantId, authType: 'UserManagedIdentity' }
    : { clientId: identity.appId, clientSecret: identity.appPassword, tenantId: identity.tenantId, authType: 'ClientSecret' };
}

function activityOf(message: Outgoing): Activity {
  return 'card' in message ? MessageFactory.attachment(CardFactory.adaptiveCard(message.card)) : MessageFactory.text(message.text);
}

/**
 * The SDK's CloudAdapter.process authenticates, answers and writes the HTTP response itself; the door does all
 * three, so a turn runs here on claims it verified. The connector client is made on the first send, not before
 * the turn as the SDK does: a turn that sends nothing (typing, a duplicate) fetches no token for it.
 */
class TeamsAgentsAdapter extends CloudAdapter {
  async runTurn(identity: JwtPayload, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    const context = new TurnContext(this, activity, identity);
    await this.runMiddleware(context, logic);
    return this.processTurnResults(context);
  }

  override async sendActivities(context: TurnContext, activities: Activity[]): Promise<ResourceResponse[]> {
    if (activities.some((a) => a.type !== 'invokeResponse' && a.type !== 'trace')) await this.connect(context);
    return super.sendActivities(context, activities);
  }

  override async updateActivity(context: TurnContext, activity: Activity): Promise<ResourceResponse | void> {
    await this.connect(context);
    return super.updateActivity(context, activity);
  }

  private async connect(context: TurnContext): Promise<void> {
    if (context.turnState.get(this.ConnectorClientKey)) return;
    this.setConnectorClient(context, await this.createConnectorClientWithIdentity(context.identity, context.activity));
  }
}

function turnOf(context: TurnContext, recipient: unknown): Turn {
  const { activity } = context;
  return {
    activity: { text: activity.text, name: activity.name, value: activity.value, membersAdded: activity.membersAdded, recipient: recipient as Turn['activity']['recipient'] },
    removeRecipientMention: () => activity.removeRecipientMention(),
    send: async (messages) => {
      if (messages.length > 0) await context.sendActivities(messages.map(activityOf));
    },
    answerInvoke: async (status, body) => {
      await context.sendActivity(Activity.fromObject({ type: 'invokeResponse', value: { status, body } }));
    },
    // The SDK has no factory for it: the event botbuilder's EventFactory.createHandoffInitiation makes.
    initiateHandoff: async (handoffContext, transcript) => {
      await context.sendActivity(
        Activity.fromObject({
          type: 'event',
          name: 'handoff.initiate',
          value: handoffContext,
          relatesTo: activity.getConversationReference(),
          attachments: [{ contentType: 'application/json', name: 'Transcript', content: { activities: transcript.map((line) => MessageFactory.text(line)) } }],
        }),
      );
    },
  };
}

/**
 * The activity with its null fields left out. JSON from a channel may carry `"locale": null` or `"name": null` for
 * a field it has no value for, which botbuilder reads as absent; the SDK's schema refuses the whole activity.
 */
function withoutNulls(body: object): object {
  return JSON.parse(JSON.stringify(body), (_key, value: unknown) => (value === null ? undefined : value)) as object;
}

/** Tokens that fail for any reason but the key endpoint are the sender's: 401. */
function keysOutOfReach(error: unknown): boolean {
  return error instanceof KeysOutOfReach;
}

export class AgentsTransport implements Transport<JwtPayload> {
  private readonly adapter: TeamsAgentsAdapter;
  private readonly tokens: ChannelTokens | undefined;
  /** Who the bot is in a conversation reference: the SDK refuses a reference without one, or with an empty id. */
  private readonly bot: { id: string };
  /** Whose token signs proactive posts: none without credentials, where replies stay on this machine. */
  private readonly identity: JwtPayload;

  constructor(identity: BotIdentity | undefined, log: Logger) {
    this.adapter = new TeamsAgentsAdapter(authConfiguration(identity));
    this.adapter.onTurnError = (context, error) => reportTurnFailure(log, error, context.activity, (text) => context.sendActivity(text));
    this.tokens = identity ? new ChannelTokens(identity.appId, identity.openIdMetadataUrl) : undefined;
    this.bot = { id: identity?.appId ?? LOCAL_BOT_ID };
    this.identity = identity ? CloudAdapter.createIdentity(identity.appId) : {};
  }

  authenticate(activity: object, authorization: string): Promise<Authentication<JwtPayload>> {
    const { tokens } = this;
    // Without credentials the sender is anonymous and the door lets only loopback replies through; a token then
    // cannot be for this bot, which has no app id (botbuilder refuses it too).
    if (!tokens) return Promise.resolve(authorization ? { refusal: UNAUTHORIZED, reason: 'a token, but no app id to check it for' } : { caller: {} });
    return checkToken(() => tokens.verify(authorization, activity as { serviceUrl?: unknown }), keysOutOfReach);
  }

  async runTurn(caller: JwtPayload, body: object, logic: (turn: Turn) => Promise<void>): Promise<InvokeAnswer | undefined> {
    const read = withoutNulls(body) as { recipient?: unknown };
    // The SDK cannot address a reply without a recipient (the bot): one that names none is answered as the bot.
    const activity = Activity.fromObject({ ...read, recipient: read.recipient ?? this.bot });
    return this.adapter.runTurn(caller, activity, (context) => logic(turnOf(context, read.recipient)));
  }

  post(address: ConversationAddress, kind: ConversationKind, message: Outgoing): Promise<string | undefined> {
    return this.inConversation(address, kind, async (context) => (await context.sendActivity(activityOf(message)))?.id);
  }

  async update(address: ConversationAddress, kind: ConversationKind, activityId: string, message: Outgoing): Promise<void> {
    await this.inConversation(address, kind, async (context) => {
      const update = activityOf(message);
      update.id = activityId;
      await context.updateActivity(update);
    });
  }

  private async inConversation<T>(address: ConversationAddress, kind: ConversationKind, work: (context: TurnContext) => Promise<T>): Promise<T> {
    const reference: ConversationReference = {
      channelId: address.channelId,
      serviceUrl: address.serviceUrl,
      agent: this.bot,
      conversation: { id: address.conversationId, isGroup: kind === 'channel', conversationType: kind, ...(address.tenantId ? { tenantId: address.tenantId } : {}) },
    };
    return inProactiveTurn((callback) => this.adapter.continueConversation(this.identity, reference, callback), work);
  }
}
