// "Check my settings": the admin pastes shell output or the client's error, and the bot names the step
// that fails and why. When a paste is not clearly one of the known outputs, or is cut short where the
// answer would be, the verdict is "could not read this": a wrong verdict costs more than none.
import { type Diagnosis, PASTE_LIMIT } from '../flow/diagnosis';
import { maskSecrets, maskedHead } from '../flow/secrets';
import type { CaseDetails, CheckpointId } from '../flow/types';
import { type Fields, readBoolean, readFormatList, readList, readServices } from './formatList';

export type Source = 'services' | 'protocolSettings' | 'casMailbox' | 'receiveConnector' | 'certificate' | 'clientError' | 'unknown';

export type { Diagnosis };


// The values quoted from a paste are kept and shown: masked once more, as a Format-List value wrapped
// over several lines is read as one.
function found(source: Source, finding: string, checkpoint: CheckpointId | null, values: Record<string, string> = {}): Diagnosis {
  const masked = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, maskSecrets(value).text]));
  return { source, finding, checkpoint, values: masked };
}

function unreadable(source: Source, reason: string): Diagnosis {
  return found(source, 'unreadable', null, { reason });
}

const SERVICE_NAMES = { pop3: ['MSExchangePOP3', 'MSExchangePOP3BE'], imap4: ['MSExchangeIMAP4', 'MSExchangeIMAP4BE'] } as const;

function diagnoseServices(text: string, details: CaseDetails): Diagnosis | undefined {
  const rows = readServices(text);
  if (rows.length === 0) return undefined;
  const wanted: readonly string[] = SERVICE_NAMES[details.protocol];
  const relevant = rows.filter((row) => wanted.some((name) => name.toLowerCase() === row.name.toLowerCase()));
  if (relevant.length === 0) return unreadable('services', 'protocolServiceMissing');
  const stopped = relevant.find((row) => !/^running$/i.test(row.status));
  if (stopped) return found('services', 'serviceStopped', 'service', { service: stopped.name, status: stopped.status });
  const manual = relevant.find((row) => row.startType !== undefined && !/^automatic$/i.test(row.startType));
  if (manual) return found('services', 'serviceNotAutomatic', 'service', { service: manual.name, startType: manual.startType! });
  return found('services', 'servicesRunning', null, { services: relevant.map((r) => r.name).join(', ') });
}

const LOGIN_TYPES = ['PlainTextLogin', 'PlainTextAuthentication', 'SecureLogin'];

function emptyList(value: string | undefined): boolean {
  return value !== undefined && readList(value).length === 0;
}

function diagnoseProtocolSettings(settings: Fields): Diagnosis {
  const loginType = settings.get('LoginType');
  if (!loginType || !LOGIN_TYPES.includes(loginType)) return unreadable('protocolSettings', 'loginTypeUnreadable');
  if (emptyList(settings.get('SSLBindings')) && emptyList(settings.get('UnencryptedOrTLSBindings'))) {
    return found('protocolSettings', 'noBindings', 'serverSettings');
  }
  if (emptyList(settings.get('SSLBindings'))) return found('protocolSettings', 'noSslBinding', 'serverSettings', { loginType });
  if (settings.has('X509CertificateName') && settings.get('X509CertificateName') === '') {
    return found('protocolSettings', 'noCertificateName', 'serverSettings', { loginType });
  }
  return found('protocolSettings', 'protocolSettingsLookRight', null, { loginType });
}

function diagnoseMailbox(mailbox: Fields, details: CaseDetails): Diagnosis {
  const key = details.protocol === 'pop3' ? 'PopEnabled' : 'ImapEnabled';
  const enabled = readBoolean(mailbox.get(key));
  if (enabled === undefined) return unreadable('casMailbox', mailbox.has(key) ? 'valueUnreadable' : 'fieldMissing');
  const name = mailbox.get('Name') ?? mailbox.get('Identity') ?? details.mailbox ?? '';
  return enabled
    ? found('casMailbox', 'mailboxProtocolEnabled', null, { field: key, mailbox: name })
    : found('casMailbox', 'mailboxProtocolDisabled', 'mailbox', { field: key, mailbox: name });
}

function diagnoseConnectors(connectors: Fields[]): Diagnosis {
  const clients = connectors.filter((c) => /\bClient\b/i.test(c.get('Name') ?? c.get('Identity') ?? ''));
  if (clients.length === 0) return unreadable('receiveConnector', 'noClientConnector');
  for (const connector of clients) {
    const name = connector.get('Name') ?? connector.get('Identity')!;
    const enabled = readBoolean(connector.get('Enabled'));
    if (enabled === false) return found('receiveConnector', 'connectorDisabled', 'connector', { connector: name });
    if (!connector.has('AuthMechanism')) continue;
    const mechanisms = readList(connector.get('AuthMechanism')).map((m) => m.toLowerCase());
    if (!mechanisms.includes('tls')) return found('receiveConnector', 'connectorWithoutTls', 'connector', { connector: name });
    if (!mechanisms.includes('basicauth')) return found('receiveConnector', 'connectorWithoutBasicAuth', 'connector', { connector: name });
  }
  if (clients.some((c) => !c.has('Enabled') || !c.has('AuthMechanism'))) return unreadable('receiveConnector', 'fieldMissing');
  return found('receiveConnector', 'connectorLooksRight', null, { connector: clients.map((c) => c.get('Name') ?? c.get('Identity')).join(', ') });
}

/** Only dates that cannot be misread: 2025-10-14 or 2025/10/14 (Japanese Windows). 10/11/2025 is left to Status. */
function unambiguousDate(value: string | undefined): Date | undefined {
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})/.exec(value ?? '');
  if (!match) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function diagnoseCertificates(certificates: Fields[], details: CaseDetails, now: Date): Diagnosis {
  const service = details.protocol === 'pop3' ? 'POP' : 'IMAP';
  if (certificates.some((c) => !c.has('Services'))) return unreadable('certificate', 'fieldMissing');
  const assigned = certificates.filter((c) => readList(c.get('Services')).some((s) => s.toUpperCase() === service));
  if (assigned.length === 0) return found('certificate', 'certificateNotAssigned', 'serverSettings', { service });
  for (const certificate of assigned) {
    const thumbprint = certificate.get('Thumbprint') ?? '';
    const status = certificate.get('Status');
    const notAfter = unambiguousDate(certificate.get('NotAfter'));
    if (status === 'DateInvalid' || (notAfter && notAfter < now)) {
      return found('certificate', 'certificateExpired', 'serverSettings', { thumbprint, notAfter: certificate.get('NotAfter') ?? '' });
    }
    if (status !== undefined && status !== 'Valid') return found('certificate', 'certificateNotValid', 'serverSettings', { thumbprint, status });
    if (status === undefined && !notAfter) return unreadable('certificate', 'fieldMissing');
  }
  return found('certificate', 'certificateLooksRight', null, { service });
}

// What mail clients and servers print, from the error catalogue (exchange.md §9). Order matters: first match wins.
const CLIENT_ERRORS: Array<[RegExp, string, CheckpointId, CaseDetails['version'][]?]> = [
  [/5\.7\.30|Basic authentication is not supported for Client Submission/i, 'errorSmtpBasicAuthRetired', 'onlineAuth', ['Online']],
  [/User is authenticated but not connected/i, 'errorAuthenticatedNotConnected', 'onlineAuth', ['Online']],
  [/LOGINDISABLED|Command received in Invalid state|Plaintext authentication disallowed|no recognized SASL authenticator/i, 'errorLoginBeforeTls', 'clientSettings'],
  [/10061|0x800CCC0E|actively refused|connection refused|ECONNREFUSED|TcpTestSucceeded\s*:\s*False/i, 'errorConnectionRefused', 'service'],
  [/certificate|CERT_|SEC_E_|handshake/i, 'errorCertificate', 'serverSettings'],
  [/5\.7\.3|535 /i, 'errorSmtpAuthFailed', 'connector'],
  [/Logon failure|LOGIN failed|AUTHENTICATE failed|Authentication failure|bad password/i, 'errorLogonFailure', 'mailbox'],
];

function diagnoseClientError(text: string, details: CaseDetails): Diagnosis | undefined {
  for (const [pattern, finding, checkpoint, onlyFor] of CLIENT_ERRORS) {
    if (!pattern.test(text)) continue;
    if (onlyFor && !onlyFor.includes(details.version)) continue;
    // On Exchange Online the server steps do not exist: refusals and certificates are Microsoft's side.
    if (details.version === 'Online' && (checkpoint === 'service' || checkpoint === 'serverSettings' || checkpoint === 'connector')) {
      return found('clientError', finding, 'onlineAuth');
    }
    return found('clientError', finding, checkpoint);
  }
  return undefined;
}

export function diagnose(pasted: string, details: CaseDetails, now: Date): Diagnosis {
  const text = maskedHead(pasted, PASTE_LIMIT);
  if (text.trim() === '') return unreadable('unknown', 'empty');
  const objects = readFormatList(text);
  const has = (key: string) => objects.some((o) => o.has(key));

  if (has('LoginType') && (has('SSLBindings') || has('UnencryptedOrTLSBindings'))) {
    return diagnoseProtocolSettings(objects.find((o) => o.has('LoginType'))!);
  }
  if (has('PopEnabled') || has('ImapEnabled')) return diagnoseMailbox(objects.find((o) => o.has('PopEnabled') || o.has('ImapEnabled'))!, details);
  if (has('AuthMechanism') || (has('Bindings') && has('PermissionGroups'))) {
    return diagnoseConnectors(objects.filter((o) => o.has('AuthMechanism') || o.has('Bindings')));
  }
  if (has('Thumbprint') && (has('NotAfter') || has('Services'))) {
    return diagnoseCertificates(objects.filter((o) => o.has('Thumbprint')), details, now);
  }
  const services = diagnoseServices(text, details);
  if (services) return services;
  // Shell output we do not recognise (or cut before its telling lines) is not an error message:
  // "X509CertificateName" must not read as a certificate error.
  const fieldCount = objects.reduce((sum, o) => sum + o.size, 0);
  if (fieldCount >= 3) return unreadable('unknown', 'notRecognised');
  return diagnoseClientError(text, details) ?? unreadable('unknown', 'notRecognised');
}
