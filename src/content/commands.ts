// Command lines shared by the steps, the remedies, the client check and the support bundle. A command
// exists once here so that a step's check and the remedy's diagnosis can never drift apart.
// Every value the admin typed arrives already quoted through the Case; nothing here quotes again.
import type { Case } from './case';
import { ONLINE_ENDPOINTS, SMTP_SUBMISSION_PORT } from './facts';
import { placeholder, psLiteral } from './powershell';

const THUMBPRINT = placeholder('Thumbprint');

const settings = (c: Case) => `${c.p.noun}Settings`;

// ---- Windows services ------------------------------------------------------------------------

/** Win32_Service shows the start mode too, and exists on every Windows that ran Exchange 2007 or later. */
export function serviceState(c: Case): string {
  const filter = c.services.map((s) => `Name='${s}'`).join(' OR ');
  return `Get-WmiObject Win32_Service -Filter "${filter}" | Format-Table Name,State,StartMode -AutoSize`;
}

export function getServices(c: Case): string {
  return `Get-Service ${c.services.join(', ')}`;
}

export function setAutomatic(c: Case, services = c.services): string[] {
  return services.map((s) => `Set-Service ${s} -StartupType Automatic`);
}

export function startServices(c: Case, services = c.services): string[] {
  return services.map((s) => `Start-Service ${s}`);
}

export function restartServices(c: Case): string[] {
  return c.services.map((s) => `Restart-Service ${s}`);
}

/** netstat works on every server version, unlike Get-NetTCPConnection (2012 and later). */
export function listening(c: Case): string {
  return `netstat -ano | findstr LISTENING | findstr ":${c.p.plainPort} :${c.p.sslPort}"`;
}

export function recentServiceEvents(c: Case, errorsOnly = false): string {
  const entryType = errorsOnly ? ' -EntryType Error' : '';
  return `Get-EventLog -LogName Application -Source ${c.p.service}*${entryType} -Newest 20 | Format-List TimeGenerated,EntryType,EventID,Message`;
}

export function processOnPort(): string {
  return `Get-Process -Id ${placeholder('PID')} | Format-List Name,Path`;
}

// ---- POP3 / IMAP4 server settings --------------------------------------------------------------

export function showProtocolSettings(c: Case, fields?: string[]): string {
  const shown = fields ?? [
    'LoginType',
    '*Bindings',
    ...(c.gen.connectionSettings ? ['*ConnectionSettings'] : []),
    'X509CertificateName',
  ];
  return `Get-${settings(c)} -Server ${c.server} | Format-List ${shown.join(',')}`;
}

export function setLoginType(c: Case, loginType: 'SecureLogin' | 'PlainTextAuthentication' | 'PlainTextLogin'): string {
  return `Set-${settings(c)} -Server ${c.server} -LoginType ${loginType}`;
}

/**
 * 2010+ publishes the client-facing name with the certificate; 2007 only knows the certificate name.
 * Source: https://learn.microsoft.com/exchange/clients/pop3-and-imap4/configure-pop3 (Step 2)
 */
export function setCertificateName(c: Case): string {
  const external = c.gen.connectionSettings
    ? ` -ExternalConnectionSettings ${c.clientEndpoint(c.p.sslPort, 'SSL')},${c.clientEndpoint(c.p.plainPort, 'TLS')}`
    : '';
  return `Set-${settings(c)} -Server ${c.server}${external} -X509CertificateName ${c.clientHost}`;
}

/**
 * Protocol logging is off by default; the log shows each command and answer of a session.
 * Source: https://learn.microsoft.com/powershell/module/exchangepowershell/set-popsettings#-protocollogenabled
 */
export function enableProtocolLog(c: Case): string {
  return `Set-${settings(c)} -Server ${c.server} -ProtocolLogEnabled $true`;
}

export function resetBindings(c: Case): string {
  const { plainPort, sslPort } = c.p;
  return `Set-${settings(c)} -Server ${c.server} -UnencryptedOrTLSBindings '[::]:${plainPort}','0.0.0.0:${plainPort}' -SSLBindings '[::]:${sslPort}','0.0.0.0:${sslPort}'`;
}

export function setMaxConnectionsPerUser(c: Case): string {
  return `Set-${settings(c)} -Server ${c.server} -MaxConnectionsPerUser ${placeholder('Number')}`;
}

// ---- Certificates ----------------------------------------------------------------------------

function certificateServer(c: Case): string {
  return c.gen.certificateServerParameter ? ` -Server ${c.server}` : '';
}

export function showCertificates(c: Case): string {
  return `Get-ExchangeCertificate${certificateServer(c)} | Format-List Thumbprint,Subject,CertificateDomains,Services,NotAfter,Status`;
}

export function enableCertificate(c: Case): string {
  return `Enable-ExchangeCertificate${certificateServer(c)} -Thumbprint ${THUMBPRINT} -Services ${c.p.certificateService}`;
}

/**
 * Enabling a certificate for SMTP prompts to replace the default transport certificate, which internal
 * SMTP between Exchange servers needs; clients on 587 only need the connector to present the right one.
 * Source: https://learn.microsoft.com/powershell/module/exchangepowershell/enable-exchangecertificate#-services
 */
export function enableCertificateForSmtp(c: Case): string {
  return `Enable-ExchangeCertificate${certificateServer(c)} -Thumbprint ${THUMBPRINT} -Services SMTP`;
}

/**
 * The connector greets with its Fqdn and, on 2013 and later, presents the certificate TlsCertificateName
 * names ("<I>issuer<S>subject"); 2007 and 2010 pick the SMTP certificate whose name matches the Fqdn.
 * Source: https://learn.microsoft.com/exchange/clients/pop3-and-imap4/configure-authenticated-smtp,
 * https://learn.microsoft.com/powershell/module/exchangepowershell/set-receiveconnector#-tlscertificatename
 */
export function connectorCertificate(c: Case): string[] {
  if (!c.gen.managedAvailability) return [`Set-ReceiveConnector -Identity ${c.connector} -Fqdn ${c.clientHost}`];
  return [
    `$cert = Get-ExchangeCertificate${certificateServer(c)} -Thumbprint ${THUMBPRINT}`,
    `Set-ReceiveConnector -Identity ${c.connector} -Fqdn ${c.clientHost} -TlsCertificateName "<I>$($cert.Issuer)<S>$($cert.Subject)"`,
  ];
}

// ---- Mailbox ---------------------------------------------------------------------------------

export function showCasMailbox(c: Case, extra: string[] = []): string {
  return `Get-CASMailbox -Identity ${c.mailbox} | Format-List Name,${c.p.noun}Enabled${extra.map((e) => `,${e}`).join('')}`;
}

export function enableForMailbox(c: Case): string {
  return `Set-CASMailbox -Identity ${c.mailbox} -${c.p.noun}Enabled $true`;
}

export function useProtocolDefaults(c: Case): string {
  return `Set-CASMailbox -Identity ${c.mailbox} -${c.p.noun}UseProtocolDefaults $true`;
}

export function showMailboxIdentity(c: Case, fields: string[]): string {
  return `Get-Mailbox -Identity ${c.mailbox} | Format-List ${fields.join(',')}`;
}

export function showMailboxPermissions(c: Case): string {
  return `Get-MailboxPermission -Identity ${c.mailbox} | Format-Table User,AccessRights -AutoSize`;
}

export function grantFullAccess(c: Case, user: string): string {
  return `Add-MailboxPermission -Identity ${c.mailbox} -User ${placeholder(user)} -AccessRights FullAccess`;
}

// ---- Connectivity tests ----------------------------------------------------------------------

/**
 * The built-in logon test. It connects to the server's internal name, so a correct certificate for the
 * external name would fail it: -TrustAnySSLCertificate keeps it a test of the logon, and the certificate
 * clients see is checked from a client instead.
 * Source: https://learn.microsoft.com/powershell/module/exchangepowershell/test-popconnectivity#-trustanysslcertificate
 */
export function testConnectivity(c: Case, connectionType: 'Ssl' | 'Tls'): string {
  return `Test-${c.p.noun}Connectivity -ClientAccessServer ${c.server} -MailboxCredential (Get-Credential) -ConnectionType ${connectionType} -LightMode -TrustAnySSLCertificate`;
}

/**
 * On 2013 and later Microsoft replaces Test-PopConnectivity with Managed Availability's probe.
 * Source: https://learn.microsoft.com/exchange/troubleshooting-pop-health-set-exchange-2013-help
 */
export function monitoringProbe(c: Case): string {
  return `Invoke-MonitoringProbe ${c.p.monitoringProbe} -Server ${c.server} | Format-List ResultType,Error,ExecutionEndTime`;
}

/**
 * A TCP connection test, in the form that exists where it runs (see NET_TEST_CMDLETS): Test-NetConnection,
 * or a .NET TcpClient, which connects as it is created and works on every Windows PowerShell.
 * Source: https://learn.microsoft.com/powershell/module/nettcpip/test-netconnection,
 * https://learn.microsoft.com/dotnet/api/system.net.sockets.tcpclient.-ctor
 */
function portTest(c: Case, hostLiteral: string, port: number): string {
  return c.netTestCmdlets
    ? `Test-NetConnection -ComputerName ${hostLiteral} -Port ${port}`
    : `New-Object System.Net.Sockets.TcpClient(${hostLiteral}, ${port}) | Format-List Connected`;
}

/** From a client PC, to the name clients use. */
export function testPort(c: Case, port: number): string {
  return portTest(c, c.clientHostLiteral, port);
}

export function testOnlinePort(c: Case, host: string, port: number): string {
  return portTest(c, psLiteral(host), port);
}

/** The handshake and certificate exactly as a client sees them. */
export function opensslImplicit(c: Case): string {
  return `openssl s_client -connect ${c.clientEndpoint(c.p.sslPort)}`;
}

export function opensslStartTls(c: Case): string {
  return `openssl s_client -connect ${c.clientEndpoint(c.p.plainPort)} -starttls ${c.p.opensslStartTls}`;
}

export function opensslSubmission(c: Case): string {
  return `openssl s_client -connect ${c.clientEndpoint(SMTP_SUBMISSION_PORT)} -starttls smtp`;
}

export function opensslOnline(c: Case): string {
  return `openssl s_client -connect ${ONLINE_ENDPOINTS.mailHost}:${c.p.sslPort}`;
}

export function serverHealth(c: Case): string {
  return `Get-ServerHealth -Identity ${c.server} | Where-Object { $_.HealthSetName -like '${c.p.healthSetPrefix}*' } | Format-Table HealthSetName,Name,AlertValue -AutoSize`;
}

// ---- Receive connector -----------------------------------------------------------------------

export function showConnector(c: Case): string {
  const fields = ['Name', 'Enabled', 'Fqdn', 'Bindings', 'AuthMechanism', 'PermissionGroups'];
  // TlsCertificateName exists on 2013 and later only.
  if (c.gen.managedAvailability) fields.push('TlsCertificateName');
  return `Get-ReceiveConnector -Identity ${c.connector} | Format-List ${fields.join(',')}`;
}

export function listConnectors(c: Case): string {
  return `Get-ReceiveConnector -Server ${c.server} | Format-Table Name,Enabled,Bindings -AutoSize`;
}

/** The mechanisms Exchange sets on the client connector out of the box. */
export function restoreConnector(c: Case): string {
  return `Set-ReceiveConnector -Identity ${c.connector} -Enabled $true -AuthMechanism Tls,Integrated,BasicAuth,BasicAuthRequireTLS -PermissionGroups ExchangeUsers`;
}

export function enableConnector(c: Case): string {
  return `Set-ReceiveConnector -Identity ${c.connector} -Enabled $true`;
}

export function connectorWithoutIntegrated(c: Case): string {
  return `Set-ReceiveConnector -Identity ${c.connector} -AuthMechanism Tls,BasicAuth,BasicAuthRequireTLS`;
}

export function connectorPermissionGroups(c: Case): string {
  return `Set-ReceiveConnector -Identity ${c.connector} -PermissionGroups ExchangeUsers`;
}

export function event1035(): string {
  return `Get-WinEvent -FilterHashtable @{LogName='Application'; ProviderName='MSExchangeFrontEndTransport'; Id=1035} -MaxEvents 10 | Format-List TimeCreated,Message`;
}

/** Resolve-DnsName where it exists (see NET_TEST_CMDLETS), nslookup everywhere else. */
export function resolveName(c: Case): string {
  return c.netTestCmdlets ? `Resolve-DnsName ${c.clientHost}` : `nslookup ${c.clientHost}`;
}

// ---- Server health (2013 and later) --------------------------------------------------------------

/**
 * After CU/SU maintenance a server can be left with ServerWideOffline or the protocol's proxy component
 * Inactive: the POP3/IMAP4 service then stops by design.
 * Source: https://learn.microsoft.com/powershell/module/exchangepowershell/set-servercomponentstate
 */
export function componentStates(c: Case): string[] {
  return ['ServerWideOffline', c.p.proxyComponent].map(
    (component) => `Get-ServerComponentState -Identity ${c.server} -Component ${component} | Format-List Component,State`,
  );
}

export function activateComponents(c: Case): string[] {
  return ['ServerWideOffline', c.p.proxyComponent].map(
    (component) => `Set-ServerComponentState -Identity ${c.server} -Component ${component} -State Active -Requester Maintenance`,
  );
}

// ---- Authentication policies (2019 CU2 and later, SE) --------------------------------------------

/**
 * BlockLegacyAuthPop/Imap in the user's policy, or in the organization's default, refuses basic logins.
 * Source: https://learn.microsoft.com/powershell/module/exchangepowershell/new-authenticationpolicy#-blocklegacyauthpop,
 * https://learn.microsoft.com/powershell/module/exchangepowershell/set-organizationconfig#-defaultauthenticationpolicy
 */
export function authenticationPolicies(c: Case): string[] {
  return [
    `Get-User -Identity ${c.mailbox} | Format-List Name,AuthenticationPolicy`,
    'Get-OrganizationConfig | Format-List DefaultAuthenticationPolicy',
    `Get-AuthenticationPolicy | Format-List Name,BlockLegacyAuth${c.p.noun}`,
  ];
}

// ---- Exchange Online -------------------------------------------------------------------------

export const CONNECT_EXCHANGE_ONLINE = 'Connect-ExchangeOnline';

export function showTenantSmtpAuth(): string {
  return 'Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled';
}

/** Tenant-wide; the per-mailbox switch is the narrower fix and is offered first. */
export function allowSmtpAuthForTenant(): string {
  return 'Set-TransportConfig -SmtpClientAuthenticationDisabled $false';
}

export function allowSmtpAuthForMailbox(c: Case): string {
  return `Set-CASMailbox -Identity ${c.mailbox} -SmtpClientAuthenticationDisabled $false`;
}

export function showMailboxPlans(c: Case): string {
  return `Get-CASMailboxPlan | Format-Table Name,${c.p.noun}Enabled -AutoSize`;
}

export function enableInMailboxPlan(c: Case): string {
  return `Set-CASMailboxPlan -Identity ${placeholder('PlanName')} -${c.p.noun}Enabled $true`;
}

export function showServicePrincipals(): string {
  return 'Get-ServicePrincipal | Format-Table DisplayName,AppId,ObjectId -AutoSize';
}

/** The object ID is the Enterprise application's, not the App registration's: the usual mistake. */
export function newServicePrincipal(): string {
  return `New-ServicePrincipal -AppId ${placeholder('AppId')} -ObjectId ${placeholder('EnterpriseAppObjectId')}`;
}

/**
 * What can refuse an OAuth sign-in: a Conditional Access policy (its result shows in the sign-in logs).
 * Source: https://learn.microsoft.com/powershell/module/microsoft.graph.identity.signins/get-mgidentityconditionalaccesspolicy
 */
export const CONDITIONAL_ACCESS = [
  'Connect-MgGraph -Scopes Policy.Read.All',
  'Get-MgIdentityConditionalAccessPolicy | Format-Table DisplayName,State -AutoSize',
] as const;

// ---- Identification for support ----------------------------------------------------------------

/** Source: https://learn.microsoft.com/exchange/new-features/build-numbers-and-release-dates */
export function showBuild(c: Case): string {
  return `Get-ExchangeServer -Identity ${c.server} | Format-List Name,Edition,AdminDisplayVersion`;
}
