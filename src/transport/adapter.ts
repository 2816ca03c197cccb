// The Bot Framework adapter, with the token check lifted out of its request handling. CloudAdapter.process
// answers a forged or unverifiable token with 500, botbuilder's own message and a stack on stderr; the door
// checks the token itself first, and answers 401 or 503 with nothing from inside.
import { type Activity, CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { BotIdentity } from '../config';
import { ReusingAuthentication } from './reusedClients';
import { checkToken } from './tokenCheck';
import type { Authentication } from './transport';

type BotAuthentication = ConfigurationBotFrameworkAuthentication;
export type Authenticated = Awaited<ReturnType<BotAuthentication['authenticateRequest']>>;

const PUBLIC_CLOUD = 'https://api.botframework.com';

function authentication(identity: BotIdentity | undefined): BotAuthentication {
  const credentials = {
    MicrosoftAppId: identity?.appId ?? '',
    MicrosoftAppPassword: identity?.appPassword ?? '',
    MicrosoftAppType: identity?.appType ?? '',
    MicrosoftAppTenantId: identity?.tenantId ?? '',
  };
  if (!identity?.openIdMetadataUrl) return new ReusingAuthentication(credentials);
  // Given one endpoint, botbuilder drops its public-cloud defaults for all the others: they are restated here.
  return new ReusingAuthentication({
    ...credentials,
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: PUBLIC_CLOUD,
    ToBotFromChannelTokenIssuer: PUBLIC_CLOUD,
    OAuthUrl: PUBLIC_CLOUD,
    ToBotFromChannelOpenIdMetadataUrl: identity.openIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
    CallerId: CallerIdConstants.PublicAzureChannel,
  });
}

/**
 * botbuilder fails a token in three ways: its AuthenticationError with 401 (forged, expired, not for this bot),
 * the same with a 5xx status (the key endpoint answered with an error), or node-fetch's FetchError (the key
 * endpoint could not be reached or answered garbage). Anything else it throws is a token it could not verify.
 */
function keysOutOfReach(error: unknown): boolean {
  const { name, statusCode } = (error ?? {}) as { name?: unknown; statusCode?: unknown };
  return name === 'FetchError' || (typeof statusCode === 'number' && statusCode >= 500);
}

export class TeamsAdapter extends CloudAdapter {
  constructor(identity: BotIdentity | undefined) {
    super(authentication(identity));
  }

  /** Who sent the activity, or the refusal to answer with and botbuilder's reason, for the log only. */
  authenticate(activity: Activity, authorization: string): Promise<Authentication<Authenticated>> {
    return checkToken(() => this.botFrameworkAuthentication.authenticateRequest(activity, authorization), keysOutOfReach);
  }

  /** Runs the turn of an authenticated activity; an invoke's answer comes back to be sent as the HTTP response. */
  runTurn(authenticated: Authenticated, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authenticated, activity, logic);
  }
}
