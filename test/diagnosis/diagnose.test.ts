// Realistic pastes from Exchange Management Shell and mail clients, whole, cut short and garbled.
import { diagnose } from '../../src/diagnosis/diagnose';
import type { CaseDetails } from '../../src/flow/types';
import { translatorFor } from '../../src/i18n';

const POP: CaseDetails = { protocol: 'pop3', version: '2016', server: 'EX01', mailbox: 'taro@contoso.com' };
const IMAP: CaseDetails = { protocol: 'imap4', version: '2019', server: 'EX02' };
const NOW = new Date('2026-11-22T12:00:00Z');

const POP_SETTINGS = `
RunspaceId                        : 6f1c3a52-2b1e-4d0e-9d55-8a1f3c0d7e21
ProtocolName                      : POP3
Name                              : 1
MaxCommandSize                    : 512
MessageRetrievalSortOrder         : Ascending
UnencryptedOrTLSBindings          : {[::]:110, 0.0.0.0:110}
SSLBindings                       : {[::]:995, 0.0.0.0:995}
InternalConnectionSettings        : {EX01.contoso.com:995:SSL, EX01.contoso.com:110:TLS}
ExternalConnectionSettings        : {}
X509CertificateName               : EX01
Banner                            : The Microsoft Exchange POP3 service is ready.
LoginType                         : SecureLogin
AuthenticatedConnectionTimeout    : 00:30:00
ProtocolLogEnabled                : False
LogFileLocation                   : C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\Pop3
Server                            : EX01
`;

const CAS_MAILBOX = `
RunspaceId                           : 6f1c3a52-2b1e-4d0e-9d55-8a1f3c0d7e21
Name                                 : Taro Yamada
ActiveSyncEnabled                    : True
OWAEnabled                           : True
PopEnabled                           : False
PopUseProtocolDefaults               : True
ImapEnabled                          : True
ImapUseProtocolDefaults              : True
MAPIEnabled                          : True
Identity                             : contoso.com/Users/Taro Yamada
`;

const SERVICES_TABLE = `
Status   Name               DisplayName
------   ----               -----------
Running  MSExchangeADTop... Microsoft Exchange Active Directory Topology
Running  MSExchangeIMAP4    Microsoft Exchange IMAP4
Stopped  MSExchangeIMAP4BE  Microsoft Exchange IMAP4 Backend
Running  MSExchangePOP3     Microsoft Exchange POP3
Running  MSExchangePOP3BE   Microsoft Exchange POP3 Backend
Running  MSExchangeTransport Microsoft Exchange Transport
`;

const CONNECTORS = `
Identity         : EX01\\Default EX01
Name             : Default EX01
Enabled          : True
Bindings         : {0.0.0.0:2525, [::]:2525}
AuthMechanism    : Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer
PermissionGroups : ExchangeUsers, ExchangeServers, ExchangeLegacyServers

Identity         : EX01\\Client Frontend EX01
Name             : Client Frontend EX01
Enabled          : True
Bindings         : {[::]:587, 0.0.0.0:587}
AuthMechanism    : Integrated, BasicAuth
PermissionGroups : ExchangeUsers
`;

const CERTIFICATES = `
Thumbprint         : 5113AE0233A72FCCB75B1D0198628675333D010E
Subject            : CN=mail.contoso.com
CertificateDomains : {mail.contoso.com, autodiscover.contoso.com}
Services           : IMAP, POP, IIS, SMTP
NotAfter           : 2026/03/31 8:59:59
Status             : DateInvalid

Thumbprint         : 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567
Subject            : CN=EX01
CertificateDomains : {EX01, EX01.contoso.com}
Services           : SMTP
NotAfter           : 2030/01/05 9:00:00
Status             : Valid
`;

describe('diagnosing what the admin pastes', () => {
  it('names the mailbox step when POP3 is off for the mailbox', () => {
    expect(diagnose(CAS_MAILBOX, POP, NOW)).toEqual({
      source: 'casMailbox',
      finding: 'mailboxProtocolDisabled',
      checkpoint: 'mailbox',
      values: { field: 'PopEnabled', mailbox: 'Taro Yamada', protocol: 'POP3', plainPort: '110', sslPort: '995', startTls: 'STLS' },
    });
  });

  // Microsoft has a wildcard certificate used by X509CertificateName and never assigned to POP/IMAP.
  it('does not call a correct wildcard setup broken, and still flags no certificate at all', () => {
    const wildcard = `
Thumbprint         : 7C2E9A5B1D3F4E6A8B0C2D4E6F8A0B2C4D6E8F01
Subject            : CN=*.contoso.com
CertificateDomains : {*.contoso.com, contoso.com}
Services           : IIS, SMTP
NotAfter           : 2027/06/30 8:59:59
Status             : Valid
`;
    expect(diagnose(wildcard, POP, NOW)).toMatchObject({ finding: 'wildcardCertificate', checkpoint: null, values: { service: 'POP', domain: '*.contoso.com' } });
    const selfSigned = wildcard.replace(/\*\.contoso\.com, /, '').replace('CN=*.contoso.com', 'CN=EX01');
    expect(diagnose(selfSigned, POP, NOW)).toMatchObject({ finding: 'certificateNotAssigned', checkpoint: 'serverSettings' });
    const expired = wildcard.replace('2027/06/30', '2025/06/30').replace('Valid', 'DateInvalid');
    expect(diagnose(expired, POP, NOW)).toMatchObject({ finding: 'certificateNotAssigned', checkpoint: 'serverSettings' });
  });

  it.each(['a1 NO AUTHENTICATE failed.', '-ERR Authentication failure: unknown user name or bad password.', 'LOGIN failed.'])(
    'sends the Exchange Online sign-in failure %j to the online sign-in step, not the mailbox',
    (text) => {
      expect(diagnose(text, { protocol: 'imap4', version: 'Online' }, NOW)).toMatchObject({ finding: 'errorOnlineSignInFailed', checkpoint: 'onlineAuth' });
      expect(diagnose(text, IMAP, NOW)).toMatchObject({ finding: 'errorLogonFailure', checkpoint: 'mailbox' });
    },
  );

  it('names the case\'s protocol and port in its verdicts, never "POP3/IMAP4" or "995/993"', () => {
    const noSsl = POP_SETTINGS.replace('SSLBindings                       : {[::]:995, 0.0.0.0:995}', 'SSLBindings                       : {}');
    const verdicts = [
      diagnose(noSsl, POP, NOW),
      diagnose(SERVICES_TABLE, IMAP, NOW),
      diagnose(CERTIFICATES, POP, NOW),
      diagnose('Socket Error: 10061', POP, NOW),
      diagnose('* CAPABILITY IMAP4rev1 LOGINDISABLED STARTTLS\na1 BAD Command received in Invalid state.', IMAP, NOW),
    ];
    const en = verdicts.map((v) => translatorFor('en')(`diagnosis.${v.finding}`, { replace: v.values }));
    expect(en.join('\n')).not.toMatch(/POP3\/IMAP4|POP\/IMAP|995\/993|\{\{/);
    expect(en[0]).toContain('port 995');
    expect(en[1]).toContain('The IMAP4 service must be running');
    expect(en[4]).toContain('port 993 or STARTTLS');
  });

  it('reads the same paste for IMAP4, where the mailbox is fine', () => {
    expect(diagnose(CAS_MAILBOX, IMAP, NOW)).toMatchObject({ finding: 'mailboxProtocolEnabled', checkpoint: null });
  });

  it('finds the stopped backend service in the Get-Service table', () => {
    expect(diagnose(SERVICES_TABLE, IMAP, NOW)).toMatchObject({ finding: 'serviceStopped', checkpoint: 'service', values: { service: 'MSExchangeIMAP4BE' } });
    expect(diagnose(SERVICES_TABLE, POP, NOW)).toMatchObject({ finding: 'servicesRunning', checkpoint: null });
  });

  it('reads Get-Service as a list too, with the startup type', () => {
    const list = 'Name      : MSExchangePOP3\nStatus    : Running\nStartType : Manual\n\nName      : MSExchangePOP3BE\nStatus    : Running\nStartType : Automatic\n';
    expect(diagnose(list, POP, NOW)).toMatchObject({ finding: 'serviceNotAutomatic', values: { service: 'MSExchangePOP3', startType: 'Manual' } });
  });

  it('accepts server settings that look right and says which LoginType is in force', () => {
    expect(diagnose(POP_SETTINGS, POP, NOW)).toMatchObject({ finding: 'protocolSettingsLookRight', checkpoint: null, values: { loginType: 'SecureLogin' } });
  });

  it('points at the server settings when there is no SSL binding', () => {
    const noSsl = POP_SETTINGS.replace('SSLBindings                       : {[::]:995, 0.0.0.0:995}', 'SSLBindings                       : {}');
    expect(diagnose(noSsl, POP, NOW)).toMatchObject({ finding: 'noSslBinding', checkpoint: 'serverSettings' });
  });

  it('finds the client connector that does not offer TLS', () => {
    expect(diagnose(CONNECTORS, POP, NOW)).toMatchObject({ finding: 'connectorWithoutTls', checkpoint: 'connector', values: { connector: 'Client Frontend EX01' } });
  });

  it('finds the expired certificate assigned to POP', () => {
    expect(diagnose(CERTIFICATES, POP, NOW)).toMatchObject({ finding: 'certificateExpired', checkpoint: 'serverSettings', values: { thumbprint: '5113AE0233A72FCCB75B1D0198628675333D010E' } });
  });

  it.each([
    ['-ERR Logon failure: unknown user name or bad password.', POP, 'errorLogonFailure', 'mailbox'],
    ['* OK The Microsoft Exchange IMAP4 service is ready.\n* CAPABILITY IMAP4 IMAP4rev1 AUTH=NTLM AUTH=GSSAPI LOGINDISABLED STARTTLS\na1 BAD Command received in Invalid state.', IMAP, 'errorLoginBeforeTls', 'clientSettings'],
    ['Your server unexpectedly terminated the connection. Socket Error: 10061, Error Number: 0x800CCC0E', POP, 'errorConnectionRefused', 'service'],
    ['550 5.7.30 Basic authentication is not supported for Client Submission.', { protocol: 'imap4', version: 'Online' } as CaseDetails, 'errorSmtpBasicAuthRetired', 'onlineAuth'],
    ['BAD User is authenticated but not connected.', { protocol: 'imap4', version: 'Online' } as CaseDetails, 'errorAuthenticatedNotConnected', 'onlineAuth'],
  ])('maps the client error %j to its step', (text, details, finding, checkpoint) => {
    expect(diagnose(text, details, NOW)).toMatchObject({ source: 'clientError', finding, checkpoint });
  });

  describe('says it could not read a paste rather than guess', () => {
    it.each([
      ['an empty paste', '   \n  '],
      ['a chat message', 'it stopped working this morning, any idea?'],
      ['settings cut before LoginType', POP_SETTINGS.slice(0, POP_SETTINGS.indexOf('LoginType'))],
      ['a mailbox cut before PopEnabled', CAS_MAILBOX.slice(0, CAS_MAILBOX.indexOf('PopEnabled'))],
      ['a garbled PopEnabled', CAS_MAILBOX.replace('PopEnabled                           : False', 'PopEnabled                           : F\u00adlse')],
      ['a garbled LoginType', POP_SETTINGS.replace('SecureLogin', 'Secur?Login')],
      ['services without the POP3 ones', SERVICES_TABLE.split('\n').filter((l) => !l.includes('POP3')).join('\n')],
      ['connectors without a client connector', CONNECTORS.slice(0, CONNECTORS.indexOf('Identity         : EX01\\Client'))],
      ['a certificate list without the Services column', CERTIFICATES.replace(/Services\s+:.*\n/g, '')],
    ])('%s', (_name, text) => {
      const verdict = diagnose(text, POP, NOW);
      if (verdict.finding !== 'unreadable') {
        // A paste cut short may still show the answer whole (e.g. the PopEnabled line survived): then it must be the true one.
        expect(verdict.checkpoint).toBeNull();
      }
      expect(verdict.finding === 'unreadable' || verdict.finding.endsWith('LookRight') || verdict.finding === 'mailboxProtocolEnabled').toBe(true);
    });
  });
});
