// Bot Framework tokens, real and forged, and a local stand-in for the Bot Framework's OpenID metadata
// (login.botframework.com), so that token checks run against keys of our own and never leave the machine.
import { createHmac, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const ISSUER = 'https://api.botframework.com';

function base64url(value: object | Buffer): string {
  return (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function signingKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

/** The claims the Bot Framework puts in a token for this bot and this serviceUrl, valid for an hour. */
export function channelClaims(appId: string, serviceUrl: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: appId, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600 };
}

export function rs256(claims: object, key: SigningKey, kid = key.kid): string {
  const head = `${base64url({ alg: 'RS256', typ: 'JWT', kid })}.${base64url(claims)}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(key.privateKey).toString('base64url')}`;
}

export function hs256(claims: object, secret: string, kid: string): string {
  const head = `${base64url({ alg: 'HS256', typ: 'JWT', kid })}.${base64url(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

export function unsigned(claims: object, kid: string): string {
  return `${base64url({ alg: 'none', typ: 'JWT', kid })}.${base64url(claims)}.`;
}

/** Serves an OpenID configuration and its key set, as login.botframework.com does. */
export class FakeOpenIdMetadata {
  private server = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    if (req.url === '/v1/.well-known/openidconfiguration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/v1/.well-known/keys') {
      const keys = this.keys.map((key) => ({ ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, kty: 'RSA', use: 'sig', endorsements: ['msteams'] }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys }));
    } else {
      res.writeHead(404);
      res.end();
    }
  });

  constructor(private readonly keys: SigningKey[]) {}

  /** The metadata URL, for the bot's `BotOpenIdMetadata`. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
