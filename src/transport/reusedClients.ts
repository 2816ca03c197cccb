// botbuilder's CloudAdapter makes a connector client and a user-token client for every turn, each with a new
// Azure HTTP pipeline, credentials and serializer, even for a card click it answers in the HTTP response and
// that sends nothing: a tenth of the bot's CPU per turn (bench/profile.mts). Both depend only on who the bot
// speaks as (the token's app id claims), where (the service URL) and to whom (the audience), and hold nothing of a
// turn (their credentials fetch and refresh their own tokens), so they are made once for each of those and reused.
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';

type Authenticated = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type ClaimsIdentity = Authenticated['claimsIdentity'];
type UserTokenClient = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>>;

/** Service URLs and callers are few (Teams has a handful of regions); a flood of new ones only resets the cache. */
const MAX_KEPT = 64;

/** The claims botbuilder reads the caller's app id from ("appid" in v1 tokens, "azp" in v2) and the audience. */
function callerOf(identity: ClaimsIdentity): string {
  return ['ver', 'appid', 'azp', 'aud'].map((claim) => identity.getClaimValue(claim) ?? '').join('\n');
}

class Kept<T> {
  private readonly made = new Map<string, Promise<T>>();

  get(key: string, make: () => Promise<T>): Promise<T> {
    const known = this.made.get(key);
    if (known) return known;
    if (this.made.size >= MAX_KEPT) this.made.clear();
    const making = make();
    this.made.set(key, making);
    // A client that could not be made (credentials unreachable) is made afresh next time, not kept failing.
    making.catch(() => this.made.delete(key));
    return making;
  }
}

export class ReusingAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new Kept<ConnectorClient>();
  private readonly tokenClients = new Kept<UserTokenClient>();

  override async authenticateRequest(...request: Parameters<ConfigurationBotFrameworkAuthentication['authenticateRequest']>): Promise<Authenticated> {
    const authenticated = await super.authenticateRequest(...request);
    const { connectorFactory } = authenticated;
    return connectorFactory ? { ...authenticated, connectorFactory: this.reusing(connectorFactory, callerOf(authenticated.claimsIdentity)) } : authenticated;
  }

  override createConnectorFactory(identity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(super.createConnectorFactory(identity), callerOf(identity));
  }

  override createUserTokenClient(identity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.tokenClients.get(callerOf(identity), () => super.createUserTokenClient(identity));
  }

  private reusing(factory: ConnectorFactory, caller: string): ConnectorFactory {
    return {
      create: (serviceUrl: string, audience?: string) => this.connectors.get(`${caller}\n${serviceUrl}\n${audience ?? ''}`, () => factory.create(serviceUrl, audience)),
    };
  }
}
