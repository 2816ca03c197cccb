// The step guides: for one step of one case, where to look in the GUI, what to run to check, fix and
// verify, and the caveats of that version. Differences between versions come from the Case's facts.
import type { StepId } from '../flow/types';
import type { Case } from './case';
import * as cmd from './commands';
import { ONLINE_ENDPOINTS, SMTP_SUBMISSION_PORT } from './facts';
import { GUI_BY_TOOL, serviceClicks } from './gui';
import { type Say, powershell, say, sayAll } from './phrases';
import type { Phrase, StepGuide } from './types';

type StepContent = Omit<StepGuide, 'step' | 'title' | 'gui'> & { gui?: Say[] };

/** Without a version the commands are those of 2013 and later; say so on every step. */
function versionNote(c: Case): Say[] {
  return c.versionGiven ? [] : [['note.versionUnknown']];
}

function restartNote(c: Case): Say {
  return c.gen.backendService ? ['note.restart.pair', 'service', 'backend'] : ['note.restart.single', 'service'];
}

function notes(c: Case, specs: (Say | false)[]): Phrase[] {
  return sayAll(c, [...specs.filter((s): s is Say => s !== false), ...versionNote(c)]);
}

/** Where a port or name test runs, and the form that exists there (see NET_TEST_CMDLETS). */
export function netTestNote(c: Case): Say {
  return c.netTestCmdlets ? ['note.netTest.cmdlets'] : ['note.netTest.portable'];
}

/**
 * How a certificate fix is confirmed. The built-in test connects to the internal name, so it skips the
 * certificate check; on 2013 and later Microsoft runs Managed Availability's probe instead. The certificate
 * clients see is checked from a client (openssl) and from the internet (Remote Connectivity Analyzer).
 */
export function verifyCertificate(c: Case): string[] {
  const logon = c.gen.managedAvailability ? [cmd.monitoringProbe(c)] : [cmd.testConnectivity(c, 'Ssl'), cmd.testConnectivity(c, 'Tls')];
  return [...logon, cmd.opensslImplicit(c)];
}

export function verifyCertificateNote(c: Case): Say {
  return c.gen.managedAvailability ? ['note.verify.probe', 'protocol', 'analyzerTest'] : ['note.verify.trustAny', 'protocol', 'analyzerTest'];
}

const service = (c: Case): StepContent => ({
  summary: say(c, c.gen.backendService ? ['step.service.summary.pair', 'service', 'backend'] : ['step.service.summary.single', 'service']),
  gui: serviceClicks(c.generation, c.gen.backendService),
  check: powershell(cmd.showBuild(c), cmd.serviceState(c)),
  fix: powershell(cmd.setAutomatic(c), cmd.startServices(c)),
  verify: powershell(cmd.getServices(c), cmd.listening(c)),
  notes: notes(c, [
    ['note.runOnServer', 'server'],
    c.gen.backendService && ['note.service.backend', 'service', 'backend'],
    c.gen.splitRoles && ['note.service.splitRoles', 'service', 'backend'],
  ]),
});

const serverSettings = (c: Case): StepContent => ({
  summary: say(c, ['step.serverSettings.summary', 'protocol']),
  check: powershell(cmd.showProtocolSettings(c), cmd.showCertificates(c)),
  fix: powershell(
    cmd.setLoginType(c, 'SecureLogin'),
    cmd.setCertificateName(c),
    cmd.enableCertificate(c),
    cmd.restartServices(c),
  ),
  verify: powershell(verifyCertificate(c)),
  notes: notes(c, [
    ['note.secureLogin', 'plainPort', 'sslPort', 'startTls'],
    restartNote(c),
    ['note.certificate.wildcard', 'certService'],
    c.details.clientHost ? ['note.placeholdersThumbprint'] : ['note.placeholders'],
    verifyCertificateNote(c),
    c.generation === 'ex2007' && ['note.ex2007.noGuiAtRtm', 'protocol'],
    !c.gen.connectionSettings && ['note.ex2007.noConnectionSettings'],
    !c.gen.certificateServerParameter && ['note.ex2007.localCertificates', 'server'],
    c.gen.splitRoles && ['note.serverSettings.bothRoles'],
  ]),
});

const mailbox = (c: Case): StepContent => {
  const online = c.gen.tool === 'online';
  return {
    summary: say(c, ['step.mailbox.summary', 'protocol', 'enabledProperty']),
    check: powershell(
      online ? [cmd.CONNECT_EXCHANGE_ONLINE] : [],
      cmd.showCasMailbox(c, [`${c.p.noun}UseProtocolDefaults`]),
      online ? [cmd.showMailboxPlans(c)] : [],
      c.authenticationPolicies ? cmd.authenticationPolicies(c) : [],
    ),
    fix: powershell(cmd.enableForMailbox(c), c.gen.restartAfterMailboxChange ? cmd.restartServices(c) : []),
    verify: powershell(cmd.showCasMailbox(c), online ? [] : [cmd.testConnectivity(c, 'Ssl')]),
    notes: notes(c, [
      ['note.mailbox.enabledDefault', 'enabledProperty', 'protocol'],
      ['note.mailbox.protocolDefaults', 'protocol', 'defaultsProperty'],
      c.gen.restartAfterMailboxChange && ['note.mailbox.restart', 'service', 'backend'],
      c.gen.backendService && ['note.mailbox.administrator', 'protocol'],
      c.authenticationPolicies && ['note.mailbox.authenticationPolicy', 'protocol', 'noun'],
      online && ['note.online.connect'],
      online && ['note.online.conditionalAccess', 'protocol'],
      online && ['note.online.mailboxPlan', 'enabledProperty'],
    ]),
  };
};

const connector = (c: Case): StepContent => ({
  summary: say(c, ['step.connector.summary', 'protocol', 'connector']),
  check: powershell(cmd.showConnector(c)),
  fix: powershell(cmd.restoreConnector(c)),
  verify: powershell(cmd.testPort(c, SMTP_SUBMISSION_PORT), cmd.opensslSubmission(c)),
  notes: notes(c, [
    c.gen.managedAvailability ? ['note.connector.frontend', 'connector'] : ['note.connector.hubTransport', 'connector'],
    ['note.connector.fromClient'],
    netTestNote(c),
    ['note.connector.firewallDns'],
    c.gen.gssapiEvent1035 && ['note.connector.event1035'],
  ]),
});

const onlineAuth = (c: Case): StepContent => ({
  summary: say(c, ['step.onlineAuth.summary', 'protocol']),
  check: powershell(
    cmd.CONNECT_EXCHANGE_ONLINE,
    cmd.showCasMailbox(c, ['SmtpClientAuthenticationDisabled']),
    cmd.showTenantSmtpAuth(),
    cmd.showServicePrincipals(),
  ),
  fix: powershell(cmd.newServicePrincipal(), cmd.grantFullAccess(c, 'ServicePrincipalId'), cmd.allowSmtpAuthForMailbox(c)),
  verify: powershell(
    cmd.showCasMailbox(c, ['SmtpClientAuthenticationDisabled']),
    cmd.showMailboxPermissions(c),
    cmd.testOnlinePort(c, ONLINE_ENDPOINTS.mailHost, c.p.sslPort),
  ),
  notes: notes(c, [
    ['note.online.basicAuthGone', 'protocol'],
    ['note.online.scopes', 'scope', 'permission'],
    ['note.online.objectId'],
    ['note.online.outlookWindows', 'protocol'],
    ['note.online.smtpAuth'],
    ['note.online.conditionalAccess', 'protocol'],
    ['note.online.fromOwnPc'],
  ]),
});

const BUILDERS: Record<StepId, (c: Case) => StepContent> = { service, serverSettings, mailbox, connector, onlineAuth };

// The connector is the same SMTP connector whichever protocol fetches the mail.
const TITLE: Record<StepId, Say> = {
  service: ['step.service.title', 'protocol'],
  serverSettings: ['step.serverSettings.title', 'protocol'],
  mailbox: ['step.mailbox.title', 'protocol'],
  connector: ['step.connector.title'],
  onlineAuth: ['step.onlineAuth.title', 'protocol'],
};

export function stepTitle(step: StepId, c: Case): Phrase {
  return say(c, TITLE[step]);
}

export function buildStepGuide(step: StepId, c: Case): StepGuide {
  const { gui, ...content } = BUILDERS[step](c);
  return {
    step,
    title: stepTitle(step, c),
    ...content,
    gui: sayAll(c, gui ?? GUI_BY_TOOL[c.gen.tool][step] ?? []),
  };
}
