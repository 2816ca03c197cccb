// The remedies: when the admin says "this failed", the commands that show why, the causes seen in the
// field for that checkpoint (each with its own fix) and one way to confirm the fix.
import type { CheckpointId } from '../flow/types';
import type { Case } from './case';
import * as cmd from './commands';
import { ONLINE_ENDPOINTS, SMTP_SUBMISSION_PORT } from './facts';
import { type Say, powershell, say } from './phrases';
import { verifyCertificate } from './steps';
import type { Cause, Remedy } from './types';

type RemedyContent = Omit<Remedy, 'checkpoint' | 'title'>;

function cause(c: Case, spec: Say, ...lines: (string | readonly string[])[]): Cause {
  return { cause: say(c, spec), fix: powershell(...lines) };
}

const isOnline = (c: Case) => c.gen.tool === 'online';

// ---- Mail client ---------------------------------------------------------------------------------

// Port tests belong on a client PC (the path through the firewall is what they test), so they sit in the
// causes whose sentence says so, never in the diagnose block the admin runs on the server.
const clientOnPremises = (c: Case): RemedyContent => ({
  diagnose: powershell(cmd.showProtocolSettings(c), cmd.listening(c)),
  causes: [
    cause(c, ['remedy.clientSettings.portEncryption', 'sslPort', 'plainPort', 'startTls'], cmd.opensslImplicit(c), cmd.opensslStartTls(c)),
    cause(c, ['remedy.clientSettings.userName'], cmd.showMailboxIdentity(c, ['UserPrincipalName', 'SamAccountName', 'PrimarySmtpAddress'])),
    cause(c, ['remedy.clientSettings.certificateName'], cmd.showCertificates(c)),
    cause(
      c,
      c.netTestCmdlets ? ['remedy.clientSettings.firewall', 'plainPort', 'sslPort'] : ['remedy.clientSettings.firewallPortable', 'plainPort', 'sslPort'],
      cmd.listening(c),
      cmd.testPort(c, c.p.sslPort),
      cmd.testPort(c, c.p.plainPort),
    ),
  ],
  verify: powershell(cmd.opensslImplicit(c)),
});

const clientOnline = (c: Case): RemedyContent => ({
  diagnose: powershell(
    cmd.testOnlinePort(c, ONLINE_ENDPOINTS.mailHost, c.p.sslPort),
    cmd.testOnlinePort(c, ONLINE_ENDPOINTS.smtpHost, SMTP_SUBMISSION_PORT),
  ),
  causes: [
    cause(c, ['remedy.clientSettings.onlineEndpoint', 'sslPort'], cmd.opensslOnline(c)),
    cause(
      c,
      ['remedy.clientSettings.onlinePassword', 'protocol'],
      cmd.CONNECT_EXCHANGE_ONLINE,
      cmd.showCasMailbox(c),
    ),
    cause(
      c,
      ['remedy.clientSettings.onlineUserName'],
      cmd.CONNECT_EXCHANGE_ONLINE,
      cmd.showMailboxIdentity(c, ['UserPrincipalName', 'PrimarySmtpAddress', 'RecipientTypeDetails']),
      cmd.showMailboxPermissions(c),
    ),
  ],
  verify: powershell(cmd.testOnlinePort(c, ONLINE_ENDPOINTS.mailHost, c.p.sslPort), cmd.opensslOnline(c)),
});

// ---- Services ------------------------------------------------------------------------------------

const service = (c: Case): RemedyContent => ({
  diagnose: powershell(cmd.serviceState(c), cmd.recentServiceEvents(c), cmd.listening(c)),
  causes: [
    cause(c, ['remedy.service.disabled'], cmd.setAutomatic(c), cmd.startServices(c)),
    c.gen.managedAvailability
      ? cause(
          c,
          ['remedy.service.stopsAgainComponents', 'proxyComponent'],
          cmd.componentStates(c),
          cmd.activateComponents(c),
          cmd.recentServiceEvents(c, true),
          cmd.startServices(c),
        )
      : cause(c, ['remedy.service.stopsAgain'], cmd.recentServiceEvents(c, true), cmd.startServices(c), cmd.getServices(c)),
    cause(c, ['remedy.service.portInUse', 'plainPort', 'sslPort'], cmd.listening(c), cmd.processOnPort(), cmd.restartServices(c)),
    ...(c.gen.backendService
      ? [
          cause(
            c,
            ['remedy.service.backendStopped', 'service', 'backend'],
            cmd.setAutomatic(c, [c.p.backendService]),
            cmd.startServices(c, [c.p.backendService]),
            cmd.serverHealth(c),
          ),
        ]
      : []),
  ],
  verify: powershell(cmd.getServices(c), cmd.listening(c)),
});

// ---- Server settings -------------------------------------------------------------------------------

const serverSettings = (c: Case): RemedyContent => ({
  diagnose: powershell(cmd.showProtocolSettings(c), cmd.showCertificates(c)),
  causes: [
    cause(c, ['remedy.serverSettings.secureLogin', 'plainPort', 'sslPort', 'startTls'], cmd.opensslStartTls(c), cmd.opensslImplicit(c)),
    cause(
      c,
      ['remedy.serverSettings.certificateNotAssigned', 'certService'],
      cmd.enableCertificate(c),
      cmd.setCertificateName(c),
      cmd.restartServices(c),
    ),
    cause(c, ['remedy.serverSettings.wrongCertificate', 'certService'], cmd.setCertificateName(c), cmd.restartServices(c)),
    cause(c, ['remedy.serverSettings.bindings', 'plainPort', 'sslPort'], cmd.resetBindings(c), cmd.restartServices(c)),
  ],
  verify: powershell(verifyCertificate(c)),
});

// ---- Mailbox -------------------------------------------------------------------------------------

const mailboxRestart = (c: Case) => (c.gen.restartAfterMailboxChange ? cmd.restartServices(c) : []);

const mailboxOnPremises = (c: Case): RemedyContent => ({
  diagnose: powershell(
    cmd.showCasMailbox(c, [`${c.p.noun}UseProtocolDefaults`]),
    cmd.showMailboxIdentity(c, ['Name', 'UserPrincipalName', 'RecipientTypeDetails']),
    c.authenticationPolicies ? cmd.authenticationPolicies(c) : [],
  ),
  causes: [
    cause(c, ['remedy.mailbox.disabled', 'protocol', 'enabledProperty'], cmd.enableForMailbox(c), mailboxRestart(c)),
    cause(c, ['remedy.mailbox.protocolDefaults', 'protocol', 'defaultsProperty'], cmd.useProtocolDefaults(c), mailboxRestart(c)),
    cause(
      c,
      ['remedy.mailbox.connectionLimit', 'protocol'],
      cmd.showProtocolSettings(c, ['MaxConnectionsPerUser', 'ProtocolLogEnabled', 'LogFileLocation']),
      c.gen.protocolLogCmdlet ? [cmd.enableProtocolLog(c)] : [],
      cmd.setMaxConnectionsPerUser(c),
      cmd.restartServices(c),
    ),
    ...(c.gen.backendService
      ? [cause(c, ['remedy.mailbox.administrator', 'protocol'], cmd.showMailboxIdentity(c, ['SamAccountName', 'RecipientTypeDetails']))]
      : []),
  ],
  verify: powershell(cmd.showCasMailbox(c), cmd.testConnectivity(c, 'Ssl')),
});

const mailboxOnline = (c: Case): RemedyContent => ({
  diagnose: powershell(cmd.CONNECT_EXCHANGE_ONLINE, cmd.showCasMailbox(c, [`${c.p.noun}UseProtocolDefaults`]), cmd.showMailboxPlans(c)),
  causes: [
    cause(c, ['remedy.mailbox.disabled', 'protocol', 'enabledProperty'], cmd.enableForMailbox(c)),
    cause(c, ['remedy.mailbox.onlinePlan', 'protocol', 'enabledProperty'], cmd.showMailboxPlans(c), cmd.enableInMailboxPlan(c)),
    cause(c, ['remedy.mailbox.onlineShared', 'protocol'], cmd.showMailboxPermissions(c), cmd.grantFullAccess(c, 'UserPrincipalName')),
  ],
  verify: powershell(cmd.showCasMailbox(c)),
});

// ---- Receive connector ------------------------------------------------------------------------------

const connector = (c: Case): RemedyContent => ({
  diagnose: powershell(cmd.showConnector(c), cmd.listConnectors(c), c.gen.gssapiEvent1035 ? [cmd.event1035()] : []),
  causes: [
    cause(c, ['remedy.connector.disabled', 'connector'], cmd.enableConnector(c)),
    cause(
      c,
      [c.gen.managedAvailability ? 'remedy.connector.noTlsCertificateName' : 'remedy.connector.noTls', 'clientHost'],
      cmd.restoreConnector(c),
      cmd.enableCertificateForSmtp(c),
      cmd.connectorCertificate(c),
    ),
    c.gen.gssapiEvent1035
      ? cause(c, ['remedy.connector.integrated1035'], cmd.connectorWithoutIntegrated(c))
      : cause(c, ['remedy.connector.permissionGroups'], cmd.connectorPermissionGroups(c)),
    cause(
      c,
      [c.netTestCmdlets ? 'remedy.connector.unreachable' : 'remedy.connector.unreachablePortable', 'clientHost'],
      cmd.testPort(c, SMTP_SUBMISSION_PORT),
      cmd.resolveName(c),
    ),
  ],
  verify: powershell(cmd.opensslSubmission(c), cmd.showConnector(c)),
});

// ---- Exchange Online authentication -----------------------------------------------------------------

const onlineAuth = (c: Case): RemedyContent => ({
  diagnose: powershell(
    cmd.CONNECT_EXCHANGE_ONLINE,
    cmd.showCasMailbox(c, ['SmtpClientAuthenticationDisabled']),
    cmd.showTenantSmtpAuth(),
    cmd.showServicePrincipals(),
  ),
  causes: [
    cause(c, ['remedy.onlineAuth.signInBlocked', 'protocol'], cmd.CONDITIONAL_ACCESS),
    cause(
      c,
      ['remedy.onlineAuth.noOAuth', 'scope', 'permission'],
      cmd.showServicePrincipals(),
      cmd.newServicePrincipal(),
      cmd.grantFullAccess(c, 'ServicePrincipalId'),
    ),
    cause(c, ['remedy.onlineAuth.smtpAuthDisabled'], cmd.showTenantSmtpAuth(), cmd.allowSmtpAuthForMailbox(c), cmd.allowSmtpAuthForTenant()),
  ],
  verify: powershell(
    cmd.showCasMailbox(c, ['SmtpClientAuthenticationDisabled']),
    cmd.showMailboxPermissions(c),
    cmd.testOnlinePort(c, ONLINE_ENDPOINTS.mailHost, c.p.sslPort),
  ),
});

const BUILDERS: Record<CheckpointId, (c: Case) => RemedyContent> = {
  clientSettings: (c) => (isOnline(c) ? clientOnline(c) : clientOnPremises(c)),
  service,
  serverSettings,
  mailbox: (c) => (isOnline(c) ? mailboxOnline(c) : mailboxOnPremises(c)),
  connector,
  onlineAuth,
};

export function buildRemedy(checkpoint: CheckpointId, c: Case, title: Remedy['title']): Remedy {
  return { checkpoint, title, ...BUILDERS[checkpoint](c) };
}
