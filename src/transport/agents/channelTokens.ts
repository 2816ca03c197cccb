// The Bot Framework token check for the Agents SDK transport. The SDK's own check (authorizeJWT) cannot serve
// the door: it fetches the keys of a Bot Framework token from login.botframework.com whatever the bot is
// configured with (BotOpenIdMetadata is ignored), and it answers every failure, the key endpoint's included,
// with 401 and its own text. This checks what botbuilder's channel validation checks, with the libraries the
// SDK itself uses for it (jsonwebtoken, jwks-rsa), and keeps "the keys are out of reach" apart.
import jwt, { type JwtPayload } from 'jsonwebtoken';
import jwksRsa, { type JwksClient } from 'jwks-rsa';

const PUBLIC_METADATA = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
const CHANNEL_ISSUER = 'https://api.botframework.com';
/** The clock skew botbuilder and the Agents SDK both allow. */
const CLOCK_TOLERANCE_SECONDS = 300;
const FETCH_TIMEOUT_MS = 10_000;

/** The key endpoint could not be reached or answered nonsense: not the sender's fault, try again later. */
export class KeysOutOfReach extends Error {
  override name = 'KeysOutOfReach';
}

export class BadToken extends Error {
  override name = 'BadToken';
}

export class ChannelTokens {
  private keys: Promise<JwksClient> | undefined;

  constructor(
    private readonly appId: string,
    private readonly metadataUrl = PUBLIC_METADATA,
  ) {}

  /** The token's verified claims, for a request carrying `activity`; throws KeysOutOfReach or BadToken. */
  async verify(authorization: string, activity: { serviceUrl?: unknown }): Promise<JwtPayload> {
    const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
    const decoded = token ? jwt.decode(token, { complete: true }) : null;
    if (!token || !decoded || typeof decoded.payload === 'string') throw new BadToken('not a JWT bearer token');
    const key = await this.signingKey(decoded.header.kid);
    let claims: JwtPayload;
    try {
      claims = jwt.verify(token, key, {
        algorithms: ['RS256', 'RS384', 'RS512'],
        audience: this.appId,
        issuer: CHANNEL_ISSUER,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }) as JwtPayload;
    } catch (error) {
      throw new BadToken(error instanceof Error ? error.message : 'unverifiable');
    }
    // A token the channel issued for one serviceUrl must not send the bot's replies to another.
    if (claims.serviceurl !== activity.serviceUrl) throw new BadToken('the serviceurl claim does not match the activity');
    return claims;
  }

  private async signingKey(kid: string | undefined): Promise<string> {
    const client = await this.client();
    try {
      return (await client.getSigningKey(kid)).getPublicKey();
    } catch (error) {
      if (error instanceof jwksRsa.SigningKeyNotFoundError || error instanceof jwksRsa.JwksRateLimitError) throw new BadToken(error.message);
      throw new KeysOutOfReach(error instanceof Error ? error.message : 'the key set could not be read');
    }
  }

  /** The key set named by the OpenID metadata, found once; a failed look-up is tried again on the next token. */
  private client(): Promise<JwksClient> {
    this.keys ??= this.discover().catch((error: unknown) => {
      this.keys = undefined;
      throw new KeysOutOfReach(error instanceof Error ? error.message : 'the OpenID metadata could not be read');
    });
    return this.keys;
  }

  private async discover(): Promise<JwksClient> {
    const response = await fetch(this.metadataUrl, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`the OpenID metadata answered ${response.status}`);
    const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: unknown };
    if (typeof jwksUri !== 'string') throw new Error('the OpenID metadata names no jwks_uri');
    // Unknown key ids refetch the set: bounded, so a flood of forged tokens cannot turn into a flood of fetches.
    return jwksRsa({ jwksUri, cache: true, rateLimit: true, jwksRequestsPerMinute: 10, timeout: FETCH_TIMEOUT_MS });
  }
}
