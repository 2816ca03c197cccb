// The optional live probe: connect to a POP3/IMAP4 endpoint the operator allowed, read its greeting and
// capabilities, try TLS, look at the certificate, say goodbye. It never logs in (there is no parameter
// for a password), and every wait is bounded by a step timeout and by one overall deadline.
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import { withTimeout } from '../timing';
import { type AllowList, formatEntry, isAllowed, normalizeHost } from './allowList';
import { certificateFacts } from './certificate';
import { type Channel, classifyGreeting, plaintextLoginOffered, readCapabilities, readGreeting, requestStarttls, sayGoodbye, starttlsOffered } from './dialogue';
import { classify, ProbeFailure } from './failure';
import { DEFAULT_LIMITS, LineReader, type ReadLimits } from './lineReader';
import type { ProbeReport, ProbeStage, ProbeTarget, TlsFacts } from './types';
import { type ProbeFacts, verdictOf } from './verdict';

export interface ProbeOptions {
  allowList: AllowList;
  /** The whole probe, DNS to goodbye, ends within this. */
  timeoutMs: number;
  /** The longest any one step (DNS, connect, a reply, the TLS handshake) may take; defaults to timeoutMs. */
  stepTimeoutMs?: number;
  /** The clock that certificate expiry is measured against; defaults to the current time. */
  now?: Date;
  /** Extra trusted CA certificates (PEM), e.g. the organisation's own CA. Without it, Node's bundled roots. */
  ca?: string | Buffer;
  /** How much the server may send; the defaults suit any real POP3/IMAP4 server before login. */
  limits?: ReadLimits;
}

// Fixed IMAP tags keep the server's protocol log easy to match against the report.
const TAGS = { capability: 'a1', starttls: 'a2', capabilityAfterTls: 'a3', logout: 'a9' } as const;
const GOODBYE_MS = 1000;

/** One connection: the plain socket, the TLS socket once there is one, and the clock they share. */
class Session implements Channel {
  private socket?: net.Socket;
  private secure?: tls.TLSSocket;
  private readonly reader: LineReader;
  private readonly deadline: number;

  constructor(private readonly options: ProbeOptions) {
    this.deadline = Date.now() + options.timeoutMs;
    this.reader = new LineReader(options.limits ?? DEFAULT_LIMITS);
  }

  /** Time allowed for the next step: its own limit, cut short by the overall deadline. */
  budget(stage: ProbeStage): number {
    // Saying goodbye is a courtesy: it gets a short wait, and none once the deadline has passed.
    const step = stage === 'logout' ? GOODBYE_MS : (this.options.stepTimeoutMs ?? this.options.timeoutMs);
    const left = Math.min(step, this.deadline - Date.now());
    if (left <= 0) throw new ProbeFailure('timeout', stage, `the probe ran out of its ${this.options.timeoutMs} ms`);
    return left;
  }

  /** Rejects with a timeout failure if `work` does not settle within this step's budget. */
  async within<T>(stage: ProbeStage, work: Promise<T>): Promise<T> {
    const ms = this.budget(stage);
    try {
      return await withTimeout(work, ms, () => new ProbeFailure('timeout', stage, `no answer within ${ms} ms`));
    } catch (error) {
      throw classify(error, stage);
    }
  }

  async connect(address: string, port: number): Promise<void> {
    const socket = net.connect({ host: address, port });
    this.socket = socket;
    // Errors after the reader lets go of the socket must not become uncaught exceptions.
    socket.on('error', () => undefined);
    await this.within(
      'connect',
      new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      }),
    );
    socket.setNoDelay(true);
    this.reader.attach(socket);
  }

  async startTls(host: string): Promise<tls.TLSSocket> {
    this.reader.detach();
    // Anything already received came before the handshake and would be trusted as if it came after it
    // (the STARTTLS injection flaw): a correct server never sends it.
    if (this.reader.hasUnread) throw new ProbeFailure('protocol', 'starttls', 'the server sent data before the TLS handshake');
    const secure = tls.connect({
      socket: this.socket,
      // SNI carries names only; Node warns when given an IP literal.
      ...(net.isIP(host) ? {} : { servername: host }),
      ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
      // The probe reports on the certificate instead of refusing it, and judges the name itself.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      // Let outdated servers complete the handshake, so that the report can say "TLS 1.0 only" rather
      // than a bare failure. Nothing secret is sent over the session.
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    this.secure = secure;
    secure.on('error', () => undefined);
    await this.within(
      'tls',
      new Promise<void>((resolve, reject) => {
        secure.once('secureConnect', resolve);
        secure.once('error', reject);
        secure.once('close', () => reject(new ProbeFailure('tls', 'tls', 'the server closed the connection during the TLS handshake', 'closed')));
      }),
    );
    this.reader.attach(secure);
    return secure;
  }

  send(line: string): void {
    (this.secure ?? this.socket)?.write(`${line}\r\n`);
  }

  beginResponse(): void {
    this.reader.beginResponse();
  }

  readLine(stage: ProbeStage): Promise<string> {
    return this.reader.readLine(stage, this.budget(stage));
  }

  async goodbye(protocol: ProbeTarget['protocol']): Promise<void> {
    await sayGoodbye(this, protocol, TAGS.logout).catch(() => undefined);
  }

  close(): void {
    this.reader.detach();
    this.secure?.destroy();
    this.socket?.destroy();
  }
}

async function resolveAddress(session: Session, host: string): Promise<string> {
  if (net.isIP(host)) return host;
  const found = await session.within('dns', dns.promises.lookup(host));
  return found.address;
}

function tlsFacts(secure: tls.TLSSocket, host: string, now: Date): TlsFacts {
  const certificate = secure.getPeerCertificate();
  if (!certificate || Object.keys(certificate).length === 0) throw new ProbeFailure('tls', 'tls', 'the server presented no certificate');
  const cipher = secure.getCipher();
  return {
    protocol: secure.getProtocol() ?? 'unknown',
    cipher: cipher.standardName ?? cipher.name,
    certificate: certificateFacts(certificate, host, { authorized: secure.authorized, authorizationError: secure.authorizationError?.toString() }, now),
  };
}

async function converse(session: Session, target: ProbeTarget, host: string, facts: ProbeFacts, now: Date): Promise<void> {
  facts.address = await resolveAddress(session, host);
  await session.connect(facts.address, target.port);
  facts.reachable = true;
  if (target.security === 'implicit') facts.tls = tlsFacts(await session.startTls(host), host, now);

  facts.banner = await readGreeting(session);
  if (classifyGreeting(target.protocol, facts.banner) !== 'ok') throw new ProbeFailure('protocol', 'greeting', `unexpected greeting: ${facts.banner}`);
  facts.capabilities = await readCapabilities(session, target.protocol, TAGS.capability, 'capabilities');

  if (target.security === 'starttls') {
    facts.capabilitiesBeforeTls = facts.capabilities;
    facts.plaintextLoginBeforeTls = plaintextLoginOffered(target.protocol, facts.capabilities);
    const offered = starttlsOffered(target.protocol, facts.capabilities);
    facts.starttls = { offered, negotiated: false };
    if (offered) {
      await requestStarttls(session, target.protocol, TAGS.starttls);
      facts.tls = tlsFacts(await session.startTls(host), host, now);
      facts.starttls.negotiated = true;
      // RFC 2595: capabilities learnt in the clear are void once TLS is up; the server may offer more.
      facts.capabilities = await readCapabilities(session, target.protocol, TAGS.capabilityAfterTls, 'capabilitiesAfterTls');
    }
  }
  await session.goodbye(target.protocol);
}

/** Probes one endpoint and always resolves to a report; a failure is a finding, not an exception. */
export async function probeMailServer(target: ProbeTarget, options: ProbeOptions): Promise<ProbeReport> {
  const host = normalizeHost(target.host);
  const allowed = host !== undefined && isAllowed(options.allowList, host, target.port);
  const facts: ProbeFacts = { target: { ...target }, allowed, reachable: false, capabilities: [] };
  if (!allowed || host === undefined) {
    const where = host === undefined ? JSON.stringify(target.host) : formatEntry({ host, port: target.port });
    facts.error = {
      kind: 'notAllowed',
      stage: 'allowList',
      detail: options.allowList.length === 0 ? 'the live probe is off (the allow-list is empty)' : `${where} is not on the probe's allow-list`,
    };
    return { ...facts, verdict: verdictOf(facts) };
  }

  const session = new Session(options);
  try {
    await converse(session, target, host, facts, options.now ?? new Date());
  } catch (error) {
    const failure = classify(error, 'connect');
    facts.error = { kind: failure.kind, stage: failure.stage, ...(failure.code ? { code: failure.code } : {}), detail: failure.message };
  } finally {
    session.close();
  }
  return { ...facts, verdict: verdictOf(facts) };
}
