// Every check command the bot hands out, for every version and protocol, answered the way Exchange
// Management Shell answers it, and pasted back into "check my settings": the bot must read its own
// commands' output, and say what it found in the terms of the case's protocol.
import { clientSettings, stepGuide, supportRoute } from '../../src/content/catalog';
import { diagnose } from '../../src/diagnosis/diagnose';
import { type CaseDetails, EXCHANGE_VERSIONS, type ExchangeVersion, PROTOCOLS, stepsFor } from '../../src/flow/types';
import { LANGUAGES, translatorFor } from '../../src/i18n';

const NOW = new Date('2026-11-22T12:00:00Z');
const VERSIONS: (ExchangeVersion | undefined)[] = [...EXCHANGE_VERSIONS, undefined];

/** The commands a check screen, a step's "Check" or the client settings hand out to be run and read. */
function checkCommands(details: CaseDetails): string[] {
  const lines = [...clientSettings(details).check.lines, ...supportRoute(details.version, details).collect.lines];
  for (const step of stepsFor(details.version)) lines.push(...stepGuide(step, details).check.lines);
  return [...new Set(lines)];
}

// Lines with nothing to paste back: the sign-in to Exchange Online, and Microsoft's collection scripts,
// which write their results to files for support.
const NO_OUTPUT = [/^Connect-ExchangeOnline$/, /^\.\\/];

const BUILD: Record<ExchangeVersion | 'unknown', string> = {
  '2007': 'Version 8.3 (Build 83.6)',
  '2010': 'Version 14.3 (Build 123.4)',
  '2013': 'Version 15.0 (Build 1497.2)',
  '2016': 'Version 15.1 (Build 2507.6)',
  '2019': 'Version 15.2 (Build 1748.10)',
  SE: 'Version 15.2 (Build 2562.17)',
  Online: '',
  unknown: 'Version 15.1 (Build 2507.6)',
};

/** Format-List output, the field names padded to one column as PowerShell pads them. */
function list(...objects: Array<Record<string, string>>): string {
  return `\n${objects
    .map((o) => {
      const width = Math.max(...Object.keys(o).map((k) => k.length));
      return Object.entries(o)
        .map(([k, v]) => `${k.padEnd(width)} : ${v}`)
        .join('\n');
    })
    .join('\n\n')}\n`;
}

/** Format-Table output: header, dashed rule, rows, each column as wide as its longest cell. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' ').trimEnd();
  return `\n${[line(header), line(header.map((h) => '-'.repeat(h.length))), ...rows.map(line)].join('\n')}\n`;
}

function fieldsOf(line: string): string[] {
  return (/Format-(?:List|Table) ([\w*,()]+)/.exec(line)?.[1] ?? '').split(',').filter(Boolean);
}

const SETTINGS = (d: CaseDetails): Record<string, string> => {
  const [plain, ssl, noun] = d.protocol === 'pop3' ? [110, 995, 'POP3'] : [143, 993, 'IMAP4'];
  return {
    Name: '1',
    ProtocolName: noun,
    UnencryptedOrTLSBindings: `{[::]:${plain}, 0.0.0.0:${plain}}`,
    SSLBindings: `{[::]:${ssl}, 0.0.0.0:${ssl}}`,
    InternalConnectionSettings: `{EX01.contoso.com:${ssl}:SSL, EX01.contoso.com:${plain}:TLS}`,
    ExternalConnectionSettings: `{mail.contoso.com:${ssl}:SSL, mail.contoso.com:${plain}:TLS}`,
    X509CertificateName: 'mail.contoso.com',
    LoginType: 'SecureLogin',
    MaxConnectionsPerUser: '16',
    ProtocolLogEnabled: 'False',
    Server: 'EX01',
  };
};

/** Keep the fields a Format-List names (wildcards included), or all of them for a bare Format-List. */
function pick(all: Record<string, string>, fields: string[]): Record<string, string> {
  if (fields.length === 0) return all;
  const wanted = (key: string) => fields.some((f) => new RegExp(`^${f.replace(/\*/g, '.*')}$`).test(key));
  return Object.fromEntries(Object.entries(all).filter(([k]) => wanted(k)));
}

/** What each command prints, as Exchange prints it for this case. */
const OUTPUTS: Array<[RegExp, (line: string, d: CaseDetails) => string]> = [
  [/^Get-ExchangeServer/, (_l, d) => list({ Name: 'EX01', Edition: 'Enterprise', AdminDisplayVersion: BUILD[d.version ?? 'unknown'] })],
  [
    /^Get-WmiObject Win32_Service/,
    (line) => table(['Name', 'State', 'StartMode'], [...line.matchAll(/Name='(\w+)'/g)].map((m) => [m[1]!, 'Running', 'Auto'])),
  ],
  [
    /^Get-Service /,
    (line, d) => {
      const named = line.replace(/^Get-Service /, '').split(/,\s*/);
      const names = named.flatMap((n) => (n.endsWith('*') ? [n.slice(0, -1), ...(/^(2007|2010)$/.test(d.version ?? '') ? [] : [`${n.slice(0, -1)}BE`])] : [n]));
      return table(['Status', 'Name', 'DisplayName'], names.map((n) => ['Running', n, `Microsoft Exchange ${n.replace('MSExchange', '')}`]));
    },
  ],
  [/^Get-(Pop|Imap)Settings/, (line, d) => list(pick(SETTINGS(d), fieldsOf(line)))],
  [
    /^Get-ExchangeCertificate/,
    (_l, d) =>
      list({
        Thumbprint: '5113AE0233A72FCCB75B1D0198628675333D010E',
        Subject: 'CN=mail.contoso.com',
        CertificateDomains: '{mail.contoso.com, autodiscover.contoso.com}',
        Services: `IMAP, POP, IIS, SMTP`.replace(d.protocol === 'pop3' ? 'IMAP, ' : 'POP, ', ''),
        NotAfter: '2027/03/31 8:59:59',
        Status: 'Valid',
      }),
  ],
  [
    /^Get-CASMailbox /,
    (line) =>
      list(
        pick(
          {
            Name: 'Taro Yamada',
            PopEnabled: 'True',
            PopUseProtocolDefaults: 'True',
            PopMessagesRetrievalMimeFormat: 'BestBodyFormat',
            ImapEnabled: 'True',
            ImapUseProtocolDefaults: 'True',
            SmtpClientAuthenticationDisabled: '',
          },
          fieldsOf(line),
        ),
      ),
  ],
  [
    /^Get-ReceiveConnector/,
    (line) =>
      list(
        ...['Default EX01', 'Client Frontend EX01'].map((name) =>
          pick(
            {
              Name: name,
              Enabled: 'True',
              Fqdn: 'mail.contoso.com',
              Bindings: '{[::]:587, 0.0.0.0:587}',
              AuthMechanism: 'Tls, Integrated, BasicAuth, BasicAuthRequireTLS',
              PermissionGroups: 'ExchangeUsers',
              TlsCertificateName: '<I>CN=Contoso CA<S>CN=mail.contoso.com',
            },
            fieldsOf(line),
          ),
        ),
      ),
  ],
  [
    /^Test-(Pop|Imap)Connectivity/,
    (line) => table(['CasServer', 'LocalSite', 'Scenario', 'Result', 'Latency(MS)', 'Error'], [['EX01', 'Tokyo', `Test ${line.includes('Pop') ? 'POP3' : 'IMAP4'} Conn...`, 'Success', '46.88', '']]),
  ],
  [/^Get-User /, () => list({ Name: 'Taro Yamada', AuthenticationPolicy: '' })],
  [/^Get-OrganizationConfig/, () => list({ DefaultAuthenticationPolicy: 'Block Basic Auth' })],
  [
    /^Get-AuthenticationPolicy/,
    (line) => {
      const field = fieldsOf(line)[1]!;
      return list({ Name: 'Block Basic Auth', [field]: 'True' }, { Name: 'Allow Basic Auth', [field]: 'False' });
    },
  ],
  [/^Get-CASMailboxPlan/, (line) => table(['Name', fieldsOf(line)[1]!], [['ExchangeOnlineEnterprise-6f1c3a52', 'True'], ['ExchangeOnline-2b1e4d0e', 'True']])],
  [/^Get-TransportConfig/, () => list({ SmtpClientAuthenticationDisabled: 'True' })],
  [/^Get-ServicePrincipal/, () => table(['DisplayName', 'AppId', 'ObjectId'], [['Mail reader', '6b3c0b5e-1f2a-4c3d-9e8f-0a1b2c3d4e5f', '0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6']])],
  [/^Get-MailboxPermission/, () => table(['User', 'AccessRights'], [['NT AUTHORITY\\SELF', '{FullAccess, ReadPermission}'], ['Mail reader', '{FullAccess}']])],
  [
    /^Test-NetConnection/,
    (line) =>
      list({
        ComputerName: /-ComputerName '([^']+)'/.exec(line)![1]!,
        RemoteAddress: '52.98.1.10',
        RemotePort: /-Port (\d+)/.exec(line)![1]!,
        InterfaceAlias: 'Ethernet',
        SourceAddress: '10.0.0.15',
        TcpTestSucceeded: 'True',
      }),
  ],
  [/^New-Object System\.Net\.Sockets\.TcpClient/, () => list({ Connected: 'True' })],
];

const COMBINATIONS = VERSIONS.flatMap((version) => PROTOCOLS.map((protocol) => [version ?? 'no version', protocol, version] as const));

describe.each(COMBINATIONS)('%s / %s: the output of every check command the bot hands out', (_label, protocol, version) => {
  const details: CaseDetails = { protocol, version, server: 'EX01', mailbox: 'taro@contoso.com' };
  const lines = checkCommands(details).filter((line) => !NO_OUTPUT.some((p) => p.test(line)));

  it.each(lines.map((line) => [line]))('%s', (line) => {
    const output = OUTPUTS.find(([pattern]) => pattern.test(line));
    expect({ line, hasOutput: output !== undefined }).toEqual({ line, hasOutput: true });
    const verdict = diagnose(output![1](line, details), details, NOW);
    expect({ line, finding: verdict.finding, reason: verdict.values.reason }).toEqual({ line, finding: expect.not.stringMatching(/^unreadable$/), reason: undefined });
    expect(['unknown', 'clientError']).not.toContain(verdict.source);
    for (const lng of LANGUAGES) {
      const sentence = translatorFor(lng)(`diagnosis.${verdict.finding}`, { replace: verdict.values });
      expect(sentence).not.toMatch(/\{\{|POP3\/IMAP4|POP\/IMAP|995\/993/);
      expect(sentence).not.toMatch(protocol === 'pop3' ? /IMAP|993|143/ : /POP|995|110/);
    }
  });
});

describe('the verdicts that matter in those outputs', () => {
  const pop: CaseDetails = { protocol: 'pop3', version: '2016', server: 'EX01' };

  it('reads the bot\'s own service check (Win32_Service: Auto) and flags a service that starts manually', () => {
    const wmi = table(['Name', 'State', 'StartMode'], [['MSExchangePOP3', 'Running', 'Manual'], ['MSExchangePOP3BE', 'Running', 'Auto']]);
    expect(diagnose(wmi, pop, NOW)).toMatchObject({ finding: 'serviceNotAutomatic', checkpoint: 'service', values: { service: 'MSExchangePOP3', startType: 'Manual' } });
    const stopped = table(['Name', 'State', 'StartMode'], [['MSExchangePOP3', 'Stopped', 'Auto'], ['MSExchangePOP3BE', 'Running', 'Auto']]);
    expect(diagnose(stopped, pop, NOW)).toMatchObject({ finding: 'serviceStopped', checkpoint: 'service' });
  });

  it('tells the admin the build belongs to another version than the one chosen', () => {
    expect(diagnose(list({ Name: 'EX01', Edition: 'Standard', AdminDisplayVersion: 'Version 15.2 (Build 2562.17)' }), pop, NOW)).toMatchObject({
      finding: 'buildOtherVersion',
      values: { product: 'Exchange Server SE' },
    });
  });

  it('points at the mailbox step when an authentication policy blocks basic POP3 logins', () => {
    const policies = list({ Name: 'Block Basic Auth', BlockLegacyAuthPop: 'True' });
    expect(diagnose(policies, { ...pop, version: '2019' }, NOW)).toMatchObject({ finding: 'authPolicyBlocks', checkpoint: 'mailbox', values: { policy: 'Block Basic Auth' } });
  });

  it('points at the service when a server component was left Inactive after maintenance', () => {
    const states = list({ Component: 'ServerWideOffline', State: 'Active' }, { Component: 'PopProxy', State: 'Inactive' });
    expect(diagnose(states, pop, NOW)).toMatchObject({ finding: 'componentInactive', checkpoint: 'service', values: { component: 'PopProxy' } });
  });

  it('reads a failed port test as a closed port, on premises and online', () => {
    const closed = list({ ComputerName: 'mail.contoso.com', RemoteAddress: '203.0.113.5', RemotePort: '995', TcpTestSucceeded: 'False' });
    expect(diagnose(`WARNING: TCP connect to (203.0.113.5 : 995) failed\n${closed}`, pop, NOW)).toMatchObject({ finding: 'portClosed', checkpoint: 'service' });
    expect(diagnose(closed, { protocol: 'pop3', version: 'Online' }, NOW)).toMatchObject({ finding: 'portClosed', checkpoint: 'clientSettings' });
  });
});
