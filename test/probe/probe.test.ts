// The live probe against a real Dovecot 2.3 (several, one per kind of server) and against scripted fakes
// for the failures a real server will not produce on request.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseAllowList, probeMailServer, type ProbeOptions, type ProbeReport, type ProbeTarget } from '../../src/probe';
import { createCertificates, type Dovecot, DOVECOT_HOST, startDovecot, type TestCertificates } from '../support/dovecot';
import { waitFor } from '../support/net';
import { closedPort, type FakeServer, imapWithPlaintextLogin, pop3WithPlaintextLogin, type Script, startFakeServer } from './fakeServer';

let certificates: TestCertificates;
let good: Dovecot;
let wrongName: Dovecot;
let expired: Dovecot;
let noTls: Dovecot;
let plaintext: Dovecot;
const fakes: FakeServer[] = [];

beforeAll(async () => {
  certificates = createCertificates();
  [good, wrongName, expired, noTls, plaintext] = await Promise.all([
    startDovecot({ certificate: certificates.good }),
    startDovecot({ certificate: certificates.wrongName }),
    startDovecot({ certificate: certificates.expired }),
    startDovecot({ certificate: null }),
    startDovecot({ certificate: certificates.good, plaintextAuth: true }),
  ]);
});

afterAll(async () => {
  await Promise.all([...[good, wrongName, expired, noTls, plaintext].map((server) => server?.stop()), ...fakes.map((server) => server.close())]);
  certificates?.remove();
});

async function fake(script: Script, options?: Parameters<typeof startFakeServer>[1]): Promise<FakeServer> {
  const server = await startFakeServer(script, options);
  fakes.push(server);
  return server;
}

/** Probes with an allow-list holding exactly this endpoint, unless the test passes its own. */
function probe(target: ProbeTarget, options: Partial<ProbeOptions> = {}): Promise<ProbeReport> {
  const entry = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
  return probeMailServer(target, { allowList: parseAllowList(entry), timeoutMs: 5000, ca: certificates.ca.pem, ...options });
}

const CREDENTIAL_COMMANDS = /^\s*(\S+\s+)?(USER|PASS|APOP|AUTH|AUTHENTICATE|LOGIN)\b/im;

describe('against a real Dovecot with a good certificate', () => {
  it('POP3 with STLS: banner, CAPA, TLS, certificate, and no plaintext login before TLS', async () => {
    const report = await probe({ host: DOVECOT_HOST, port: good.ports.pop3, protocol: 'pop3', security: 'starttls' });

    expect(report).toMatchObject({ allowed: true, reachable: true, starttls: { offered: true, negotiated: true }, plaintextLoginBeforeTls: false });
    expect(report.error).toBeUndefined();
    expect(report.banner).toMatch(/^\+OK Dovecot/);
    expect(report.capabilitiesBeforeTls).toContain('STLS');
    expect(report.capabilitiesBeforeTls).not.toContain('USER');
    expect(report.capabilities).toContain('USER'); // only offered once TLS protects it
    expect(['TLSv1.2', 'TLSv1.3']).toContain(report.tls!.protocol);
    expect(report.tls!.cipher).toMatch(/^TLS_/);
    const expectedThumbprint = new X509Certificate(certificates.good.pem).fingerprint.replace(/:/g, '');
    expect(report.tls!.certificate).toEqual({
      subject: '127.0.0.2',
      altNames: ['IP:127.0.0.2'],
      issuer: 'Probe Test CA',
      validFrom: expect.any(String),
      validTo: expect.any(String),
      daysLeft: expect.any(Number),
      thumbprint: expectedThumbprint,
      nameMatches: true,
      trusted: true,
    });
    expect(report.tls!.certificate.daysLeft).toBeGreaterThanOrEqual(363);
    expect(report.verdict).toEqual({ checkpoint: null, finding: 'ok' });
  });

  it('IMAP4 with STARTTLS: LOGINDISABLED before TLS, AUTH=PLAIN after', async () => {
    const report = await probe({ host: DOVECOT_HOST, port: good.ports.imap, protocol: 'imap4', security: 'starttls' });

    expect(report.banner).toMatch(/^\* OK .*Dovecot/);
    expect(report.capabilitiesBeforeTls).toEqual(expect.arrayContaining(['IMAP4rev1', 'STARTTLS', 'LOGINDISABLED']));
    expect(report.capabilities).toEqual(expect.arrayContaining(['IMAP4rev1', 'AUTH=PLAIN']));
    expect(report.capabilities).not.toContain('STARTTLS');
    expect(report).toMatchObject({ starttls: { offered: true, negotiated: true }, plaintextLoginBeforeTls: false });
    expect(report.tls!.certificate).toMatchObject({ subject: '127.0.0.2', nameMatches: true, trusted: true });
    expect(report.verdict).toEqual({ checkpoint: null, finding: 'ok' });
  });

  it.each([
    ['pop3', 'pop3s', /^\+OK Dovecot/, 'USER'],
    ['imap4', 'imaps', /^\* OK .*Dovecot/, 'AUTH=PLAIN'],
  ] as const)('%s over implicit TLS (%s)', async (protocol, listener, banner, capability) => {
    const report = await probe({ host: DOVECOT_HOST, port: good.ports[listener]!, protocol, security: 'implicit' });

    expect(report.banner).toMatch(banner);
    expect(report.capabilities).toContain(capability);
    expect(report.starttls).toBeUndefined();
    expect(report.plaintextLoginBeforeTls).toBeUndefined();
    expect(['TLSv1.2', 'TLSv1.3']).toContain(report.tls!.protocol);
    expect(report.tls!.certificate).toMatchObject({ subject: '127.0.0.2', altNames: ['IP:127.0.0.2'], nameMatches: true, trusted: true });
    expect(report.verdict).toEqual({ checkpoint: null, finding: 'ok' });
  });

  it('without the test CA, the same certificate is untrusted', async () => {
    const report = await probe({ host: DOVECOT_HOST, port: good.ports.pop3s!, protocol: 'pop3', security: 'implicit' }, { ca: undefined });

    expect(report.tls!.certificate).toMatchObject({ nameMatches: true, trusted: false, trustError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(report.verdict).toEqual({ checkpoint: 'serverSettings', finding: 'certificateUntrusted' });
  });

  it('warns when the certificate ends within 30 days', async () => {
    const validTo = new X509Certificate(certificates.good.pem).validTo;
    const now = new Date(Date.parse(validTo) - 10 * 24 * 60 * 60 * 1000);
    const report = await probe({ host: DOVECOT_HOST, port: good.ports.imaps!, protocol: 'imap4', security: 'implicit' }, { now });

    expect(report.tls!.certificate.daysLeft).toBe(10);
    expect(report.verdict).toEqual({ checkpoint: 'serverSettings', finding: 'certificateExpiresSoon' });
  });

  it('implicit TLS against the plain POP3 port fails the handshake', async () => {
    const report = await probe({ host: DOVECOT_HOST, port: good.ports.pop3, protocol: 'pop3', security: 'implicit' });

    expect(report).toMatchObject({ reachable: true, error: { kind: 'tls', stage: 'tls' } });
    expect(report.verdict).toEqual({ checkpoint: 'serverSettings', finding: 'tlsHandshakeFailed' });
  });

  it('an IMAP4 probe of the POP3 port sees the other protocol', async () => {
    const report = await probe({ host: DOVECOT_HOST, port: good.ports.pop3, protocol: 'imap4', security: 'starttls' });

    expect(report).toMatchObject({ banner: expect.stringMatching(/^\+OK/), error: { kind: 'protocol', stage: 'greeting' } });
    expect(report.verdict).toEqual({ checkpoint: 'clientSettings', finding: 'protocolMismatch' });
  });
});

describe('against a real Dovecot with a certificate problem or without TLS', () => {
  it('a certificate for another name: certificateNameMismatch', async () => {
    const report = await probe({ host: DOVECOT_HOST, port: wrongName.ports.pop3, protocol: 'pop3', security: 'starttls' });

    expect(report.tls!.certificate).toMatchObject({ subject: 'mail.contoso.com', altNames: ['DNS:mail.contoso.com'], nameMatches: false, trusted: true });
    expect(report.verdict).toEqual({ checkpoint: 'serverSettings', finding: 'certificateNameMismatch' });
  });

  it('an expired certificate: certificateExpired', async () => {
    const report = await probe({ host: DOVECOT_HOST, port: expired.ports.imaps!, protocol: 'imap4', security: 'implicit' });

    expect(report.tls!.certificate).toMatchObject({ validTo: '2024-02-01T00:00:00.000Z', nameMatches: true, trusted: false, trustError: 'CERT_HAS_EXPIRED' });
    expect(report.tls!.certificate.daysLeft).toBeLessThan(0);
    expect(report.verdict).toEqual({ checkpoint: 'serverSettings', finding: 'certificateExpired' });
  });

  it.each([
    ['pop3', 'pop3'],
    ['imap4', 'imap'],
  ] as const)('%s with ssl = no: starttlsNotOffered', async (protocol, listener) => {
    const report = await probe({ host: DOVECOT_HOST, port: noTls.ports[listener], protocol, security: 'starttls' });

    expect(report).toMatchObject({ reachable: true, starttls: { offered: false, negotiated: false }, plaintextLoginBeforeTls: false });
    expect(report.error).toBeUndefined();
    expect(report.tls).toBeUndefined();
    expect(report.verdict).toEqual({ checkpoint: 'serverSettings', finding: 'starttlsNotOffered' });
  });

  it('plaintext authentication allowed before TLS: plaintextLoginAllowed', async () => {
    const report = await probe({ host: DOVECOT_HOST, port: plaintext.ports.pop3, protocol: 'pop3', security: 'starttls' });

    expect(report.capabilitiesBeforeTls).toEqual(expect.arrayContaining(['USER', 'STLS']));
    expect(report).toMatchObject({ plaintextLoginBeforeTls: true, starttls: { offered: true, negotiated: true } });
    expect(report.verdict).toEqual({ checkpoint: 'serverSettings', finding: 'plaintextLoginAllowed' });
  });
});

describe('what the probe refuses to do, and what it says when nobody answers', () => {
  it('does not connect to a port that is not on the allow-list', async () => {
    const recorder = await fake({ onConnect: (c) => c.send('+OK ready') });
    const allowList = parseAllowList(`${recorder.host}:${recorder.port === 65535 ? 1 : recorder.port + 1},mail.contoso.com:${recorder.port}`);

    const report = await probeMailServer({ host: recorder.host, port: recorder.port, protocol: 'pop3', security: 'implicit' }, { allowList, timeoutMs: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(recorder.connections()).toBe(0);
    expect(report).toMatchObject({ allowed: false, reachable: false, capabilities: [], error: { kind: 'notAllowed', stage: 'allowList' } });
    expect(report.verdict).toEqual({ checkpoint: null, finding: 'notAllowed' });
  });

  it('is off with an empty allow-list', async () => {
    const report = await probeMailServer({ host: DOVECOT_HOST, port: good.ports.pop3, protocol: 'pop3', security: 'starttls' }, { allowList: parseAllowList(''), timeoutMs: 2000 });

    expect(report.error).toEqual({ kind: 'notAllowed', stage: 'allowList', detail: expect.stringContaining('off') });
    expect(report.reachable).toBe(false);
  });

  it('a closed port: connectionRefused, pointing at the service', async () => {
    const port = await closedPort(DOVECOT_HOST);
    const report = await probe({ host: DOVECOT_HOST, port, protocol: 'pop3', security: 'starttls' });

    expect(report).toMatchObject({ allowed: true, reachable: false, error: { kind: 'refused', stage: 'connect', code: 'ECONNREFUSED' } });
    expect(report.verdict).toEqual({ checkpoint: 'service', finding: 'connectionRefused' });
  });

  it('a name that does not resolve: dnsFailure', async () => {
    const report = await probe({ host: 'probe-test.invalid', port: 995, protocol: 'pop3', security: 'implicit' });

    expect(report).toMatchObject({ reachable: false, error: { kind: 'dns', stage: 'dns' } });
    expect(report.verdict).toEqual({ checkpoint: 'clientSettings', finding: 'dnsFailure' });
  });

  it('a server that accepts and stays silent: timeout, within the deadline', async () => {
    const silent = await fake({});
    const started = Date.now();
    const report = await probe({ host: silent.host, port: silent.port, protocol: 'imap4', security: 'starttls' }, { timeoutMs: 800 });
    const elapsed = Date.now() - started;

    expect(report).toMatchObject({ reachable: true, error: { kind: 'timeout', stage: 'greeting' } });
    expect(report.verdict).toEqual({ checkpoint: 'service', finding: 'timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(750);
    expect(elapsed).toBeLessThan(1500);
  });

  it('a server that answers each step just in time still ends at the overall deadline', async () => {
    const trickle = await fake({
      onConnect: (c) => setTimeout(() => c.send('+OK slow'), 300),
      onLine: (_line, c) => {
        c.send('+OK');
        const timer = setInterval(() => (c.closed() ? clearInterval(timer) : c.send('X-TRICKLE')), 250);
      },
    });
    const started = Date.now();
    const report = await probe({ host: trickle.host, port: trickle.port, protocol: 'pop3', security: 'starttls' }, { timeoutMs: 1200, stepTimeoutMs: 500 });
    const elapsed = Date.now() - started;

    expect(report.error).toMatchObject({ kind: 'timeout', stage: 'capabilities' });
    expect(elapsed).toBeLessThan(1700);
  });

  it('a per-step timeout shorter than the deadline ends the probe early', async () => {
    const silent = await fake({});
    const started = Date.now();
    const report = await probe({ host: silent.host, port: silent.port, protocol: 'pop3', security: 'starttls' }, { timeoutMs: 10_000, stepTimeoutMs: 300 });

    expect(report.error).toMatchObject({ kind: 'timeout', stage: 'greeting' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('odd servers', () => {
  it.each([
    ['-ERR [SYS/TEMP] Too many connections', 'pop3', 'service', 'greetingRejected'],
    ['* BYE Connection is closed. 13', 'imap4', 'service', 'greetingRejected'],
    ['220 mail.contoso.com Microsoft ESMTP MAIL Service ready', 'pop3', 'clientSettings', 'notPop3OrImap'],
  ] as const)('greeting %j (%s): %s / %s', async (greeting, protocol, checkpoint, finding) => {
    const server = await fake({ onConnect: (c) => c.send(greeting) });
    const report = await probe({ host: server.host, port: server.port, protocol, security: 'starttls' });

    expect(report.banner).toBe(greeting);
    expect(report.verdict).toEqual({ checkpoint, finding });
    expect(server.received).toEqual([]);
  });

  it('a server that hangs up at once: connectionClosed', async () => {
    const server = await fake({ onConnect: (c) => c.destroy() });
    const report = await probe({ host: server.host, port: server.port, protocol: 'pop3', security: 'starttls' });

    expect(report).toMatchObject({ reachable: true, error: { kind: 'protocol', stage: 'greeting' } });
    expect(report.verdict).toEqual({ checkpoint: 'service', finding: 'connectionClosed' });
  });

  it('an endless greeting is cut off at 16 KB', async () => {
    const server = await fake({ onConnect: (c) => c.write('+OK '.padEnd(100_000, 'x')) });
    const report = await probe({ host: server.host, port: server.port, protocol: 'pop3', security: 'starttls' });

    expect(report.error).toMatchObject({ kind: 'protocol', stage: 'greeting', code: 'tooLong' });
    expect(report.verdict.finding).toBe('notPop3OrImap');
  });

  it('a CAPA answer of too many lines is cut off', async () => {
    const server = await fake({ onConnect: (c) => c.send('+OK ready'), onLine: (_l, c) => c.send('+OK', ...Array.from({ length: 500 }, (_, i) => `X-CAP-${i}`), '.') });
    const report = await probe({ host: server.host, port: server.port, protocol: 'pop3', security: 'starttls' });

    expect(report.error).toMatchObject({ kind: 'protocol', stage: 'capabilities', code: 'tooLong' });
    expect(report.verdict).toEqual({ checkpoint: null, finding: 'unexpectedReply' });
  });

  it('plaintext sent after the STLS reply (STARTTLS injection) is not trusted', async () => {
    const server = await fake(
      {
        onConnect: (c) => c.send('+OK ready'),
        onLine: (line, c) => {
          if (line === 'CAPA') c.send('+OK', 'STLS', '.');
          if (line === 'STLS') c.write('+OK go ahead\r\n+OK injected\r\n');
        },
      },
      { credentials: { key: readKey(), cert: certificates.good.pem } },
    );
    const report = await probe({ host: server.host, port: server.port, protocol: 'pop3', security: 'starttls' });

    expect(report.error).toMatchObject({ kind: 'protocol', detail: expect.stringContaining('before the TLS handshake') });
    expect(report.starttls).toEqual({ offered: true, negotiated: false });
  });

  it('a server that offers only TLS 1.1: tlsProtocolOutdated', async () => {
    const server = await fake(
      { onConnect: (c) => c.send('+OK ready'), onLine: (line, c) => (line === 'CAPA' ? c.send('+OK', 'USER', '.') : c.send('+OK bye')) },
      { host: DOVECOT_HOST, credentials: { key: readKey(), cert: certificates.good.pem }, implicitTls: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' } },
    );
    const report = await probe({ host: server.host, port: server.port, protocol: 'pop3', security: 'implicit' });

    expect(report.tls!.protocol).toBe('TLSv1.1');
    expect(report.verdict).toEqual({ checkpoint: 'serverSettings', finding: 'tlsProtocolOutdated' });
  });
});

function readKey(): string {
  return readFileSync(certificates.good.keyPath, 'utf8');
}

describe('never a credential', () => {
  it('to a POP3 server that offers USER and SASL PLAIN in clear, it says only CAPA, STLS, CAPA, QUIT', async () => {
    const server = await fake(pop3WithPlaintextLogin, { host: DOVECOT_HOST, credentials: { key: readKey(), cert: certificates.good.pem } });
    const report = await probe({ host: server.host, port: server.port, protocol: 'pop3', security: 'starttls' });

    expect(report).toMatchObject({ plaintextLoginBeforeTls: true, starttls: { offered: true, negotiated: true } });
    expect(report.verdict).toEqual({ checkpoint: 'serverSettings', finding: 'plaintextLoginAllowed' });
    expect(server.received).toEqual(['CAPA', 'STLS', 'CAPA', 'QUIT']);
    expect(server.received.join('\n')).not.toMatch(CREDENTIAL_COMMANDS);
  });

  it('to an IMAP4 server without LOGINDISABLED, it says only CAPABILITY, STARTTLS, CAPABILITY, LOGOUT', async () => {
    const server = await fake(imapWithPlaintextLogin, { host: DOVECOT_HOST, credentials: { key: readKey(), cert: certificates.good.pem } });
    const report = await probe({ host: server.host, port: server.port, protocol: 'imap4', security: 'starttls' });

    expect(report).toMatchObject({ plaintextLoginBeforeTls: true, starttls: { offered: true, negotiated: true } });
    expect(report.verdict.finding).toBe('plaintextLoginAllowed');
    expect(server.received).toEqual(['a1 CAPABILITY', 'a2 STARTTLS', 'a3 CAPABILITY', 'a9 LOGOUT']);
    expect(server.received.join('\n')).not.toMatch(CREDENTIAL_COMMANDS);
  });

  it('Dovecot logged no authentication attempt for any probe', async () => {
    const servers = [good, wrongName, expired, noTls, plaintext];
    await waitFor('Dovecot logs', () => servers.every((server) => /Disconnected/.test(server.log())), 3000);
    const disconnects = servers.flatMap((server) => server.log().split('\n').filter((line) => /Disconnected/.test(line)));
    expect(disconnects.length).toBeGreaterThan(0);
    for (const line of disconnects) expect(line).toMatch(/no auth attempts|before auth was ready/);
  });
});
