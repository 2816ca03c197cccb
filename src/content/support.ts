// Where the case goes once the bot is out of ideas: the support status of the version said plainly, the
// Microsoft route that fits it, and the commands whose output support asks for first.
import type { CaseDetails, ExchangeVersion, Protocol } from '../flow/types';
import { type Case, caseOf } from './case';
import * as cmd from './commands';
import { END_OF_SUPPORT, EXTENDED_SECURITY_UPDATES, PRODUCT_NAME } from './facts';
import { phrase, powershell } from './phrases';
import type { CommandBlock, Phrase, SupportRoute, SupportStatus } from './types';

// No Microsoft case for a version out of support: a partner now, and the way back to a supported version.
const ended = (...next: string[]) => ['support.route.ended.noCase', 'support.route.ended.partner', ...next];

const ROUTE: Record<ExchangeVersion | 'unknown', string[]> = {
  '2007': ended('support.route.ended.upgradeOld'),
  '2010': ended('support.route.ended.upgradeOld'),
  '2013': ended('support.route.ended.upgradeOld'),
  // ESU for 2016/2019 is sold as security fixes only; admins who bought it still have no case to open.
  '2016': ended('support.route.ended.esu', 'support.route.ended.upgrade2016'),
  '2019': ended('support.route.ended.esu', 'support.route.ended.upgrade2019'),
  SE: ['support.route.se.ownProcess', 'support.route.se.servicesHub', 'support.route.se.supportForBusiness'],
  // Service health first: an outage Microsoft already knows about needs no case.
  Online: [
    'support.route.online.serviceHealth',
    'support.route.online.helpAndSupport',
    'support.route.online.contact',
    'support.route.online.partner',
    'support.route.online.vianet',
  ],
  unknown: ['support.route.unknown.online', 'support.route.unknown.se', 'support.route.unknown.ended'],
};

export function supportStatus(version: ExchangeVersion | undefined): SupportStatus {
  if (version === undefined) return { status: 'unknown' };
  const endOfSupport = END_OF_SUPPORT[version];
  return endOfSupport ? { status: 'ended', product: PRODUCT_NAME[version], endOfSupport } : { status: 'supported', product: PRODUCT_NAME[version] };
}

function status(version: ExchangeVersion | undefined): Phrase {
  if (version === undefined) return phrase('support.status.unknown', { date: END_OF_SUPPORT['2019']! });
  const product = PRODUCT_NAME[version];
  const { endOfSupport } = supportStatus(version);
  if (endOfSupport) {
    const key = EXTENDED_SECURITY_UPDATES.includes(version) ? 'support.status.endedEsu' : 'support.status.ended';
    return phrase(key, { product, date: endOfSupport });
  }
  return phrase(version === 'Online' ? 'support.status.online' : 'support.status.se', { product });
}

function route(version: ExchangeVersion | undefined): Phrase[] {
  return ROUTE[version ?? 'unknown'].map((key) => phrase(key));
}

/** Per protocol: what the service, its settings and the mailbox look like, and the built-in test. */
function onPremisesProtocolLines(c: Case): string[] {
  return [
    `Get-Service ${c.p.service}*`,
    `Get-${c.p.noun}Settings -Server ${c.server} | Format-List`,
    `Get-CASMailbox -Identity ${c.mailbox} | Format-List ${c.p.noun}*`,
    cmd.testConnectivity(c, 'Ssl'),
  ];
}

/** Once per case, whatever the protocol: build, connectors, certificates and Microsoft's collectors. */
function onPremisesCaseLines(cases: Case[]): { before: string[]; after: string[] } {
  const c = cases[0]!;
  const logSwitches = cases.map((each) => each.p.logCollectorSwitch).join(' ');
  return {
    before: [cmd.showBuild(c)],
    after: [
      `Get-ReceiveConnector -Server ${c.server} | Format-List Name,Enabled,Bindings,AuthMechanism,PermissionGroups`,
      cmd.showCertificates(c),
      ...(c.gen.logCollector ? [`.\\ExchangeLogCollector.ps1 -Servers ${c.server} ${logSwitches} -ReceiveConnectors -AppSysLogs`] : []),
      ...(c.gen.healthChecker ? [`.\\HealthChecker.ps1 -Server ${c.server}`] : []),
    ],
  };
}

function onlineProtocolLines(c: Case): string[] {
  return [
    `Get-CASMailbox -Identity ${c.mailbox} | Format-List ${c.p.noun}*,SmtpClientAuthenticationDisabled`,
    cmd.showMailboxPlans(c),
  ];
}

function onlineCaseLines(cases: Case[]): { before: string[]; after: string[] } {
  const c = cases[0]!;
  return {
    before: [cmd.CONNECT_EXCHANGE_ONLINE],
    after: [cmd.showTenantSmtpAuth(), cmd.showServicePrincipals(), cmd.showMailboxPermissions(c)],
  };
}

/**
 * The bundle support asks for, filled for the case. Without the case details (the protocol is not
 * known), both protocols' settings are collected, with placeholders for the server and mailbox.
 */
function collect(version: ExchangeVersion | undefined, details: CaseDetails | undefined): CommandBlock {
  const protocols: Protocol[] = details ? [details.protocol] : ['pop3', 'imap4'];
  const cases = protocols.map((protocol) => caseOf({ ...details, protocol, version }));
  const online = cases[0]!.gen.tool === 'online';
  const { before, after } = online ? onlineCaseLines(cases) : onPremisesCaseLines(cases);
  const perProtocol = cases.flatMap(online ? onlineProtocolLines : onPremisesProtocolLines);
  return powershell([...new Set([...before, ...perProtocol, ...after])]);
}

/**
 * Who reads the collected output and the English summary: Microsoft support where it takes cases, a
 * Microsoft partner (or the upgrade project) where it no longer does.
 */
function audience(version: ExchangeVersion | undefined): 'microsoft' | 'partner' {
  return supportStatus(version).status === 'ended' ? 'partner' : 'microsoft';
}

export function buildSupportRoute(version: ExchangeVersion | undefined, details?: CaseDetails): SupportRoute {
  const reader = audience(version);
  return {
    version,
    status: status(version),
    route: route(version),
    collect: collect(version, details),
    routeHeading: phrase(`support.heading.${reader}.route`),
    collectHeading: phrase(`support.heading.${reader}.collect`),
    summaryHeading: phrase(`support.heading.${reader}.summary`),
    summaryOwnHeading: phrase(`support.heading.${reader}.summaryOwn`),
  };
}
