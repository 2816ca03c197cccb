// From what the probe saw to one finding and the step it points at. The finding is a stable identifier;
// the conversation turns it into a sentence in the admin's language. Pure, so every branch is testable
// without a server.
import type { CheckpointId } from '../flow/types';
import { classifyGreeting } from './dialogue';
import type { ProbeReport } from './types';

/** Each finding and the step that fixes it; null when there is nothing to fix, or nothing the probe can tell. */
export const FINDINGS = {
  ok: null,
  // The operator's allow-list, not the Exchange server: nothing in the walk-through changes it.
  notAllowed: null,
  // Clients use the same name, so they cannot find the server either: the server name in the client
  // settings (or its DNS record) is wrong.
  dnsFailure: 'clientSettings',
  // Nothing accepts connections on the port: the POP3/IMAP4 service is stopped, or a firewall (Windows
  // Firewall on the server or one on the way) rejects the connection.
  connectionRefused: 'service',
  // No answer in time: typically a firewall silently dropping the connection, or a hung service.
  timeout: 'service',
  // Accepted, then closed before a greeting: the front end could not reach its back-end service, or a
  // firewall/proxy cut the connection.
  connectionClosed: 'service',
  // "-ERR …" or "* BYE …" instead of a greeting: the service runs but turns connections away.
  greetingRejected: 'service',
  // The port answers with the other mail protocol (POP3 on 143, say): the client is set to the wrong port.
  protocolMismatch: 'clientSettings',
  // The port answers with something that is not a mail protocol (SMTP, HTTP …): the client's port is wrong.
  notPop3OrImap: 'clientSettings',
  // It started like POP3/IMAP4 and then broke off: the probe cannot tell why.
  unexpectedReply: null,
  // No TLS session: no certificate bound to POP3/IMAP4 (Enable-ExchangeCertificate -Services POP,IMAP),
  // or the port is not a TLS port (995/993 bindings).
  tlsHandshakeFailed: 'serverSettings',
  certificateExpired: 'serverSettings',
  certificateNameMismatch: 'serverSettings',
  certificateUntrusted: 'serverSettings',
  // TLS 1.0/1.1 only: current clients refuse to connect.
  tlsProtocolOutdated: 'serverSettings',
  starttlsNotOffered: 'serverSettings',
  // LoginType PlainTextLogin: passwords may cross the network in clear.
  plaintextLoginAllowed: 'serverSettings',
  certificateExpiresSoon: 'serverSettings',
} as const satisfies Record<string, CheckpointId | null>;

export type Finding = keyof typeof FINDINGS;

export const EXPIRES_SOON_DAYS = 30;

const OUTDATED_TLS = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);

export type ProbeFacts = Omit<ProbeReport, 'verdict'>;

function errorFinding(facts: ProbeFacts): Finding | undefined {
  const error = facts.error;
  if (!error) return undefined;
  switch (error.kind) {
    case 'notAllowed':
      return 'notAllowed';
    case 'dns':
      return 'dnsFailure';
    case 'refused':
      return 'connectionRefused';
    case 'timeout':
      return 'timeout';
    case 'tls':
      return 'tlsHandshakeFailed';
    case 'protocol': {
      if (error.stage !== 'greeting') return 'unexpectedReply';
      if (facts.banner === undefined) return error.code === 'closed' || error.code === 'ECONNRESET' ? 'connectionClosed' : 'notPop3OrImap';
      const greeting = classifyGreeting(facts.target.protocol, facts.banner);
      return greeting === 'rejected' ? 'greetingRejected' : greeting === 'otherMailProtocol' ? 'protocolMismatch' : 'notPop3OrImap';
    }
  }
}

// Order matters: what stops every client comes before what only weakens security or warns of the future.
function findingOf(facts: ProbeFacts): Finding {
  if (!facts.allowed) return 'notAllowed';
  const failed = errorFinding(facts);
  if (failed) return failed;
  // Current clients refuse TLS 1.0/1.1 in the handshake, before they would look at the certificate.
  if (facts.tls && OUTDATED_TLS.has(facts.tls.protocol)) return 'tlsProtocolOutdated';
  const certificate = facts.tls?.certificate;
  if (certificate?.daysLeft !== undefined && certificate.daysLeft < 0) return 'certificateExpired';
  if (certificate && !certificate.nameMatches) return 'certificateNameMismatch';
  if (certificate && !certificate.trusted) return 'certificateUntrusted';
  if (facts.target.security === 'starttls' && facts.starttls && !facts.starttls.offered) return 'starttlsNotOffered';
  if (facts.plaintextLoginBeforeTls) return 'plaintextLoginAllowed';
  if (certificate?.daysLeft !== undefined && certificate.daysLeft < EXPIRES_SOON_DAYS) return 'certificateExpiresSoon';
  return 'ok';
}

export function verdictOf(facts: ProbeFacts): ProbeReport['verdict'] {
  const finding = findingOf(facts);
  return { checkpoint: FINDINGS[finding], finding };
}
