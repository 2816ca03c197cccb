// The remedies: when the admin says "this failed", the commands that show why, the causes seen in the
// field for that checkpoint (each with its own fix) and one way to confirm the fix.
import type { CheckpointId } from '../flow/types';
import type { Case } from './case';
import * as cmd from './commands';
import { ONLINE_ENDPOINTS, SMTP_SUBMISSION_PORT } from './facts';
import { type Say, powershell, say } from './phrases';
import type { Cause, Remedy } from './types';

type RemedyContent = Omit<Remedy, 'checkpoint' | 'title'>;

function cause(c: Case, spec: Say, ...lines: (string | readonly string[])[]): Cause {
  return { cause: say(c, spec), fix: powershell(...lines) };
}

const isOnline = (c: Case) => c.gen.tool === 'online';

// ---- Mail client ---------------------------------------------------------------------------------

const clientOnPremises = (c: Case): RemedyContent => ({
  diagnose: powershell(cmd.showProtocolSettings(c), cmd.testPort(c, c.p.sslPort), cmd.testPort(c, c.p.plainPort)),
  causes: [
    cause(c, ['remedy.clientSettings.portEncryption', 'sslPort', 'plainPort', 'startTls'], cmd.opensslImplicit(c), cmd.opensslStartTls(c)),
    cause(c, ['remedy.clientSettings.userName'], cmd.showMailboxIdentity(c, ['UserPrincipalName', 'SamAccountName', 'PrimarySmtpAddress'])),
    cause(c, ['remedy.clientSettings.certificateName'], cmd.showCertificates(c)),
    cause(c, ['remedy.clientSettings.firewall', 'plainPort', 'sslPort'], cmd.listening(c), cmd.testPort(c, c.p.sslPort)),
  ],
  verify: powershell(cmd.testPort(c, c.p.sslPort), cmd.opensslImplicit(c)),
});

const clientOnline = (c: Case): RemedyContent => ({
  diagnose: powershell(
    cmd.testOnlinePort(ONLINE_ENDPOINTS.mailHost, c.p.sslPort),
    cmd.testOnlinePort(ONLINE_ENDPOINTS.smtpHost, SMTP_SUBMISSION_PORT),
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
  verify: powershell(cmd.testOnlinePort(ONLINE_ENDPOINTS.mailHost, c.p.sslPort), cmd.opensslOnline(c)),
});

// ---- Services ------------------------------------------------------------------------------------

const service = (c: Case): RemedyContent => ({
  diagnose: powershell(cmd.serviceState(c), cmd.recentServiceEvents(c), cmd.listening(c)),
  causes: [
    cause(c, ['remedy.service.disabled'], cmd.setAutomatic(c), cmd.startServices(c)),
    cause(c, ['remedy.service.stopsAgain'], cmd.recentServiceEvents(c, true), cmd.startServices(c), cmd.getServices(c)),
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
  verify: powershell(cmd.testConnectivity(c, 'Ssl'), cmd.testConnectivity(c, 'Tls')),
});

// ---- Mailbox -------------------------------------------------------------------------------------

const mailboxRestart = (c: Case) => (c.gen.restartAfterMailboxChange ? cmd.restartServices(c) : []);

const mailboxOnPremises = (c: Case): RemedyContent => ({
  diagnose: powershell(
    cmd.showCasMailbox(c, [`${c.p.noun}UseProtocolDefaults`]),
    cmd.showMailboxIdentity(c, ['Name', 'UserPrincipalName', 'RecipientTypeDetails']),
  ),
  causes: [
    cause(c, ['remedy.mailbox.disabled', 'protocol', 'enabledProperty'], cmd.enableForMailbox(c), mailboxRestart(c)),
    cause(c, ['remedy.mailbox.protocolDefaults', 'protocol', 'defaultsProperty'], cmd.useProtocolDefaults(c), mailboxRestart(c)),
    cause(
      c,
      ['remedy.mailbox.connectionLimit', 'protocol'],
      cmd.showProtocolSettings(c, ['MaxConnectionsPerUser']),
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
  diagnose: powershell(cmd.showConnector(c), cmd.listConnectors(c), c.gen.managedAvailability ? [cmd.event1035()] : []),
  causes: [
    cause(c, ['remedy.connector.disabled', 'connector'], cmd.enableConnector(c)),
    cause(c, ['remedy.connector.noTls'], cmd.restoreConnector(c), cmd.enableCertificate(c, 'SMTP')),
    c.gen.managedAvailability
      ? cause(c, ['remedy.connector.integrated1035'], cmd.connectorWithoutIntegrated(c))
      : cause(c, ['remedy.connector.permissionGroups'], cmd.connectorPermissionGroups(c)),
    cause(c, ['remedy.connector.unreachable'], cmd.testPort(c, SMTP_SUBMISSION_PORT), cmd.resolveName()),
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
    cause(c, ['remedy.onlineAuth.securityDefaults', 'protocol'], cmd.SECURITY_DEFAULTS),
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
    cmd.testOnlinePort(ONLINE_ENDPOINTS.mailHost, c.p.sslPort),
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
