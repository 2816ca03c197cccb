// Exchange facts the content is derived from, as small tables: one row per protocol, one row per
// generation of Exchange. Everything that differs between POP3 and IMAP4, or between versions, is
// a value here, so the builders never branch on a protocol or a version number themselves.
// Each fact names the Microsoft page it was checked against (`Source:`); a new fact gets one too.
import type { ExchangeVersion, Protocol } from '../flow/types';

export interface ProtocolFacts {
  /** As Exchange and the UI spell it. */
  label: 'POP3' | 'IMAP4';
  /** The noun in cmdlets and properties: Get-PopSettings, PopEnabled, Test-ImapConnectivity. */
  noun: 'Pop' | 'Imap';
  service: string;
  backendService: string;
  displayName: string;
  backendDisplayName: string;
  plainPort: number;
  sslPort: number;
  /** The client command that upgrades the plain port to TLS. */
  startTls: 'STLS' | 'STARTTLS';
  /** `openssl s_client -starttls` takes its own protocol names. */
  opensslStartTls: 'pop3' | 'imap';
  /** The value of Enable-ExchangeCertificate -Services and of the certificate's Services list. */
  certificateService: 'POP' | 'IMAP';
  /** Managed Availability health sets on 2013 and later are named after the protocol. */
  healthSetPrefix: 'POP' | 'IMAP';
  /** ExchangeLogCollector.ps1 switch for this protocol's logs. */
  logCollectorSwitch: '-PopLogs' | '-ImapLogs';
  /** Exchange Online OAuth: delegated scope and application permission. */
  delegatedScope: string;
  appPermission: string;
  /**
   * The protocol as the EAC's Mailbox features > Email connectivity lists it ("IMAP", not "IMAP4").
   * Source: https://learn.microsoft.com/exchange/clients/pop3-and-imap4/configure-mailbox-access
   */
  eacLabel: 'POP3' | 'IMAP';
  /**
   * The server component whose Inactive state stops the service by design (2013 and later).
   * Source: https://learn.microsoft.com/powershell/module/exchangepowershell/set-servercomponentstate
   */
  proxyComponent: 'PopProxy' | 'ImapProxy';
  /**
   * The Managed Availability probe Microsoft runs instead of Test-PopConnectivity on 2013 and later.
   * Source: https://learn.microsoft.com/exchange/troubleshooting-pop-health-set-exchange-2013-help,
   * https://learn.microsoft.com/powershell/module/exchangepowershell/test-popconnectivity (the note on Managed Availability)
   */
  monitoringProbe: string;
  /**
   * The Microsoft Remote Connectivity Analyzer test for the path from the internet.
   * Source: https://learn.microsoft.com/exchange/clients/pop3-and-imap4/configure-pop3 (and configure-imap4)
   */
  analyzerTest: 'POP Email' | 'IMAP Email';
}

export const PROTOCOL_FACTS: Record<Protocol, ProtocolFacts> = {
  pop3: {
    label: 'POP3',
    noun: 'Pop',
    service: 'MSExchangePOP3',
    backendService: 'MSExchangePOP3BE',
    displayName: 'Microsoft Exchange POP3',
    backendDisplayName: 'Microsoft Exchange POP3 Backend',
    plainPort: 110,
    sslPort: 995,
    startTls: 'STLS',
    opensslStartTls: 'pop3',
    certificateService: 'POP',
    healthSetPrefix: 'POP',
    logCollectorSwitch: '-PopLogs',
    delegatedScope: 'https://outlook.office.com/POP.AccessAsUser.All',
    appPermission: 'POP.AccessAsApp',
    eacLabel: 'POP3',
    proxyComponent: 'PopProxy',
    monitoringProbe: 'POP\\PopCTPProbe',
    analyzerTest: 'POP Email',
  },
  imap4: {
    label: 'IMAP4',
    noun: 'Imap',
    service: 'MSExchangeIMAP4',
    backendService: 'MSExchangeIMAP4BE',
    displayName: 'Microsoft Exchange IMAP4',
    backendDisplayName: 'Microsoft Exchange IMAP4 Backend',
    plainPort: 143,
    sslPort: 993,
    startTls: 'STARTTLS',
    opensslStartTls: 'imap',
    certificateService: 'IMAP',
    healthSetPrefix: 'IMAP',
    logCollectorSwitch: '-ImapLogs',
    delegatedScope: 'https://outlook.office.com/IMAP.AccessAsUser.All',
    appPermission: 'IMAP.AccessAsApp',
    eacLabel: 'IMAP',
    proxyComponent: 'ImapProxy',
    monitoringProbe: 'IMAP\\ImapCTPProbe',
    analyzerTest: 'IMAP Email',
  },
};

/**
 * Versions that are managed the same way. 2016, 2019 and SE share one code base and one admin
 * experience; 2013 is close to them but splits roles and restarts less often.
 */
export type Generation = 'ex2007' | 'ex2010' | 'ex2013' | 'ex2016' | 'online';

/** Which admin tool the GUI steps walk through. */
export type AdminTool = 'emc2007' | 'emc2010' | 'eac' | 'online';

export interface GenerationFacts {
  tool: AdminTool;
  /** 2013 and later split each protocol into a front-end and a "Backend" service. */
  backendService: boolean;
  /** 2007 has no Internal/ExternalConnectionSettings on Set-PopSettings / Set-ImapSettings. */
  connectionSettings: boolean;
  /** 2007's certificate cmdlets work on the local server only (no -Server). */
  certificateServerParameter: boolean;
  /** Receive connector clients submit through, by the name Exchange gives it; null where there is none. */
  clientConnector: ((server: string) => string) | null;
  /** 2013 and later pick up a mailbox's POP/IMAP change only after the services restart. */
  restartAfterMailboxChange: boolean;
  /** Separate Client Access and Mailbox servers were still common on 2013. */
  splitRoles: boolean;
  /** Get-ServerHealth and Get-WinEvent exist on the 2013+ servers; 2007/2010 rely on the event log cmdlets. */
  managedAvailability: boolean;
  /** ExchangeLogCollector.ps1 (current version) supports 2013 and later; HealthChecker.ps1 2016 and later. */
  logCollector: boolean;
  healthChecker: boolean;
  /**
   * Protocol logging is switched on with Set-PopSettings/Set-ImapSettings -ProtocolLogEnabled from 2010
   * on; 2007 only through the service's .exe.config file. It is off by default.
   * Source: https://learn.microsoft.com/powershell/module/exchangepowershell/set-popsettings#-protocollogenabled
   */
  protocolLogCmdlet: boolean;
  /**
   * Event 1035 (MSExchangeFrontEndTransport, mechanism Gssapi) is a known issue of Exchange 2013 Client
   * Access servers with Send-MailMessage, fixed by removing Integrated from the client connector.
   * Source: https://learn.microsoft.com/exchange/release-notes-for-exchange-2013-exchange-2013-help
   */
  gssapiEvent1035: boolean;
}

const EXCHANGE_2013_AND_LATER: Omit<GenerationFacts, 'splitRoles' | 'healthChecker' | 'gssapiEvent1035'> = {
  tool: 'eac',
  backendService: true,
  connectionSettings: true,
  certificateServerParameter: true,
  clientConnector: (server) => `${server}\\Client Frontend ${server}`,
  restartAfterMailboxChange: true,
  managedAvailability: true,
  logCollector: true,
  protocolLogCmdlet: true,
};

export const GENERATION_FACTS: Record<Generation, GenerationFacts> = {
  ex2007: {
    tool: 'emc2007',
    backendService: false,
    connectionSettings: false,
    certificateServerParameter: false,
    clientConnector: (server) => `${server}\\Client ${server}`,
    restartAfterMailboxChange: false,
    splitRoles: false,
    managedAvailability: false,
    logCollector: false,
    healthChecker: false,
    protocolLogCmdlet: false,
    gssapiEvent1035: false,
  },
  ex2010: {
    tool: 'emc2010',
    backendService: false,
    connectionSettings: true,
    certificateServerParameter: true,
    clientConnector: (server) => `${server}\\Client ${server}`,
    restartAfterMailboxChange: false,
    splitRoles: false,
    managedAvailability: false,
    logCollector: false,
    healthChecker: false,
    protocolLogCmdlet: true,
    gssapiEvent1035: false,
  },
  ex2013: { ...EXCHANGE_2013_AND_LATER, splitRoles: true, healthChecker: false, gssapiEvent1035: true },
  ex2016: { ...EXCHANGE_2013_AND_LATER, splitRoles: false, healthChecker: true, gssapiEvent1035: false },
  online: {
    tool: 'online',
    backendService: false,
    connectionSettings: false,
    certificateServerParameter: false,
    clientConnector: null,
    restartAfterMailboxChange: false,
    splitRoles: false,
    managedAvailability: false,
    logCollector: false,
    healthChecker: false,
    protocolLogCmdlet: false,
    gssapiEvent1035: false,
  },
};

/** Without a version the content answers for 2013 and later, the versions still most often running. */
export const GENERATION_OF: Record<ExchangeVersion, Generation> & { unknown: Generation } = {
  '2007': 'ex2007',
  '2010': 'ex2010',
  '2013': 'ex2013',
  '2016': 'ex2016',
  '2019': 'ex2016',
  SE: 'ex2016',
  Online: 'online',
  unknown: 'ex2016',
};

export const PRODUCT_NAME: Record<ExchangeVersion, string> = {
  '2007': 'Exchange Server 2007',
  '2010': 'Exchange Server 2010',
  '2013': 'Exchange Server 2013',
  '2016': 'Exchange Server 2016',
  '2019': 'Exchange Server 2019',
  SE: 'Exchange Server Subscription Edition (SE)',
  Online: 'Exchange Online',
};

/**
 * Extended (final) end of support from Microsoft's lifecycle data; absent = still supported.
 * Source: https://learn.microsoft.com/lifecycle/products/exchange-server-2019 (and the 2007 to 2016 pages)
 */
export const END_OF_SUPPORT: Partial<Record<ExchangeVersion, string>> = {
  '2007': '2017-04-11',
  '2010': '2020-10-13',
  '2013': '2023-04-11',
  '2016': '2025-10-14',
  '2019': '2025-10-14',
};

/** Exchange Online's fixed endpoints: there is no server of the admin's own to point a client at. */
export const ONLINE_ENDPOINTS = {
  mailHost: 'outlook.office365.com',
  smtpHost: 'smtp.office365.com',
} as const;

export const SMTP_SUBMISSION_PORT = 587;

/**
 * 2016 and 2019 had a paid Extended Security Update period after their end of support: security
 * updates only, for organizations that enrolled, and still no support cases.
 * Source: https://learn.microsoft.com/lifecycle/products/exchange-server-2019
 */
export const EXTENDED_SECURITY_UPDATES: readonly ExchangeVersion[] = ['2016', '2019'];

/**
 * Test-NetConnection and Resolve-DnsName exist from Windows 8.1 / Windows Server 2012 R2 on: not on the
 * Windows that Exchange 2007, 2010 and 2013 (2008 R2) or 2016 (2012) may run on. For those the port test
 * is a .NET TcpClient and the name test nslookup, which work on every Windows. Exchange 2019 and SE run on
 * Windows Server 2019 or later; Exchange Online is checked from the admin's own, current PC.
 * Source: https://learn.microsoft.com/powershell/module/nettcpip/test-netconnection (Windows Server 2012 R2 and later),
 * https://learn.microsoft.com/exchange/plan-and-deploy/system-requirements
 */
export const NET_TEST_CMDLETS: readonly ExchangeVersion[] = ['2019', 'SE', 'Online'];

/**
 * Authentication policies with BlockLegacyAuthPop/Imap exist on Exchange 2019 CU2 and later, and SE.
 * Source: https://learn.microsoft.com/powershell/module/exchangepowershell/new-authenticationpolicy#-blocklegacyauthpop
 */
export const AUTHENTICATION_POLICY_VERSIONS: readonly ExchangeVersion[] = ['2019', 'SE'];

/**
 * The Remote Connectivity Analyzer tests the path from the internet, as an outside client sees it.
 * Source: https://learn.microsoft.com/exchange/clients/pop3-and-imap4/configure-pop3
 */
export const REMOTE_CONNECTIVITY_ANALYZER = 'https://testconnectivity.microsoft.com';
