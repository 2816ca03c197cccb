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

function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1]!))].sort();
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
  phrases.push(support.status, ...support.route);
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
      "Set-ImapSettings -Server 'EX01' -ExternalConnectionSettings <FQDN>:993:SSL,<FQDN>:143:TLS -X509CertificateName <FQDN>",
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
    expect(guide.verify.lines).toContain("openssl s_client -connect 'EX01:587' -starttls smtp");
  });

  it('offers removing Integrated for event 1035 on 2013 and later only', () => {
    const causes = (version: ExchangeVersion) => remedy('connector', { protocol: 'pop3', version, ...CASE }).causes.map((c) => c.cause.key);
    expect(causes('2016')).toContain('remedy.connector.integrated1035');
    expect(causes('2010')).not.toContain('remedy.connector.integrated1035');
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
  ] as const)('%s: SSL/TLS on %i, STARTTLS on %i, SMTP submission on 587, at the server given', (protocol, ssl, plain, command) => {
    const guide = clientSettings({ protocol, version: '2016', ...CASE });
    expect(guide.endpoints.map((e) => [e.host, e.port, e.encryption.key])).toEqual([
      ['EX01', ssl, 'client.encryption.implicit'],
      ['EX01', plain, 'client.encryption.startTls'],
      ['EX01', 587, 'client.encryption.smtpStartTls'],
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

  it('uses a placeholder host when no server was given', () => {
    const guide = clientSettings({ protocol: 'pop3' });
    expect(guide.endpoints.map((e) => e.host)).toEqual(['<Server>', '<Server>', '<Server>']);
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
    expect(guide.verify.lines).toContain('Test-ImapConnectivity -ClientAccessServer <Server> -MailboxCredential (Get-Credential) -ConnectionType Ssl -LightMode');
    expect(guide.gui[0]).toEqual({ key: 'gui.eac.open', values: { server: '<Server>' } });
    expect(stepGuide('connector', { protocol: 'pop3', version: '2010' }).check.lines[0]).toContain('-Identity <Server>\\Client <Server> |');
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
    ['2007', '2017-04-11'],
    ['2010', '2020-10-13'],
    ['2013', '2023-04-11'],
    ['2016', '2025-10-14'],
    ['2019', '2025-10-14'],
  ] as const)('says plainly that %s ended on %s and routes to a partner, not a Microsoft case', (version, date) => {
    const route = supportRoute(version);
    expect(route.version).toBe(version);
    expect(route.status).toEqual({ key: 'support.status.ended', values: { product: `Exchange Server ${version}`, date } });
    expect(translatorFor('en')(route.status.key, { ns: 'content', replace: route.status.values })).toContain(date);
    expect(translatorFor('ja')(route.status.key, { ns: 'content', replace: route.status.values })).toContain(date);
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
