// "Check my settings": the admin pastes shell output or the client's error, and the bot names the step
// that fails and why. When a paste is not clearly one of the known outputs, or is cut short where the
// answer would be, the verdict is "could not read this": a wrong verdict costs more than none.
import { type Diagnosis, PASTE_LIMIT } from '../flow/diagnosis';
import { maskSecrets, maskedHead } from '../flow/secrets';
import type { CaseDetails, CheckpointId } from '../flow/types';
import { readClientConnection, readClientText } from './clientText';
import { type Fields, readBoolean, readCertificateServices, readFormatList, readList, readServices, readTable } from './formatList';

export type Source =
  | 'services'
  | 'protocolSettings'
  | 'casMailbox'
  | 'receiveConnector'
  | 'certificate'
  | 'build'
  | 'connectivityTest'
  | 'portTest'
  | 'mailboxPlan'
  | 'tenantSmtpAuth'
  | 'servicePrincipals'
  | 'mailboxPermissions'
  | 'authenticationPolicy'
  | 'componentState'
  | 'serverHealth'
  | 'tlsTest'
  | 'listeners'
  | 'clientError'
  | 'unknown';

export type { Diagnosis };


// The values quoted from a paste are kept and shown: masked once more, as a Format-List value wrapped
// over several lines is read as one.
function found(source: Source, finding: string, checkpoint: CheckpointId | null, values: Record<string, string> = {}): Diagnosis {
  const masked = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, maskSecrets(value).text]));
  return { source, finding, checkpoint, values: masked };
}

// The verdict names the protocol of the case, never "POP3/IMAP4" or "995/993".
const PROTOCOL_TERMS = {
  pop3: { protocol: 'POP3', plainPort: '110', sslPort: '995', startTls: 'STLS', certService: 'POP', noun: 'Pop', proxyComponent: 'PopProxy', healthSet: 'POP' },
  imap4: { protocol: 'IMAP4', plainPort: '143', sslPort: '993', startTls: 'STARTTLS', certService: 'IMAP', noun: 'Imap', proxyComponent: 'ImapProxy', healthSet: 'IMAP' },
} as const;

function unreadable(source: Source, reason: string): Diagnosis {
  return found(source, 'unreadable', null, { reason });
}

const SERVICE_NAMES = { pop3: ['MSExchangePOP3', 'MSExchangePOP3BE'], imap4: ['MSExchangeIMAP4', 'MSExchangeIMAP4BE'] } as const;

const AUTOMATIC = /^auto(matic)?$/i;

function diagnoseServices(text: string, details: CaseDetails): Diagnosis | undefined {
  const rows = readServices(text);
  if (rows.length === 0) return undefined;
  const wanted: readonly string[] = SERVICE_NAMES[details.protocol];
  const relevant = rows.filter((row) => wanted.some((name) => name.toLowerCase() === row.name.toLowerCase()));
  if (relevant.length === 0) return unreadable('services', 'protocolServiceMissing');
  const stopped = relevant.find((row) => !/^running$/i.test(row.status));
  if (stopped) return found('services', 'serviceStopped', 'service', { service: stopped.name, status: stopped.status });
  const manual = relevant.find((row) => row.startType !== undefined && !AUTOMATIC.test(row.startType));
  if (manual) return found('services', 'serviceNotAutomatic', 'service', { service: manual.name, startType: manual.startType! });
  return found('services', 'servicesRunning', null, { services: relevant.map((r) => r.name).join(', ') });
}

const LOGIN_TYPES = ['PlainTextLogin', 'PlainTextAuthentication', 'SecureLogin'];

function emptyList(value: string | undefined): boolean {
  return value !== undefined && readList(value).length === 0;
}

/**
 * SecureLogin: connections on 110/143 must start TLS before they authenticate. PlainTextAuthentication:
 * basic authentication only on a connection protected by TLS or SSL. Either way, a client that signs in on
 * the plain port without encryption is refused, however right the server is.
 * Source: https://learn.microsoft.com/previous-versions/exchange-server/exchange-140/aa997188(v=exchg.140),
 * https://learn.microsoft.com/powershell/module/exchangepowershell/set-popsettings#-logintype,
 * https://learn.microsoft.com/powershell/module/exchangepowershell/set-popsettings#-sslbindings
 */
const TLS_BEFORE_SIGN_IN = ['SecureLogin', 'PlainTextAuthentication'];

function diagnoseProtocolSettings(settings: Fields, details: CaseDetails, text: string): Diagnosis {
  const loginType = settings.get('LoginType');
  if (!loginType || !LOGIN_TYPES.includes(loginType)) return unreadable('protocolSettings', 'loginTypeUnreadable');
  if (emptyList(settings.get('SSLBindings')) && emptyList(settings.get('UnencryptedOrTLSBindings'))) {
    return found('protocolSettings', 'noBindings', 'serverSettings');
  }
  if (emptyList(settings.get('SSLBindings'))) return found('protocolSettings', 'noSslBinding', 'serverSettings', { loginType });
  if (settings.has('X509CertificateName') && settings.get('X509CertificateName') === '') {
    return found('protocolSettings', 'noCertificateName', 'serverSettings', { loginType });
  }
  const client = readClientConnection(`${details.errorText ?? ''}\n${text}`);
  const { plainPort, sslPort } = PROTOCOL_TERMS[details.protocol];
  if (TLS_BEFORE_SIGN_IN.includes(loginType) && String(client.port) === plainPort && client.encrypted === false) {
    return found('protocolSettings', 'loginTypeRequiresTls', 'clientSettings', { loginType });
  }
  // SSLBindings are SSL from the first byte: a client without encryption there never gets a greeting.
  if (String(client.port) === sslPort && client.encrypted === false) return found('protocolSettings', 'clientPlainOnSslPort', 'clientSettings', { loginType });
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

/** The default table lists every mailbox asked for; which one is the case's, only one row can tell. */
function diagnoseMailboxRows(rows: Fields[], details: CaseDetails): Diagnosis {
  if (rows.length === 1) return diagnoseMailbox(rows[0]!, details);
  return unreadable('casMailbox', 'severalMailboxes');
}

/**
 * Clients submit on the client connector only as ExchangeUsers (authenticated users); Custom leaves the
 * rights to Add-ADPermission, which this output does not show.
 * Source: https://learn.microsoft.com/exchange/mail-flow/connectors/receive-connectors (default connectors),
 * https://learn.microsoft.com/powershell/module/exchangepowershell/set-receiveconnector#-permissiongroups
 */
function diagnosePermissionGroups(connector: Fields, name: string): Diagnosis | undefined {
  if (!connector.has('PermissionGroups')) return undefined;
  const groups = readList(connector.get('PermissionGroups')).map((g) => g.toLowerCase());
  if (groups.includes('exchangeusers')) return undefined;
  if (groups.includes('custom')) return unreadable('receiveConnector', 'customPermissions');
  return found('receiveConnector', 'connectorWithoutExchangeUsers', 'connector', { connector: name, permissionGroups: connector.get('PermissionGroups')! });
}

function diagnoseConnectors(connectors: Fields[]): Diagnosis {
  const nameOf = (c: Fields) => c.get('Name') ?? c.get('Identity') ?? '';
  const clients = connectors.filter((c) => /\bClient\b/i.test(nameOf(c)));
  if (clients.length === 0) return unreadable('receiveConnector', 'noClientConnector');
  for (const connector of clients) {
    const name = nameOf(connector);
    const enabled = readBoolean(connector.get('Enabled'));
    if (enabled === false) return found('receiveConnector', 'connectorDisabled', 'connector', { connector: name });
    const permissions = diagnosePermissionGroups(connector, name);
    if (permissions) return permissions;
    if (!connector.has('AuthMechanism')) continue;
    const mechanisms = readList(connector.get('AuthMechanism')).map((m) => m.toLowerCase());
    if (!mechanisms.includes('tls')) return found('receiveConnector', 'connectorWithoutTls', 'connector', { connector: name });
    if (!mechanisms.includes('basicauth')) return found('receiveConnector', 'connectorWithoutBasicAuth', 'connector', { connector: name });
  }
  const names = clients.map(nameOf).join(', ');
  if (clients.some((c) => readBoolean(c.get('Enabled')) === undefined)) return unreadable('receiveConnector', 'fieldMissing');
  // A table shows whether the connector is on, not how it authenticates: say only that.
  if (clients.some((c) => !c.has('AuthMechanism'))) return found('receiveConnector', 'connectorEnabled', null, { connector: names });
  return found('receiveConnector', 'connectorLooksRight', null, { connector: names });
}

/** Only dates that cannot be misread: 2025-10-14 or 2025/10/14 (Japanese Windows). 10/11/2025 is left to Status. */
function unambiguousDate(value: string | undefined): Date | undefined {
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})/.exec(value ?? '');
  if (!match) return undefined;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function isWildcard(certificate: Fields): boolean {
  return readList(certificate.get('CertificateDomains')).some((d) => d.startsWith('*.')) || /CN=\*\./i.test(certificate.get('Subject') ?? '');
}

function expiredOrInvalid(certificate: Fields, now: Date): boolean {
  const notAfter = unambiguousDate(certificate.get('NotAfter'));
  const status = certificate.get('Status');
  return status === 'DateInvalid' || (notAfter !== undefined && notAfter < now) || (status !== undefined && status !== 'Valid');
}

function diagnoseCertificates(certificates: Fields[], details: CaseDetails, now: Date): Diagnosis {
  const service = PROTOCOL_TERMS[details.protocol].certService;
  if (certificates.some((c) => !c.has('Services'))) return unreadable('certificate', 'fieldMissing');
  const assigned = certificates.filter((c) => readList(c.get('Services')).some((s) => s.toUpperCase() === service));
  if (assigned.length === 0) {
    // Microsoft's way for a wildcard certificate: never assigned to POP/IMAP, picked by X509CertificateName.
    // Source: https://learn.microsoft.com/powershell/module/exchangepowershell/set-popsettings (example 3 note)
    const wildcards = certificates.filter(isWildcard);
    // The summary table shows no dates: a wildcard certificate there may be the answer or may have expired.
    if (wildcards.some((c) => !c.has('Status') && !c.has('NotAfter'))) return unreadable('certificate', 'validityNotShown');
    const wildcard = wildcards.find((c) => !expiredOrInvalid(c, now));
    if (wildcard) {
      const domain = readList(wildcard.get('CertificateDomains')).find((d) => d.startsWith('*.')) ?? wildcard.get('Subject') ?? '';
      return found('certificate', 'wildcardCertificate', null, { service, domain });
    }
    return found('certificate', 'certificateNotAssigned', 'serverSettings', { service });
  }
  for (const certificate of assigned) {
    const thumbprint = certificate.get('Thumbprint') ?? '';
    const status = certificate.get('Status');
    const notAfter = unambiguousDate(certificate.get('NotAfter'));
    if (status === 'DateInvalid' || (notAfter && notAfter < now)) {
      // An ISO day each language can write its own way; a date that could be misread stays as pasted.
      const shown = notAfter?.toISOString().slice(0, 10) ?? certificate.get('NotAfter') ?? '';
      return found('certificate', 'certificateExpired', 'serverSettings', { thumbprint, notAfter: shown });
    }
    if (status !== undefined && status !== 'Valid') return found('certificate', 'certificateNotValid', 'serverSettings', { thumbprint, status });
    if (status === undefined && !notAfter) {
      // The summary table (and a list cut short) shows the assignment but not whether it is still valid.
      if (!certificate.has('Status') && !certificate.has('NotAfter')) return found('certificate', 'certificateAssigned', null, { service, thumbprint });
      return unreadable('certificate', 'fieldMissing');
    }
  }
  return found('certificate', 'certificateLooksRight', null, { service });
}

// ---- The other check commands the bot hands out -----------------------------------------------------

/**
 * AdminDisplayVersion as Get-ExchangeServer prints it ("Version 15.2 (Build 1748.10)"), to the product.
 * Source: https://learn.microsoft.com/exchange/new-features/build-numbers-and-release-dates
 */
function productOfBuild(version: string): { product: string; version: CaseDetails['version'] } | undefined {
  const match = /Version\s+(\d+)\.(\d+)\s+\(Build\s+(\d+)\./i.exec(version);
  if (!match) return undefined;
  const [major, minor, build] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (major === 8) return { product: 'Exchange Server 2007', version: '2007' };
  if (major === 14) return { product: 'Exchange Server 2010', version: '2010' };
  if (major !== 15) return undefined;
  if (minor === 0) return { product: 'Exchange Server 2013', version: '2013' };
  if (minor === 1) return { product: 'Exchange Server 2016', version: '2016' };
  if (minor === 2) return build >= 2562 ? { product: 'Exchange Server SE', version: 'SE' } : { product: 'Exchange Server 2019', version: '2019' };
  return undefined;
}

function diagnoseBuild(server: Fields, details: CaseDetails): Diagnosis {
  const build = server.get('AdminDisplayVersion') ?? '';
  const product = productOfBuild(build);
  if (!product) return unreadable('build', 'valueUnreadable');
  const values = { server: server.get('Name') ?? details.server ?? '', product: product.product, build };
  if (details.version !== undefined && details.version !== product.version) return found('build', 'buildOtherVersion', null, values);
  return found('build', 'buildShown', null, values);
}

/**
 * Test-PopConnectivity (a table by default, or a list) and Invoke-MonitoringProbe (ResultType).
 * Source: https://learn.microsoft.com/powershell/module/exchangepowershell/test-popconnectivity (CasServer,
 * LocalSite, Scenario, Result, Latency(MS), Error; Result is Success, Skipped or Failure)
 */
function diagnoseConnectivityTest(results: Fields[], details: CaseDetails): Diagnosis {
  const outcome = (r: Fields) => r.get('Result') ?? r.get('ResultType') ?? '';
  // A long Error wrapped onto the next row leaves that row with no server and no result.
  const rows = results.filter((r) => outcome(r) !== '' || (r.get('CasServer') ?? '') !== '');
  if (rows.length === 0 || rows.some((r) => !/^(Success|Succeeded|Failure|Failed|Skipped)$/i.test(outcome(r)))) {
    return unreadable('connectivityTest', 'valueUnreadable');
  }
  const server = rows[0]!.get('CasServer') ?? rows[0]!.get('ClientAccessServerShortName') ?? rows[0]!.get('ClientAccessServer') ?? details.server ?? '';
  if (rows.some((r) => /^(Failure|Failed)$/i.test(outcome(r)))) return found('connectivityTest', 'connectivityTestFailed', null, { server });
  // Skipped means no logon was tried (no test user on first use), so it proves nothing either way.
  if (rows.every((r) => /^Skipped$/i.test(outcome(r)))) return found('connectivityTest', 'connectivityTestSkipped', null, { server });
  return found('connectivityTest', 'connectivityTestPassed', null, { server });
}

/** Test-NetConnection (TcpTestSucceeded) or the TcpClient line (Connected), for one port or several. */
function diagnosePortTests(results: Fields[], details: CaseDetails): Diagnosis {
  const open = results.map((r) => readBoolean(r.get('TcpTestSucceeded') ?? r.get('Connected')));
  if (open.some((o) => o === undefined)) return unreadable('portTest', 'valueUnreadable');
  const targetOf = (r: Fields) => {
    const host = r.get('ComputerName');
    const port = r.get('RemotePort');
    return host && port ? `${host}:${port}` : (host ?? '');
  };
  const closed = results.filter((_, i) => open[i] === false);
  if (closed.length === 0) return found('portTest', 'portOpen', null, { target: results.map(targetOf).join(', ') });
  return found('portTest', 'portClosed', details.version === 'Online' ? 'clientSettings' : 'service', { target: closed.map(targetOf).join(', ') });
}

function diagnoseMailboxPlans(plans: Fields[], details: CaseDetails): Diagnosis {
  const field = `${PROTOCOL_TERMS[details.protocol].noun}Enabled`;
  const values = plans.map((plan) => readBoolean(plan.get(field)));
  if (values.some((v) => v === undefined)) return unreadable('mailboxPlan', 'valueUnreadable');
  const off = plans.filter((_, i) => values[i] === false);
  if (off.length > 0) return found('mailboxPlan', 'planProtocolDisabled', 'mailbox', { field, plan: off.map((p) => p.get('Name')).join(', ') });
  return found('mailboxPlan', 'planProtocolEnabled', null, { field });
}

function diagnoseTenantSmtpAuth(config: Fields): Diagnosis {
  const disabled = readBoolean(config.get('SmtpClientAuthenticationDisabled'));
  if (disabled === undefined) return unreadable('tenantSmtpAuth', 'valueUnreadable');
  return disabled ? found('tenantSmtpAuth', 'tenantSmtpAuthDisabled', 'onlineAuth') : found('tenantSmtpAuth', 'tenantSmtpAuthEnabled', null);
}

function diagnoseServicePrincipals(principals: Fields[]): Diagnosis {
  const named = principals.filter((p) => (p.get('AppId') ?? '') !== '');
  if (named.length === 0) return found('servicePrincipals', 'noServicePrincipal', 'onlineAuth');
  return found('servicePrincipals', 'servicePrincipalsListed', null, { names: named.map((p) => p.get('DisplayName')).join(', ') });
}

function diagnoseMailboxPermissions(permissions: Fields[], details: CaseDetails): Diagnosis {
  const full = permissions.filter((p) => /FullAccess/i.test(p.get('AccessRights') ?? '') && !/NT AUTHORITY\\SELF/i.test(p.get('User') ?? ''));
  if (full.length > 0) return found('mailboxPermissions', 'fullAccessListed', null, { users: full.map((p) => p.get('User')).join(', ') });
  return found('mailboxPermissions', 'noFullAccess', details.version === 'Online' ? 'onlineAuth' : null);
}

function diagnoseAuthenticationPolicies(objects: Fields[], details: CaseDetails): Diagnosis {
  const field = `BlockLegacyAuth${PROTOCOL_TERMS[details.protocol].noun}`;
  const policies = objects.filter((o) => o.has(field));
  if (policies.length > 0) {
    const blocking = policies.filter((p) => readBoolean(p.get(field)) === true);
    if (policies.some((p) => readBoolean(p.get(field)) === undefined)) return unreadable('authenticationPolicy', 'valueUnreadable');
    if (blocking.length > 0) return found('authenticationPolicy', 'authPolicyBlocks', 'mailbox', { field, policy: blocking.map((p) => p.get('Name')).join(', ') });
    return found('authenticationPolicy', 'authPolicyAllows', null, { field });
  }
  const assigned = objects.map((o) => o.get('AuthenticationPolicy') ?? o.get('DefaultAuthenticationPolicy')).find((v) => v !== undefined && v !== '');
  return assigned ? found('authenticationPolicy', 'authPolicyAssigned', null, { field, policy: assigned }) : found('authenticationPolicy', 'authPolicyNone', null, { field });
}

/**
 * Only ServerWideOffline and the protocol's proxy component stop the service; the full list also holds
 * components that are Inactive by design (ForwardSyncDaemon, ProvisioningRps) and must not count.
 * Source: https://learn.microsoft.com/powershell/module/exchangepowershell/set-servercomponentstate
 */
function diagnoseComponents(components: Fields[], details: CaseDetails): Diagnosis {
  const wanted: string[] = ['ServerWideOffline', PROTOCOL_TERMS[details.protocol].proxyComponent];
  const relevant = components.filter((c) => wanted.some((w) => w.toLowerCase() === (c.get('Component') ?? '').toLowerCase()));
  if (relevant.length === 0) return unreadable('componentState', 'fieldMissing');
  // The whole list without the proxy component is a paste cut short, not a healthy server.
  if (relevant.length < wanted.length && components.length > relevant.length) return unreadable('componentState', 'fieldMissing');
  if (relevant.some((c) => !/^(Active|Inactive|Draining)$/i.test(c.get('State') ?? ''))) return unreadable('componentState', 'valueUnreadable');
  const inactive = relevant.filter((c) => !/^Active$/i.test(c.get('State')!));
  if (inactive.length > 0) return found('componentState', 'componentInactive', 'service', { component: inactive.map((c) => c.get('Component')).join(', ') });
  return found('componentState', 'componentsActive', null, { components: relevant.map((c) => c.get('Component')).join(', ') });
}

/**
 * Get-ServerHealth (the bot's table, or the default one with Server, State, TargetResource): the
 * protocol's health sets (POP, POP.Protocol, POP.Proxy) and their monitors' AlertValue. A monitor that is
 * Disabled says nothing; one that is neither Healthy nor Unhealthy (Degraded, Repairing) is left unread.
 * Source: https://learn.microsoft.com/exchange/troubleshooting-pop-health-set-exchange-2013-help,
 * https://learn.microsoft.com/powershell/module/exchangepowershell/get-serverhealth
 */
function diagnoseHealthSets(monitors: Fields[], details: CaseDetails): Diagnosis {
  const set = PROTOCOL_TERMS[details.protocol].healthSet;
  const relevant = monitors.filter((m) => new RegExp(`^${set}(\\.|$)`, 'i').test(m.get('HealthSetName') ?? '') && !/^Disabled$/i.test(m.get('AlertValue') ?? ''));
  if (relevant.length === 0) return unreadable('serverHealth', 'fieldMissing');
  const unhealthy = relevant.filter((m) => /^Unhealthy$/i.test(m.get('AlertValue')!));
  if (unhealthy.length > 0) return found('serverHealth', 'healthSetUnhealthy', 'service', { monitors: unhealthy.map((m) => m.get('Name')).join(', ') });
  if (relevant.some((m) => !/^Healthy$/i.test(m.get('AlertValue')!))) return unreadable('serverHealth', 'valueUnreadable');
  return found('serverHealth', 'healthSetsHealthy', null, { monitors: relevant.map((m) => m.get('Name')).join(', ') });
}

// openssl s_client's verdict on the chain ("Verify return code: 0 (ok)"). Only the codes that mean the
// same wherever openssl runs are read: a missing local issuer (20, 21) is often just a Windows build of
// openssl without a CA bundle, so it is left unread rather than blamed on the server.
const OPENSSL_VERIFY = /^\s*Verify return code: (\d+) \(([^)]*)\)/m;
const OPENSSL_SESSION = /^CONNECTED\(0|SSL handshake has read/m;

/** `openssl s_client -connect host:995` (or -starttls): the certificate the clients are shown. */
function diagnoseOpenssl(text: string, details: CaseDetails): Diagnosis | undefined {
  if (!OPENSSL_SESSION.test(text)) return undefined;
  const verify = OPENSSL_VERIFY.exec(text);
  if (!verify) return unreadable('tlsTest', 'fieldMissing');
  const name = /^subject=.*?CN ?= ?([^,/\n]+)/m.exec(text)?.[1]?.trim() ?? '';
  const code = Number(verify[1]);
  if (code === 0) return found('tlsTest', 'opensslTrusted', null, { name });
  // Exchange Online's certificate is Microsoft's: a complaint there is about where openssl ran.
  if (details.version === 'Online') return unreadable('tlsTest', 'onlineCertificate');
  if (code === 10) return found('tlsTest', 'opensslCertificateExpired', 'serverSettings', { name });
  if (code === 18 || code === 19) return found('tlsTest', 'opensslUntrusted', 'serverSettings', { name, reason: verify[2]! });
  return unreadable('tlsTest', 'valueUnreadable');
}

const LISTENING = /^\s*TCP\s+\S+:(\d+)\s+\S+\s+LISTENING\b/gm;

/**
 * `netstat -ano | findstr LISTENING`: which of the protocol's two ports something listens on. The service
 * listens on what UnencryptedOrTLSBindings and SSLBindings name; a port missing from the list has no binding.
 * Source: https://learn.microsoft.com/powershell/module/exchangepowershell/set-popsettings#-sslbindings
 */
function diagnoseListeners(text: string, details: CaseDetails): Diagnosis | undefined {
  const ports = new Set([...text.matchAll(LISTENING)].map((m) => m[1]!));
  if (ports.size === 0) return undefined;
  const { plainPort, sslPort } = PROTOCOL_TERMS[details.protocol];
  const shown = [plainPort, sslPort].filter((p) => ports.has(p));
  if (shown.length === 0) return unreadable('listeners', 'fieldMissing');
  const missing = [plainPort, sslPort].filter((p) => !ports.has(p));
  if (missing.length > 0) return found('listeners', 'portNotListening', 'serverSettings', { port: missing[0]! });
  return found('listeners', 'portsListening', null);
}

/** The pastes that are tables rather than lists, each known by its header; a header without rows is cut short. */
function diagnoseTables(text: string, details: CaseDetails, now: Date): Diagnosis | undefined {
  // Get-CASMailbox's default table holds both protocols' columns; the plan table only the one asked for.
  // Source: https://learn.microsoft.com/powershell/module/exchangepowershell/get-casmailbox
  const mailboxes = readTable(text, ['Name', 'OWAEnabled', 'PopEnabled', 'ImapEnabled']);
  if (mailboxes) return mailboxes.length > 0 ? diagnoseMailboxRows(mailboxes, details) : unreadable('casMailbox', 'fieldMissing');
  const settings = readTable(text, ['LoginType', 'SSLBindings']);
  if (settings) return settings.length === 1 ? diagnoseProtocolSettings(settings[0]!, details, text) : unreadable('protocolSettings', 'fieldMissing');
  const field = `${PROTOCOL_TERMS[details.protocol].noun}Enabled`;
  const plans = readTable(text, ['Name', field]);
  if (plans?.length) return diagnoseMailboxPlans(plans, details);
  const tests = readTable(text, ['Scenario', 'Result']);
  if (tests?.length) return diagnoseConnectivityTest(tests, details);
  // Get-ExchangeCertificate's summary table. Source: https://learn.microsoft.com/powershell/module/exchangepowershell/get-exchangecertificate
  const certificates = readTable(text, ['Thumbprint', 'Services', 'Subject']);
  if (certificates) {
    if (certificates.length === 0) return unreadable('certificate', 'fieldMissing');
    const rows = certificates.map((row) => new Map([...row, ['Services', readCertificateServices(row.get('Services')).join(', ')]]));
    return diagnoseCertificates(rows, details, now);
  }
  // Get-ReceiveConnector's default table, and the bot's own Format-Table Name,Enabled,Bindings.
  // Source: https://learn.microsoft.com/powershell/module/exchangepowershell/get-receiveconnector
  const connectors = readTable(text, ['Identity', 'Bindings', 'Enabled']) ?? readTable(text, ['Name', 'Enabled', 'Bindings']);
  if (connectors) return diagnoseConnectors(connectors);
  // Get-ServerComponentState's default table. Source: https://learn.microsoft.com/powershell/module/exchangepowershell/get-servercomponentstate
  const components = readTable(text, ['Component', 'State']);
  if (components) return diagnoseComponents(components, details);
  const health = readTable(text, ['HealthSetName', 'Name', 'AlertValue']);
  if (health) return diagnoseHealthSets(health, details);
  const principals = readTable(text, ['DisplayName', 'AppId', 'ObjectId']);
  if (principals || /DisplayName\s+AppId\s+ObjectId/.test(text)) return diagnoseServicePrincipals(principals ?? []);
  const permissions = readTable(text, ['User', 'AccessRights']);
  if (permissions?.length) return diagnoseMailboxPermissions(permissions, details);
  return undefined;
}

/** The verdict, with the protocol of the case for its sentence. */
function withTerms(diagnosis: Diagnosis, details: CaseDetails): Diagnosis {
  const { protocol, plainPort, sslPort, startTls } = PROTOCOL_TERMS[details.protocol];
  return { ...diagnosis, values: { protocol, plainPort, sslPort, startTls, ...diagnosis.values } };
}

export function diagnose(pasted: string, details: CaseDetails, now: Date): Diagnosis {
  return withTerms(read(pasted, details, now), details);
}

// "WARNING: Name resolution of mail.contoso.com failed" (Japanese Windows: 「警告: Name resolution of … failed」).
const NAME_NOT_RESOLVED = /Name resolution of \S+ failed/i;

function read(pasted: string, details: CaseDetails, now: Date): Diagnosis {
  const text = maskedHead(pasted, PASTE_LIMIT);
  if (text.trim() === '') return unreadable('unknown', 'empty');
  const objects = readFormatList(text);
  const has = (key: string) => objects.some((o) => o.has(key));
  const first = (key: string) => objects.find((o) => o.has(key))!;

  if (has('AdminDisplayVersion')) return diagnoseBuild(first('AdminDisplayVersion'), details);
  // Test-NetConnection stops before the TCP test when the name does not resolve.
  if (has('ComputerName') && NAME_NOT_RESOLVED.test(text)) return found('portTest', 'errorHostNotFound', 'clientSettings', { target: first('ComputerName').get('ComputerName')! });
  if (has('TcpTestSucceeded') || (has('Connected') && objects.every((o) => o.size <= 2))) {
    return diagnosePortTests(objects.filter((o) => o.has(has('TcpTestSucceeded') ? 'TcpTestSucceeded' : 'Connected')), details);
  }
  if (has('ResultType') || (has('Result') && (has('CasServer') || has('Scenario')))) {
    return diagnoseConnectivityTest(objects.filter((o) => o.has('Result') || o.has('ResultType')), details);
  }
  const policyField = `BlockLegacyAuth${PROTOCOL_TERMS[details.protocol].noun}`;
  if (has(policyField) || has('AuthenticationPolicy') || has('DefaultAuthenticationPolicy')) return diagnoseAuthenticationPolicies(objects, details);
  if (has('Component') && has('State')) return diagnoseComponents(objects.filter((o) => o.has('Component')), details);

  if (has('LoginType') && (has('SSLBindings') || has('UnencryptedOrTLSBindings'))) {
    return diagnoseProtocolSettings(objects.find((o) => o.has('LoginType'))!, details, text);
  }
  if (has('PopEnabled') || has('ImapEnabled')) return diagnoseMailbox(objects.find((o) => o.has('PopEnabled') || o.has('ImapEnabled'))!, details);
  if (has('SmtpClientAuthenticationDisabled')) return diagnoseTenantSmtpAuth(first('SmtpClientAuthenticationDisabled'));
  if (has('AuthMechanism') || (has('Bindings') && has('PermissionGroups'))) {
    return diagnoseConnectors(objects.filter((o) => o.has('AuthMechanism') || o.has('Bindings')));
  }
  if (has('Thumbprint') && (has('NotAfter') || has('Services'))) {
    return diagnoseCertificates(objects.filter((o) => o.has('Thumbprint')), details, now);
  }
  const tls = diagnoseOpenssl(text, details);
  if (tls) return tls;
  const listeners = diagnoseListeners(text, details);
  if (listeners) return listeners;
  const services = diagnoseServices(text, details);
  if (services) return services;
  const table = diagnoseTables(text, details, now);
  if (table) return table;
  // Shell output we do not recognise (or cut before its telling lines) is not an error message:
  // "X509CertificateName" must not read as a certificate error.
  const fieldCount = objects.reduce((sum, o) => sum + o.size, 0);
  if (fieldCount >= 3) return unreadable('unknown', 'notRecognised');
  const client = readClientText(text, details);
  return client ? found('clientError', client.finding, client.checkpoint) : unreadable('unknown', 'notRecognised');
}
