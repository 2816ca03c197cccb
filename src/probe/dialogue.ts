// What the probe says to a POP3 (RFC 1939, 2449, 2595) or IMAP4 (RFC 9051, 3501) server, and how it
// reads the answers. Only commands that work before login are here: the probe never logs in, so nothing
// it sends can carry a credential (no USER, PASS, LOGIN or AUTHENTICATE, not even with dummy values).
import type { Protocol } from '../flow/types';
import { ProbeFailure } from './failure';
import type { ProbeStage } from './types';

/** The session as the dialogue sees it; the probe supplies sockets, limits and timeouts behind it. */
export interface Channel {
  send(line: string): void;
  beginResponse(): void;
  readLine(stage: ProbeStage): Promise<string>;
}

export type GreetingKind = 'ok' | 'rejected' | 'otherMailProtocol' | 'unrecognised';

// POP3's "-ERR" and IMAP's "* BYE" greetings mean the service runs but turns connections away (busy,
// connection limit, backend down); the other protocol's greeting means the port serves the other one.
export function classifyGreeting(protocol: Protocol, line: string): GreetingKind {
  const pop3Ok = /^\+OK\b/i.test(line);
  const pop3Err = /^-ERR\b/i.test(line);
  const imapOk = /^\* (OK|PREAUTH)\b/i.test(line);
  const imapBye = /^\* BYE\b/i.test(line);
  if (protocol === 'pop3') return pop3Ok ? 'ok' : pop3Err ? 'rejected' : imapOk || imapBye ? 'otherMailProtocol' : 'unrecognised';
  return imapOk ? 'ok' : imapBye ? 'rejected' : pop3Ok || pop3Err ? 'otherMailProtocol' : 'unrecognised';
}

function has(capabilities: readonly string[], name: string): boolean {
  return capabilities.some((capability) => capability.toUpperCase() === name);
}

export function starttlsOffered(protocol: Protocol, capabilities: readonly string[]): boolean {
  return has(capabilities, protocol === 'pop3' ? 'STLS' : 'STARTTLS');
}

// Meant for the plain connection only: there, any of these lets a client send a password in clear.
// POP3 lists USER and "SASL PLAIN LOGIN …"; IMAP allows LOGIN unless it says LOGINDISABLED.
export function plaintextLoginOffered(protocol: Protocol, capabilities: readonly string[]): boolean {
  if (protocol === 'pop3') {
    return capabilities.some((line) => /^USER$/i.test(line) || /^SASL\b.*\b(PLAIN|LOGIN)\b/i.test(line));
  }
  return !has(capabilities, 'LOGINDISABLED') || has(capabilities, 'AUTH=PLAIN') || has(capabilities, 'AUTH=LOGIN');
}

// Banners and capabilities end up in a chat card and in logs; keep them one printable, bounded line.
const MAX_TEXT = 512;
export function printable(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

export async function readGreeting(channel: Channel): Promise<string> {
  channel.beginResponse();
  return printable(await channel.readLine('greeting'));
}

async function readTagged(channel: Channel, tag: string, stage: ProbeStage, onUntagged: (line: string) => void): Promise<string> {
  for (;;) {
    const line = await channel.readLine(stage);
    if (line.startsWith(`${tag} `)) return line.slice(tag.length + 1);
    if (line.startsWith('* ')) onUntagged(line.slice(2));
    else throw new ProbeFailure('protocol', stage, `unexpected answer: ${printable(line)}`);
  }
}

/**
 * CAPA or CAPABILITY. A server that does not know CAPA (RFC 2449 is optional) yields an empty list,
 * which later reads as "STLS not offered": a client could not discover it either.
 */
export async function readCapabilities(channel: Channel, protocol: Protocol, tag: string, stage: ProbeStage): Promise<string[]> {
  channel.beginResponse();
  if (protocol === 'pop3') {
    channel.send('CAPA');
    const status = await channel.readLine(stage);
    if (/^-ERR\b/i.test(status)) return [];
    if (!/^\+OK\b/i.test(status)) throw new ProbeFailure('protocol', stage, `unexpected answer to CAPA: ${printable(status)}`);
    const capabilities: string[] = [];
    for (let line = await channel.readLine(stage); line !== '.'; line = await channel.readLine(stage)) {
      // A multi-line answer "byte-stuffs" lines that begin with a dot.
      capabilities.push(printable(line.startsWith('.') ? line.slice(1) : line));
    }
    return capabilities;
  }
  channel.send(`${tag} CAPABILITY`);
  const capabilities: string[] = [];
  const status = await readTagged(channel, tag, stage, (untagged) => {
    const listed = /^CAPABILITY (.*)$/i.exec(untagged);
    if (listed) capabilities.push(...listed[1]!.split(' ').filter(Boolean).map(printable));
  });
  return /^OK\b/i.test(status) ? capabilities : [];
}

/** STLS or STARTTLS; resolves when the server said to begin the handshake. */
export async function requestStarttls(channel: Channel, protocol: Protocol, tag: string): Promise<void> {
  channel.beginResponse();
  channel.send(protocol === 'pop3' ? 'STLS' : `${tag} STARTTLS`);
  const answer = protocol === 'pop3' ? await channel.readLine('starttls') : await readTagged(channel, tag, 'starttls', () => undefined);
  if (!/^(\+OK|OK)\b/i.test(answer)) {
    // Exchange answers this way when no usable certificate is bound to POP3/IMAP4.
    throw new ProbeFailure('tls', 'starttls', `the server refused to start TLS: ${printable(answer)}`);
  }
}

/** QUIT or LOGOUT, so that the server logs an orderly end rather than a dropped connection. */
export async function sayGoodbye(channel: Channel, protocol: Protocol, tag: string): Promise<void> {
  channel.beginResponse();
  if (protocol === 'pop3') {
    channel.send('QUIT');
    await channel.readLine('logout');
  } else {
    channel.send(`${tag} LOGOUT`);
    await readTagged(channel, tag, 'logout', () => undefined);
  }
}
