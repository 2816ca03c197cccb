// What the mail client must be set to, and who may make the changes the steps ask for.
import type { Case } from './case';
import * as cmd from './commands';
import type { Protocol } from '../flow/types';
import { type Generation, ONLINE_ENDPOINTS, SMTP_SUBMISSION_PORT } from './facts';
import { type Say, powershell, say, sayAll } from './phrases';
import type { AccessGuide, ClientEndpoint, ClientSettingsGuide } from './types';

const IMPLICIT_TLS: Say = ['client.encryption.implicit'];
const START_TLS: Say = ['client.encryption.startTls', 'startTls'];
const SMTP_START_TLS: Say = ['client.encryption.smtpStartTls'];

function endpoint(c: Case, label: Say, host: string, port: number, encryption: Say): ClientEndpoint {
  return { label: say(c, label), host, port, encryption: say(c, encryption) };
}

/** What the server's LoginType lets a client do on each port (the three options Exchange offers). */
const LOGIN_TYPES: Say[] = [
  ['client.loginType.plainTextLogin', 'plainPort', 'sslPort'],
  ['client.loginType.plainTextAuthentication', 'plainPort', 'sslPort'],
  ['client.loginType.secureLogin', 'plainPort', 'sslPort', 'startTls'],
];

// What clients show when LoginType bites is documented for IMAP4 only; the POP3 wording is not known.
const PROTOCOL_NOTES: Record<Protocol, Say[]> = {
  pop3: [],
  imap4: [['client.note.imapCommands'], ['client.note.imapLoginDisabled']],
};

function onPremises(c: Case): ClientSettingsGuide {
  // Clients connect to the name on the certificate (mail.contoso.com), rarely the server's internal name:
  // the one the admin gave, or the placeholder to fill in.
  const host = c.vars.clientHost;
  return {
    endpoints: [
      endpoint(c, ['client.endpoint.implicitTls', 'protocol'], host, c.p.sslPort, IMPLICIT_TLS),
      endpoint(c, ['client.endpoint.startTls', 'protocol'], host, c.p.plainPort, START_TLS),
      endpoint(c, ['client.endpoint.smtp'], host, SMTP_SUBMISSION_PORT, SMTP_START_TLS),
    ],
    userName: say(c, ['client.userName.onPremises']),
    loginTypes: sayAll(c, LOGIN_TYPES),
    notes: sayAll(c, [
      ['client.note.hostName'],
      ...PROTOCOL_NOTES[c.details.protocol],
      ['client.note.logonFailure'],
      ['client.note.refused', 'protocol'],
      ...(c.versionGiven ? [] : ([['note.versionUnknown']] as Say[])),
    ]),
    check: powershell(cmd.showProtocolSettings(c)),
  };
}

function online(c: Case): ClientSettingsGuide {
  return {
    endpoints: [
      endpoint(c, ['client.endpoint.implicitTls', 'protocol'], ONLINE_ENDPOINTS.mailHost, c.p.sslPort, IMPLICIT_TLS),
      endpoint(c, ['client.endpoint.smtp'], ONLINE_ENDPOINTS.smtpHost, SMTP_SUBMISSION_PORT, SMTP_START_TLS),
    ],
    userName: say(c, ['client.userName.online']),
    loginTypes: sayAll(c, [['client.loginType.online', 'sslPort']]),
    notes: sayAll(c, [['note.online.basicAuthGone', 'protocol'], ['note.online.outlookWindows', 'protocol'], ['note.online.fromOwnPc']]),
    check: powershell(
      cmd.CONNECT_EXCHANGE_ONLINE,
      cmd.showCasMailbox(c),
      cmd.testOnlinePort(c, ONLINE_ENDPOINTS.mailHost, c.p.sslPort),
    ),
  };
}

export function buildClientSettings(c: Case): ClientSettingsGuide {
  return c.gen.tool === 'online' ? online(c) : onPremises(c);
}

// 2007 predates RBAC; 2010 and later grant the same rights through management role groups.
const RBAC: Say[] = [['access.rbacServer'], ['access.rbacRecipient'], ['access.localAdmin', 'server']];
const ACCESS: Record<Generation, Say[]> = {
  ex2007: [['access.ex2007', 'server']],
  ex2010: RBAC,
  ex2013: RBAC,
  ex2016: RBAC,
  online: [['access.onlineExchange'], ['access.onlineEntra']],
};

export function buildAccessGuide(c: Case): AccessGuide {
  return {
    requirements: sayAll(c, [
      ...ACCESS[c.generation],
      ...(c.versionGiven ? [] : ([['access.ex2007Instead']] as Say[])),
      ['access.otherProduct'],
    ]),
  };
}
