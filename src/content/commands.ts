// Command lines shared by the steps, the remedies, the client check and the support bundle. A command
// exists once here so that a step's check and the remedy's diagnosis can never drift apart.
// Every value the admin typed arrives already quoted through the Case; nothing here quotes again.
import type { Case } from './case';
import { ONLINE_ENDPOINTS, SMTP_SUBMISSION_PORT } from './facts';
import { placeholder } from './powershell';

const THUMBPRINT = placeholder('Thumbprint');
/** The name on the certificate that clients connect to (mail.contoso.com): rarely the server's own name. */
const FQDN = placeholder('FQDN');

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

/** 2010+ publishes the client-facing name with the certificate; 2007 only knows the certificate name. */
export function setCertificateName(c: Case): string {
  const external = c.gen.connectionSettings
    ? ` -ExternalConnectionSettings ${FQDN}:${c.p.sslPort}:SSL,${FQDN}:${c.p.plainPort}:TLS`
    : '';
  return `Set-${settings(c)} -Server ${c.server}${external} -X509CertificateName ${FQDN}`;
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

export function enableCertificate(c: Case, service: string = c.p.certificateService): string {
  return `Enable-ExchangeCertificate${certificateServer(c)} -Thumbprint ${THUMBPRINT} -Services ${service}`;
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

export function testConnectivity(c: Case, connectionType: 'Ssl' | 'Tls'): string {
  return `Test-${c.p.noun}Connectivity -ClientAccessServer ${c.server} -MailboxCredential (Get-Credential) -ConnectionType ${connectionType} -LightMode`;
}

export function testPort(c: Case, port: number): string {
  return `Test-NetConnection -ComputerName ${c.server} -Port ${port}`;
}

export function testOnlinePort(host: string, port: number): string {
  return `Test-NetConnection -ComputerName ${host} -Port ${port}`;
}

/** The handshake and certificate exactly as a client sees them. */
export function opensslImplicit(c: Case): string {
  return `openssl s_client -connect ${c.endpoint(c.p.sslPort)}`;
}

export function opensslStartTls(c: Case): string {
  return `openssl s_client -connect ${c.endpoint(c.p.plainPort)} -starttls ${c.p.opensslStartTls}`;
}

export function opensslSubmission(c: Case): string {
  return `openssl s_client -connect ${c.endpoint(SMTP_SUBMISSION_PORT)} -starttls smtp`;
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

export function resolveName(): string {
  return `Resolve-DnsName ${FQDN}`;
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

export const SECURITY_DEFAULTS = [
  'Connect-MgGraph -Scopes Policy.Read.All',
  'Get-MgPolicyIdentitySecurityDefaultEnforcementPolicy | Format-List IsEnabled',
] as const;

// ---- Identification for support ----------------------------------------------------------------

export function showBuild(c: Case): string {
  return `Get-ExchangeServer -Identity ${c.server} | Format-List Name,Edition,AdminDisplayVersion`;
}
