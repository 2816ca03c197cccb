// The verdict from report facts alone: every finding, its step, and which finding wins when several apply.
import { CHECKPOINTS } from '../../src/flow/types';
import { FINDINGS, verdictOf } from '../../src/probe';
import type { ProbeFacts } from '../../src/probe/verdict';
import type { CertificateFacts, ProbeError, ProbeTarget } from '../../src/probe/types';

const target: ProbeTarget = { host: 'mail.contoso.com', port: 110, protocol: 'pop3', security: 'starttls' };
const goodCertificate: CertificateFacts = { subject: 'mail.contoso.com', altNames: ['DNS:mail.contoso.com'], daysLeft: 200, nameMatches: true, trusted: true };

function facts(overrides: Partial<ProbeFacts> = {}, certificate: Partial<CertificateFacts> = {}): ProbeFacts {
  return {
    target,
    allowed: true,
    reachable: true,
    banner: '+OK The Microsoft Exchange POP3 service is ready.',
    capabilities: ['USER', 'SASL PLAIN'],
    capabilitiesBeforeTls: ['STLS'],
    starttls: { offered: true, negotiated: true },
    plaintextLoginBeforeTls: false,
    tls: { protocol: 'TLSv1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', certificate: { ...goodCertificate, ...certificate } },
    ...overrides,
  };
}

function failed(error: ProbeError, overrides: Partial<ProbeFacts> = {}): ProbeFacts {
  return { target, allowed: true, reachable: error.stage !== 'connect' && error.stage !== 'dns', capabilities: [], error, ...overrides };
}

describe('verdictOf', () => {
  it.each<[string, ProbeFacts, string, string | null]>([
    ['a healthy server', facts(), 'ok', null],
    ['a target off the allow-list', { target, allowed: false, reachable: false, capabilities: [], error: { kind: 'notAllowed', stage: 'allowList', detail: '' } }, 'notAllowed', null],
    ['a name that does not resolve', failed({ kind: 'dns', stage: 'dns', detail: '' }), 'dnsFailure', 'clientSettings'],
    ['a refused connection', failed({ kind: 'refused', stage: 'connect', code: 'ECONNREFUSED', detail: '' }), 'connectionRefused', 'service'],
    ['no answer', failed({ kind: 'timeout', stage: 'greeting', detail: '' }), 'timeout', 'service'],
    ['a hang-up before the greeting', failed({ kind: 'protocol', stage: 'greeting', code: 'closed', detail: '' }), 'connectionClosed', 'service'],
    ['a reset before the greeting', failed({ kind: 'protocol', stage: 'greeting', code: 'ECONNRESET', detail: '' }), 'connectionClosed', 'service'],
    ['-ERR as greeting', failed({ kind: 'protocol', stage: 'greeting', detail: '' }, { banner: '-ERR busy' }), 'greetingRejected', 'service'],
    ['an IMAP greeting to a POP3 probe', failed({ kind: 'protocol', stage: 'greeting', detail: '' }, { banner: '* OK IMAP4 ready' }), 'protocolMismatch', 'clientSettings'],
    ['an SMTP greeting', failed({ kind: 'protocol', stage: 'greeting', detail: '' }, { banner: '220 ESMTP' }), 'notPop3OrImap', 'clientSettings'],
    ['an endless greeting', failed({ kind: 'protocol', stage: 'greeting', code: 'tooLong', detail: '' }), 'notPop3OrImap', 'clientSettings'],
    ['a broken CAPA answer', failed({ kind: 'protocol', stage: 'capabilities', detail: '' }, { banner: '+OK' }), 'unexpectedReply', null],
    ['a failed handshake', failed({ kind: 'tls', stage: 'tls', detail: '' }), 'tlsHandshakeFailed', 'serverSettings'],
    ['STARTTLS refused', failed({ kind: 'tls', stage: 'starttls', detail: '' }), 'tlsHandshakeFailed', 'serverSettings'],
    ['an expired certificate', facts({}, { daysLeft: -1, trusted: false, trustError: 'CERT_HAS_EXPIRED' }), 'certificateExpired', 'serverSettings'],
    ['a certificate for another name', facts({}, { nameMatches: false }), 'certificateNameMismatch', 'serverSettings'],
    ['a self-signed certificate', facts({}, { trusted: false, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'certificateUntrusted', 'serverSettings'],
    ['TLS 1.0', facts({ tls: { protocol: 'TLSv1', cipher: 'x', certificate: goodCertificate } }), 'tlsProtocolOutdated', 'serverSettings'],
    ['no STLS', facts({ starttls: { offered: false, negotiated: false }, tls: undefined }), 'starttlsNotOffered', 'serverSettings'],
    ['USER before TLS', facts({ plaintextLoginBeforeTls: true }), 'plaintextLoginAllowed', 'serverSettings'],
    ['29 days left', facts({}, { daysLeft: 29 }), 'certificateExpiresSoon', 'serverSettings'],
    ['30 days left', facts({}, { daysLeft: 30 }), 'ok', null],
    ['expiring today', facts({}, { daysLeft: 0 }), 'certificateExpiresSoon', 'serverSettings'],
  ])('%s → %s', (_what, given, finding, checkpoint) => {
    expect(verdictOf(given)).toEqual({ finding, checkpoint });
  });

  it('puts what stops every client before what only weakens security or warns', () => {
    expect(verdictOf(facts({ plaintextLoginBeforeTls: true }, { daysLeft: -3, nameMatches: false, trusted: false })).finding).toBe('certificateExpired');
    expect(verdictOf(facts({ plaintextLoginBeforeTls: true }, { nameMatches: false, daysLeft: 5 })).finding).toBe('certificateNameMismatch');
    expect(verdictOf(facts({ tls: { protocol: 'TLSv1.1', cipher: 'x', certificate: { ...goodCertificate, trusted: false } } })).finding).toBe('tlsProtocolOutdated');
    expect(verdictOf(facts({ plaintextLoginBeforeTls: true, starttls: { offered: false, negotiated: false }, tls: undefined })).finding).toBe('starttlsNotOffered');
    expect(verdictOf(facts({ plaintextLoginBeforeTls: true }, { daysLeft: 3 })).finding).toBe('plaintextLoginAllowed');
  });

  it('an implicit-TLS target is never judged on STARTTLS', () => {
    expect(verdictOf(facts({ target: { ...target, port: 995, security: 'implicit' }, starttls: undefined, plaintextLoginBeforeTls: undefined })).finding).toBe('ok');
  });

  it('maps every finding to a real checkpoint or to null', () => {
    for (const checkpoint of Object.values(FINDINGS)) {
      if (checkpoint !== null) expect(CHECKPOINTS).toContain(checkpoint);
    }
    expect(Object.entries(FINDINGS).filter(([, checkpoint]) => checkpoint === null).map(([finding]) => finding)).toEqual(['ok', 'notAllowed', 'unexpectedReply']);
  });
});
