// The catalog as the admin meets it: every step of every version shows commands to run and sentences
// that exist in both languages, and each version and protocol gets its own facts, not another's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { accessGuide, clientSettings, remedy, stepGuide, supportRoute } from '../../src/content/catalog';
import type { CommandBlock, Phrase } from '../../src/content/types';
import {
  type CaseDetails,
  EXCHANGE_VERSIONS,
  type ExchangeVersion,
  PROTOCOLS,
  type Protocol,
  type StepId,
  checkpointsFor,
  stepsFor,
} from '../../src/flow/types';
import { LANGUAGES, LOCALES_DIR, translatorFor } from '../../src/i18n';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(name, value);
    else flatten(value, name, out);
  }
  return out;
}

const LOCALES = Object.fromEntries(
  LANGUAGES.map((lng) => [lng, flatten(JSON.parse(readFileSync(path.join(LOCALES_DIR, lng, 'content.json'), 'utf8')) as Tree)]),
);

/** The values a sentence takes: `date` of {{date, day}}. */
function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([^},]+?)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]!))].sort();
}

const VERSIONS: (ExchangeVersion | undefined)[] = [...EXCHANGE_VERSIONS, undefined];
const ON_PREMISES = VERSIONS.filter((v) => v !== 'Online');
const MODERN: (ExchangeVersion | undefined)[] = ['2013', '2016', '2019', 'SE', undefined];
const CASE = { server: 'EX01', mailbox: 'taro@contoso.com' };
const label = (v: ExchangeVersion | undefined) => v ?? 'no version';

function everyPhrase(details: CaseDetails): Phrase[] {
  const phrases: Phrase[] = [];
  for (const step of stepsFor(details.version)) {
    const g = stepGuide(step, details);
    phrases.push(g.title, g.summary, ...g.gui, ...g.notes);
  }
  for (const checkpoint of checkpointsFor(details.version)) {
    const r = remedy(checkpoint, details);
    phrases.push(r.title, ...r.causes.map((c) => c.cause));
  }
  const client = clientSettings(details);
  phrases.push(...client.endpoints.flatMap((e) => [e.label, e.encryption]), client.userName, ...client.loginTypes, ...client.notes);
  phrases.push(...accessGuide(details).requirements);
  const support = supportRoute(details.version, details);
  phrases.push(support.status, ...support.route, support.routeHeading, support.collectHeading, support.summaryHeading);
  return phrases;
}

function commands(...blocks: CommandBlock[]): string {
  return blocks.flatMap((b) => b.lines).join('\n');
}

function allCommands(details: CaseDetails): string {
  const blocks: CommandBlock[] = [clientSettings(details).check, supportRoute(details.version, details).collect];
  for (const step of stepsFor(details.version)) {
    const g = stepGuide(step, details);
    blocks.push(g.check, g.fix, g.verify);
  }
  for (const checkpoint of checkpointsFor(details.version)) {
    const r = remedy(checkpoint, details);
    blocks.push(r.diagnose, r.verify, ...r.causes.map((c) => c.fix));
  }
  return commands(...blocks);
}

const COMBINATIONS = VERSIONS.flatMap((version) => PROTOCOLS.map((protocol) => [label(version), protocol, version] as const));

describe.each(COMBINATIONS)('%s / %s', (_label, protocol, version) => {
  const details: CaseDetails = { protocol, version, ...CASE };

  it.each(stepsFor(version).map((s) => [s]))('step %s has GUI clicks and commands to check, fix and verify', (step) => {
    const guide = stepGuide(step, details);
    expect(guide.step).toBe(step);
    expect(guide.gui.length).toBeGreaterThan(0);
    for (const block of [guide.check, guide.fix, guide.verify]) {
      expect(block.lines.length).toBeGreaterThan(0);
      for (const line of block.lines) expect(line.trim()).not.toBe('');
    }
  });

  it.each(checkpointsFor(version).map((c) => [c]))('remedy for %s diagnoses, gives 2 to 4 causes with their own fix, and verifies', (checkpoint) => {
    const fix = remedy(checkpoint, details);
    expect(fix.checkpoint).toBe(checkpoint);
    expect(fix.diagnose.lines.length).toBeGreaterThan(0);
    expect(fix.verify.lines.length).toBeGreaterThan(0);
    expect(fix.causes.length).toBeGreaterThanOrEqual(2);
    expect(fix.causes.length).toBeLessThanOrEqual(4);
    for (const cause of fix.causes) expect(cause.fix.lines.length).toBeGreaterThan(0);
    expect(new Set(fix.causes.map((c) => c.cause.key)).size).toBe(fix.causes.length);
  });

  it('every sentence exists in English and Japanese with exactly the values its placeholders need', () => {
    for (const p of everyPhrase(details)) {
      for (const lng of LANGUAGES) {
        const text = LOCALES[lng]!.get(p.key);
        expect({ lng, key: p.key, exists: text !== undefined }).toEqual({ lng, key: p.key, exists: true });
        expect({ lng, key: p.key, placeholders: placeholdersOf(text!) }).toEqual({
          lng,
          key: p.key,
          placeholders: Object.keys(p.values ?? {}).sort(),
        });
      }
    }
  });

  it('renders through i18next in both languages with nothing left unfilled', () => {
    for (const lng of LANGUAGES) {
      const t = translatorFor(lng);
      for (const p of everyPhrase(details)) {
        const text = t(p.key, { ns: 'content', replace: p.values ?? {} });
        expect(text).not.toBe(p.key);
        expect(text).not.toMatch(/\{\{|\}\}/);
      }
    }
  });

  it('never mentions the other protocol in commands or sentence values', () => {
    const other = protocol === 'pop3' ? /imap|\b(143|993)\b/i : /pop|\b(110|995)\b/i;
    expect(allCommands(details)).not.toMatch(other);
    for (const p of everyPhrase(details)) {
      for (const value of Object.values(p.values ?? {})) expect({ key: p.key, value }).not.toEqual({ key: p.key, value: expect.stringMatching(other) });
    }
  });
});

describe('the service step', () => {
  it.each(MODERN.flatMap((v) => PROTOCOLS.map((p) => [label(v), p, v] as const)))('%s %s starts and checks the Backend service too', (_l, protocol, version) => {
    const guide = stepGuide('service', { protocol, version, ...CASE });
    const backend = protocol === 'pop3' ? 'MSExchangePOP3BE' : 'MSExchangeIMAP4BE';
    expect(commands(guide.check)).toContain(backend);
    expect(guide.fix.lines).toEqual(expect.arrayContaining([`Set-Service ${backend} -StartupType Automatic`, `Start-Service ${backend}`]));
    expect(commands(guide.verify)).toContain(backend);
    expect(guide.gui).toContainEqual(expect.objectContaining({ key: 'gui.services.repeatForBackend' }));
  });

  it.each((['2007', '2010'] as const).flatMap((v) => PROTOCOLS.map((p) => [v, p] as const)))('%s %s has one service per protocol and no Backend', (version, protocol) => {
    const details = { protocol, version, ...CASE };
    const service = protocol === 'pop3' ? 'MSExchangePOP3' : 'MSExchangeIMAP4';
    const guide = stepGuide('service', details);
    expect(guide.fix.lines).toEqual([`Set-Service ${service} -StartupType Automatic`, `Start-Service ${service}`]);
    expect(allCommands(details)).not.toMatch(/BE\b|Backend/);
    expect(JSON.stringify(everyPhrase(details))).not.toMatch(/Backend|POP3BE|IMAP4BE/);
  });

  it('tells the 2013 admin with split roles where each service runs', () => {
    const keys = stepGuide('service', { protocol: 'pop3', version: '2013', ...CASE }).notes.map((n) => n.key);
    expect(keys).toContain('note.service.splitRoles');
    expect(stepGuide('service', { protocol: 'pop3', version: '2016', ...CASE }).notes.map((n) => n.key)).not.toContain('note.service.splitRoles');
  });
});

describe('server settings', () => {
  it('2007 has no ConnectionSettings and its certificate cmdlets run locally', () => {
    const guide = stepGuide('serverSettings', { protocol: 'pop3', version: '2007', ...CASE });
    expect(guide.check.lines[0]).toBe("Get-PopSettings -Server 'EX01' | Format-List LoginType,*Bindings,X509CertificateName");
    expect(commands(guide.check, guide.fix, guide.verify)).not.toMatch(/ConnectionSettings/);
    expect(commands(guide.check, guide.fix)).toMatch(/Get-ExchangeCertificate \|/);
    expect(guide.fix.lines).toContain('Enable-ExchangeCertificate -Thumbprint <Thumbprint> -Services POP');
    expect(guide.notes.map((n) => n.key)).toEqual(
      expect.arrayContaining(['note.ex2007.noGuiAtRtm', 'note.ex2007.noConnectionSettings', 'note.ex2007.localCertificates']),
    );
  });

  it('2010 and later publish the client-facing name with the certificate', () => {
    const guide = stepGuide('serverSettings', { protocol: 'imap4', version: '2010', ...CASE });
    expect(guide.fix.lines).toContain(
      "Set-ImapSettings -Server 'EX01' -ExternalConnectionSettings '<FQDN>:993:SSL','<FQDN>:143:TLS' -X509CertificateName <FQDN>",
    );
    expect(guide.fix.lines).toContain("Enable-ExchangeCertificate -Server 'EX01' -Thumbprint <Thumbprint> -Services IMAP");
  });

  it.each(ON_PREMISES.map((v) => [label(v), v]))('%s restarts every service of the protocol after the change and warns about wildcards', (_l, version) => {
    const guide = stepGuide('serverSettings', { protocol: 'pop3', version, ...CASE });
    const restarts = guide.fix.lines.filter((l) => l.startsWith('Restart-Service'));
    expect(restarts).toEqual(MODERN.includes(version) ? ['Restart-Service MSExchangePOP3', 'Restart-Service MSExchangePOP3BE'] : ['Restart-Service MSExchangePOP3']);
    expect(guide.fix.lines.at(-1)).toMatch(/^Restart-Service/);
    expect(guide.notes.map((n) => n.key)).toEqual(expect.arrayContaining(['note.certificate.wildcard', 'note.secureLogin']));
  });
});

describe('the receive connector', () => {
  it.each([
    ['2007', "'EX01\\Client EX01'"],
    ['2010', "'EX01\\Client EX01'"],
    ['2013', "'EX01\\Client Frontend EX01'"],
    ['SE', "'EX01\\Client Frontend EX01'"],
  ] as const)('on %s is %s, enabled with TLS and basic auth after TLS', (version, identity) => {
    const guide = stepGuide('connector', { protocol: 'imap4', version, ...CASE });
    expect(guide.check.lines[0]).toContain(`Get-ReceiveConnector -Identity ${identity} |`);
    expect(guide.fix.lines[0]).toBe(
      `Set-ReceiveConnector -Identity ${identity} -Enabled $true -AuthMechanism Tls,Integrated,BasicAuth,BasicAuthRequireTLS -PermissionGroups ExchangeUsers`,
    );
    expect(guide.verify.lines).toContain("openssl s_client -connect '<FQDN>:587' -starttls smtp");
  });

  // Event 1035 (Gssapi) is Exchange 2013's known issue with Send-MailMessage, not a POP/IMAP matter in general.
  it('offers removing Integrated for event 1035 on 2013 only', () => {
    const causes = (version: ExchangeVersion) => remedy('connector', { protocol: 'pop3', version, ...CASE }).causes.map((c) => c.cause.key);
    expect(causes('2013')).toContain('remedy.connector.integrated1035');
    for (const version of ['2010', '2016', '2019', 'SE'] as const) expect(causes(version)).not.toContain('remedy.connector.integrated1035');
    const notes = (version: ExchangeVersion) => stepGuide('connector', { protocol: 'pop3', version, ...CASE }).notes.map((n) => n.key);
    expect(notes('2013')).toContain('note.connector.event1035');
    expect(notes('2019')).not.toContain('note.connector.event1035');
    expect(commands(remedy('connector', { protocol: 'pop3', version: '2016', ...CASE }).diagnose)).not.toContain('Id=1035');
  });
});

describe('Exchange Online', () => {
  const online = (protocol: Protocol): CaseDetails => ({ protocol, version: 'Online', ...CASE });

  it.each(['service', 'serverSettings', 'connector'] as StepId[])('has no %s step: asking for it throws and says so', (step) => {
    expect(() => stepGuide(step, online('pop3'))).toThrow(/does not apply to Exchange Online/);
    expect(() => remedy(step, online('imap4'))).toThrow(/does not apply to Exchange Online/);
  });

  it('has no onlineAuth step on premises', () => {
    expect(() => stepGuide('onlineAuth', { protocol: 'pop3', version: '2019', ...CASE })).toThrow(/does not apply to Exchange Server 2019/);
    expect(() => stepGuide('onlineAuth', { protocol: 'pop3' })).toThrow(/does not apply/);
  });

  it('points the client at outlook.office365.com with SSL/TLS and OAuth, and never at the server name', () => {
    const guide = clientSettings(online('imap4'));
    expect(guide.endpoints.map((e) => `${e.host}:${e.port}`)).toEqual(['outlook.office365.com:993', 'smtp.office365.com:587']);
    expect(guide.loginTypes.map((l) => l.key)).toEqual(['client.loginType.online']);
    expect(JSON.stringify(guide)).not.toContain('EX01');
  });

  it('uses Exchange Online PowerShell, not on-premises cmdlets', () => {
    const text = allCommands(online('pop3'));
    expect(stepGuide('mailbox', online('pop3')).check.lines[0]).toBe('Connect-ExchangeOnline');
    expect(text).not.toMatch(/Get-PopSettings|Set-PopSettings|Get-ExchangeCertificate|Restart-Service|ReceiveConnector/);
    expect(text).toContain("Set-CASMailbox -Identity 'taro@contoso.com' -SmtpClientAuthenticationDisabled $false");
    expect(text).toContain('Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled');
  });

  it('explains OAuth scopes and permissions for the protocol asked about', () => {
    const auth = stepGuide('onlineAuth', online('imap4'));
    expect(auth.notes).toContainEqual({
      key: 'note.online.scopes',
      values: { scope: 'https://outlook.office.com/IMAP.AccessAsUser.All', permission: 'IMAP.AccessAsApp' },
    });
    expect(auth.notes.map((n) => n.key)).toContain('note.online.basicAuthGone');
  });
});

describe('client settings', () => {
  it.each([
    ['pop3', 995, 110, 'STLS'],
    ['imap4', 993, 143, 'STARTTLS'],
  ] as const)('%s: SSL/TLS on %i, STARTTLS on %i, SMTP submission on 587, at the host name clients use', (protocol, ssl, plain, command) => {
    const guide = clientSettings({ protocol, version: '2016', ...CASE, clientHost: 'mail.contoso.com' });
    expect(guide.endpoints.map((e) => [e.host, e.port, e.encryption.key])).toEqual([
      ['mail.contoso.com', ssl, 'client.encryption.implicit'],
      ['mail.contoso.com', plain, 'client.encryption.startTls'],
      ['mail.contoso.com', 587, 'client.encryption.smtpStartTls'],
    ]);
    expect(guide.endpoints[1]!.encryption.values).toEqual({ startTls: command });
    expect(guide.loginTypes.map((l) => l.key)).toEqual([
      'client.loginType.plainTextLogin',
      'client.loginType.plainTextAuthentication',
      'client.loginType.secureLogin',
    ]);
    for (const l of guide.loginTypes) expect(l.values).toMatchObject({ plainPort: String(plain), sslPort: String(ssl) });
  });

  it('shows the server-side settings the client must match, as fits the version', () => {
    expect(clientSettings({ protocol: 'imap4', version: '2019', ...CASE }).check.lines).toEqual([
      "Get-ImapSettings -Server 'EX01' | Format-List LoginType,*Bindings,*ConnectionSettings,X509CertificateName",
    ]);
    expect(clientSettings({ protocol: 'pop3', version: '2007', ...CASE }).check.lines).toEqual([
      "Get-PopSettings -Server 'EX01' | Format-List LoginType,*Bindings,X509CertificateName",
    ]);
  });

  it('never offers the internal server name as what clients connect to: without the host name, a placeholder', () => {
    expect(clientSettings({ protocol: 'pop3', ...CASE }).endpoints.map((e) => e.host)).toEqual(['<FQDN>', '<FQDN>', '<FQDN>']);
    const guide = clientSettings({ protocol: 'pop3' });
    expect(guide.endpoints.map((e) => e.host)).toEqual(['<FQDN>', '<FQDN>', '<FQDN>']);
    expect(guide.check.lines[0]).toBe('Get-PopSettings -Server <Server> | Format-List LoginType,*Bindings,*ConnectionSettings,X509CertificateName');
  });
});

describe('without a version', () => {
  it.each(stepsFor(undefined).map((s) => [s]))('step %s says 2007/2010 differ and gives the 2013+ commands', (step) => {
    const guide = stepGuide(step, { protocol: 'pop3', ...CASE });
    expect(guide.notes.map((n) => n.key)).toContain('note.versionUnknown');
    if (step === 'connector') expect(guide.check.lines[0]).toContain("'EX01\\Client Frontend EX01'");
    if (step === 'service') expect(commands(guide.fix)).toContain('MSExchangePOP3BE');
  });

  it('does not add the note once the version is known', () => {
    for (const step of stepsFor('2010')) {
      expect(stepGuide(step, { protocol: 'pop3', version: '2010', ...CASE }).notes.map((n) => n.key)).not.toContain('note.versionUnknown');
    }
  });
});

describe('missing server and mailbox', () => {
  it('show placeholders in the commands and in the GUI sentences', () => {
    const guide = stepGuide('mailbox', { protocol: 'imap4', version: '2016' });
    expect(guide.check.lines[0]).toBe('Get-CASMailbox -Identity <Mailbox> | Format-List Name,ImapEnabled,ImapUseProtocolDefaults');
    expect(guide.verify.lines).toContain(
      'Test-ImapConnectivity -ClientAccessServer <Server> -MailboxCredential (Get-Credential) -ConnectionType Ssl -LightMode -TrustAnySSLCertificate',
    );
    expect(guide.gui[0]).toEqual({ key: 'gui.eac.open', values: { server: '<Server>' } });
    expect(stepGuide('connector', { protocol: 'pop3', version: '2010' }).check.lines[0]).toContain("-Identity '<Server>\\Client <Server>' |");
  });
});

describe('access', () => {
  it.each([
    ['2007', ['access.ex2007', 'access.otherProduct']],
    ['2010', ['access.rbacServer', 'access.rbacRecipient', 'access.localAdmin', 'access.otherProduct']],
    ['SE', ['access.rbacServer', 'access.rbacRecipient', 'access.localAdmin', 'access.otherProduct']],
    ['Online', ['access.onlineExchange', 'access.onlineEntra', 'access.otherProduct']],
    [undefined, ['access.rbacServer', 'access.rbacRecipient', 'access.localAdmin', 'access.ex2007Instead', 'access.otherProduct']],
  ] as const)('on %s names the rights the steps need', (version, keys) => {
    const guide = accessGuide({ protocol: 'pop3', version, ...CASE });
    expect(guide.requirements.map((r) => r.key)).toEqual(keys);
  });

  it('names the server for the local Administrators group', () => {
    expect(accessGuide({ protocol: 'pop3', version: '2007', server: 'EX07' }).requirements[0]!.values).toEqual({ server: 'EX07' });
  });
});

describe('support route', () => {
  it.each([
    ['2007', '2017-04-11', '2017 年 4 月 11 日'],
    ['2010', '2020-10-13', '2020 年 10 月 13 日'],
    ['2013', '2023-04-11', '2023 年 4 月 11 日'],
    ['2016', '2025-10-14', '2025 年 10 月 14 日'],
    ['2019', '2025-10-14', '2025 年 10 月 14 日'],
  ] as const)('says plainly that %s ended on %s and routes to a partner, not a Microsoft case', (version, date, japaneseDate) => {
    const route = supportRoute(version);
    expect(route.version).toBe(version);
    const key = version === '2016' || version === '2019' ? 'support.status.endedEsu' : 'support.status.ended';
    expect(route.status).toEqual({ key, values: { product: `Exchange Server ${version}`, date } });
    expect(translatorFor('en')(route.status.key, { ns: 'content', replace: route.status.values })).toContain(date);
    expect(translatorFor('ja')(route.status.key, { ns: 'content', replace: route.status.values })).toContain(japaneseDate);
    const keys = route.route.map((r) => r.key);
    expect(keys).toEqual(expect.arrayContaining(['support.route.ended.noCase', 'support.route.ended.partner']));
    expect(keys.join()).not.toMatch(/online|servicesHub/);
  });

  it('tells 2016 and 2019 that ESU is not support', () => {
    expect(supportRoute('2019').route.map((r) => r.key)).toContain('support.route.ended.esu');
    expect(supportRoute('2010').route.map((r) => r.key)).not.toContain('support.route.ended.esu');
  });

  it('routes SE to Services Hub or Support for business, and Online to the Microsoft 365 admin center', () => {
    expect(supportRoute('SE').status.key).toBe('support.status.se');
    expect(supportRoute('SE').route.map((r) => r.key)).toEqual(
      expect.arrayContaining(['support.route.se.servicesHub', 'support.route.se.supportForBusiness']),
    );
    expect(supportRoute('Online').status.key).toBe('support.status.online');
    expect(supportRoute('Online').route.map((r) => r.key)).toEqual(
      expect.arrayContaining(['support.route.online.helpAndSupport', 'support.route.online.partner']),
    );
  });

  it('without a version states every status and date', () => {
    const route = supportRoute(undefined);
    expect(route.status).toEqual({ key: 'support.status.unknown', values: { date: '2025-10-14' } });
    expect(route.route.length).toBe(3);
  });

  it('fills the case bundle for the case, or covers both protocols when only the version is known', () => {
    const filled = supportRoute('2016', { protocol: 'imap4', version: '2016', ...CASE }).collect.lines;
    expect(filled).toEqual(
      expect.arrayContaining([
        "Get-ExchangeServer -Identity 'EX01' | Format-List Name,Edition,AdminDisplayVersion",
        "Get-ImapSettings -Server 'EX01' | Format-List",
        "Get-CASMailbox -Identity 'taro@contoso.com' | Format-List Imap*",
        ".\\ExchangeLogCollector.ps1 -Servers 'EX01' -ImapLogs -ReceiveConnectors -AppSysLogs",
      ]),
    );
    expect(filled.join('\n')).not.toMatch(/Pop/);
    const both = supportRoute('2010').collect.lines.join('\n');
    expect(both).toContain('Get-PopSettings -Server <Server> | Format-List');
    expect(both).toContain('Get-ImapSettings -Server <Server> | Format-List');
    expect(both).not.toContain('ExchangeLogCollector');
    expect(supportRoute('Online').collect.lines[0]).toBe('Connect-ExchangeOnline');
  });
});

describe('network tests say where they run, in a form that exists there', () => {
  const NET_CMDLETS = /Test-NetConnection|Resolve-DnsName/;
  // Windows Server 2008 R2 (2013) and 2012 (2016) lack both; 2019 and SE need Windows Server 2019 or later.
  it.each(['2007', '2010', '2013', '2016', undefined] as const)('%s gets a TcpClient port test and nslookup, which every Windows has', (version) => {
    for (const protocol of PROTOCOLS) {
      const text = allCommands({ protocol, version, ...CASE });
      expect(text).not.toMatch(NET_CMDLETS);
      expect(text).toContain("New-Object System.Net.Sockets.TcpClient('<FQDN>', 587) | Format-List Connected");
      expect(text).toContain('nslookup <FQDN>');
    }
  });

  it.each(['2019', 'SE'] as const)('%s gets Test-NetConnection and Resolve-DnsName', (version) => {
    const text = allCommands({ protocol: 'imap4', version, ...CASE, clientHost: 'mail.contoso.com' });
    expect(text).toContain("Test-NetConnection -ComputerName 'mail.contoso.com' -Port 587");
    expect(text).toContain("Resolve-DnsName 'mail.contoso.com'");
  });

  it.each(VERSIONS.map((v) => [label(v), v]))('%s: every port test sits beside a sentence that says to run it from a client PC', (_l, version) => {
    const details: CaseDetails = { protocol: 'pop3', version, ...CASE };
    const isPortTest = (line: string) => /Test-NetConnection|TcpClient|Resolve-DnsName|nslookup/.test(line);
    for (const step of stepsFor(version)) {
      const guide = stepGuide(step, details);
      if (![guide.check, guide.fix, guide.verify].some((b) => b.lines.some(isPortTest))) continue;
      const keys = guide.notes.map((n) => n.key);
      expect({ step, where: keys.some((k) => /fromClient|fromOwnPc/.test(k)) }).toEqual({ step, where: true });
    }
    for (const checkpoint of checkpointsFor(version)) {
      const fix = remedy(checkpoint, details);
      // The diagnose and verify blocks have no sentence of their own, so no port test goes there on premises.
      if (version !== 'Online') expect([...fix.diagnose.lines, ...fix.verify.lines].filter(isPortTest)).toEqual([]);
      for (const c of fix.causes.filter((c) => c.fix.lines.some(isPortTest))) {
        const sentence = translatorFor('en')(c.cause.key, { ns: 'content', replace: c.cause.values ?? {} });
        expect(sentence).toMatch(/client PC|client's PC/);
      }
    }
  });
});

describe('Exchange Online sign-in never advises weakening tenant security', () => {
  const online: CaseDetails = { protocol: 'imap4', version: 'Online', ...CASE };
  const english = (p: Phrase) => translatorFor('en')(p.key, { ns: 'content', replace: p.values ?? {} });

  it('points at what blocks OAuth: Conditional Access, the sign-in logs, consent, the service principal', () => {
    const sentences = everyPhrase(online).map(english).join('\n');
    expect(sentences).not.toMatch(/security defaults are on.*blocked|Turning them off|turn (them|security defaults) off(?! to)/i);
    expect(sentences).toMatch(/sign-in logs/);
    expect(sentences).toMatch(/Conditional Access/);
    expect(sentences).toContain('https://outlook.office365.com/.default');
    expect(allCommands(online)).not.toMatch(/SecurityDefault/);
    expect(remedy('onlineAuth', online).causes.map((c) => c.cause.key)).toContain('remedy.onlineAuth.signInBlocked');
  });
});

describe('confirming a certificate fix', () => {
  it.each(['2013', '2016', '2019', 'SE'] as const)('%s runs the Managed Availability probe Microsoft recommends, not Test-*Connectivity', (version) => {
    const guide = stepGuide('serverSettings', { protocol: 'pop3', version, ...CASE });
    expect(guide.verify.lines[0]).toBe("Invoke-MonitoringProbe POP\\PopCTPProbe -Server 'EX01' | Format-List ResultType,Error,ExecutionEndTime");
    expect(commands(guide.verify)).not.toMatch(/Test-PopConnectivity/);
    expect(guide.notes).toContainEqual({ key: 'note.verify.probe', values: { protocol: 'POP3', analyzerTest: 'POP Email' } });
  });

  it('on 2007 and 2010 runs the built-in test with -TrustAnySSLCertificate, as it connects to the internal name', () => {
    const guide = stepGuide('serverSettings', { protocol: 'imap4', version: '2010', ...CASE });
    expect(guide.verify.lines).toContain("Test-ImapConnectivity -ClientAccessServer 'EX01' -MailboxCredential (Get-Credential) -ConnectionType Ssl -LightMode -TrustAnySSLCertificate");
    expect(guide.notes.map((n) => n.key)).toContain('note.verify.trustAny');
  });

  it.each(VERSIONS.map((v) => [label(v), v]))('%s: no Test-*Connectivity without -TrustAnySSLCertificate anywhere', (_l, version) => {
    for (const line of allCommands({ protocol: 'pop3', version, ...CASE }).split('\n')) {
      if (line.startsWith('Test-PopConnectivity')) expect(line).toMatch(/-TrustAnySSLCertificate$/);
    }
  });
});

describe('the client-submission certificate', () => {
  it.each(['2013', 'SE'] as const)('%s sets Fqdn and TlsCertificateName on the Client Frontend connector, and warns before SMTP', (version) => {
    const noTls = remedy('connector', { protocol: 'pop3', version, ...CASE, clientHost: 'mail.contoso.com' }).causes[1]!;
    expect(noTls.cause).toEqual({ key: 'remedy.connector.noTlsCertificateName', values: { clientHost: 'mail.contoso.com' } });
    expect(noTls.fix.lines).toEqual(
      expect.arrayContaining([
        "Set-ReceiveConnector -Identity 'EX01\\Client Frontend EX01' -Fqdn 'mail.contoso.com' -TlsCertificateName \"<I>$($cert.Issuer)<S>$($cert.Subject)\"",
      ]),
    );
    expect(translatorFor('en')(noTls.cause.key, { ns: 'content', replace: noTls.cause.values! })).toMatch(/answer No/);
  });

  it('every Enable-ExchangeCertificate for SMTP comes with the warning about the default certificate', () => {
    for (const version of ON_PREMISES) {
      for (const c of remedy('connector', { protocol: 'imap4', version, ...CASE }).causes) {
        if (!c.fix.lines.some((l) => l.endsWith('-Services SMTP'))) continue;
        expect(translatorFor('en')(c.cause.key, { ns: 'content', replace: c.cause.values ?? {} })).toMatch(/overwrite the default SMTP certificate, answer No/);
      }
    }
  });
});

describe('the host name clients use', () => {
  const withHost: CaseDetails = { protocol: 'pop3', version: '2016', ...CASE, clientHost: 'mail.contoso.com' };

  it('fills the client settings, ExternalConnectionSettings and X509CertificateName', () => {
    expect(clientSettings(withHost).endpoints.map((e) => `${e.host}:${e.port}`)).toEqual(['mail.contoso.com:995', 'mail.contoso.com:110', 'mail.contoso.com:587']);
    expect(stepGuide('serverSettings', withHost).fix.lines).toContain(
      "Set-PopSettings -Server 'EX01' -ExternalConnectionSettings 'mail.contoso.com:995:SSL','mail.contoso.com:110:TLS' -X509CertificateName 'mail.contoso.com'",
    );
    expect(allCommands(withHost)).not.toContain('<FQDN>');
    expect(stepGuide('serverSettings', withHost).notes.map((n) => n.key)).toContain('note.placeholdersThumbprint');
  });
});

describe('checks an expert runs first', () => {
  it.each(ON_PREMISES.map((v) => [label(v), v]))('%s: the service step starts with the build', (_l, version) => {
    expect(stepGuide('service', { protocol: 'pop3', version, ...CASE }).check.lines[0]).toBe(
      "Get-ExchangeServer -Identity 'EX01' | Format-List Name,Edition,AdminDisplayVersion",
    );
  });

  it('2013 and later: a service that stops again is checked against ServerWideOffline and the proxy component', () => {
    const stops = remedy('service', { protocol: 'imap4', version: '2019', ...CASE }).causes[1]!;
    expect(stops.cause).toEqual({ key: 'remedy.service.stopsAgainComponents', values: { proxyComponent: 'ImapProxy' } });
    expect(stops.fix.lines).toEqual(
      expect.arrayContaining([
        "Get-ServerComponentState -Identity 'EX01' -Component ImapProxy | Format-List Component,State",
        "Set-ServerComponentState -Identity 'EX01' -Component ServerWideOffline -State Active -Requester Maintenance",
      ]),
    );
    expect(commands(...remedy('service', { protocol: 'pop3', version: '2010', ...CASE }).causes.map((c) => c.fix))).not.toContain('ServerComponentState');
  });

  it('2019 and SE check the authentication policies that block basic logins; older versions have none', () => {
    const text = commands(stepGuide('mailbox', { protocol: 'pop3', version: 'SE', ...CASE }).check);
    expect(text).toContain('Get-AuthenticationPolicy | Format-List Name,BlockLegacyAuthPop');
    expect(text).toContain('Get-OrganizationConfig | Format-List DefaultAuthenticationPolicy');
    expect(text).toContain("Get-User -Identity 'taro@contoso.com' | Format-List Name,AuthenticationPolicy");
    for (const version of ['2013', '2016'] as const) expect(allCommands({ protocol: 'pop3', version, ...CASE })).not.toContain('AuthenticationPolicy');
  });

  it('turns protocol logging on where the cmdlet can (2010 and later) before quoting the log', () => {
    const limit = (version: ExchangeVersion) => remedy('mailbox', { protocol: 'pop3', version, ...CASE }).causes.find((c) => c.cause.key === 'remedy.mailbox.connectionLimit')!;
    expect(limit('2016').fix.lines).toContain("Set-PopSettings -Server 'EX01' -ProtocolLogEnabled $true");
    expect(commands(limit('2007').fix)).not.toContain('ProtocolLogEnabled $true');
  });
});

describe('the Exchange admin center and the support status, as Microsoft words them', () => {
  it('the EAC lists the protocol as IMAP, not IMAP4', () => {
    expect(stepGuide('mailbox', { protocol: 'imap4', version: '2016', ...CASE }).gui).toContainEqual({ key: 'gui.eac.emailConnectivity', values: { eacLabel: 'IMAP' } });
  });

  it('2016 and 2019 mention the Extended Security Update period; 2010 does not', () => {
    const en = (v: ExchangeVersion) => {
      const s = supportRoute(v).status;
      return translatorFor('en')(s.key, { ns: 'content', replace: s.values ?? {} });
    };
    expect(en('2019')).toMatch(/Extended Security Update/);
    expect(en('2019')).not.toMatch(/no longer fixes it/);
    expect(en('2010')).not.toMatch(/Extended Security Update/);
  });
});

describe('the support route for a version Microsoft no longer supports', () => {
  it.each(['2007', '2010', '2013', '2016', '2019'] as const)('%s frames the output and the summary for a partner, not Microsoft support', (version) => {
    const route = supportRoute(version);
    expect([route.routeHeading.key, route.collectHeading.key, route.summaryHeading.key]).toEqual([
      'support.heading.partner.route',
      'support.heading.partner.collect',
      'support.heading.partner.summary',
    ]);
  });

  it.each(['SE', 'Online', undefined] as const)('%s keeps Microsoft support as the reader', (version) => {
    expect(supportRoute(version).summaryHeading.key).toBe('support.heading.microsoft.summary');
  });
});
