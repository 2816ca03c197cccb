// One case, resolved once: the protocol and generation rows that apply, and the admin's values already
// turned into safe PowerShell arguments. Builders only read from here, so no builder can forget to quote.
import type { CaseDetails } from '../flow/types';
import {
  AUTHENTICATION_POLICY_VERSIONS,
  GENERATION_FACTS,
  GENERATION_OF,
  type Generation,
  type GenerationFacts,
  NET_TEST_CMDLETS,
  PROTOCOL_FACTS,
  type ProtocolFacts,
} from './facts';
import { isGiven, placeholder, psArgument, psComposite, psLiteral } from './powershell';

export interface Case {
  details: CaseDetails;
  generation: Generation;
  gen: GenerationFacts;
  p: ProtocolFacts;
  versionGiven: boolean;
  /** PowerShell argument for the server (quoted, or `<Server>`). */
  server: string;
  /** PowerShell argument for the mailbox (quoted, or `<Mailbox>`). */
  mailbox: string;
  /** PowerShell argument for the client receive connector's identity; empty where there is none. */
  connector: string;
  /** PowerShell argument for the name clients connect to (mail.contoso.com), or `<FQDN>`. */
  clientHost: string;
  /** The same name as a string literal, for .NET arguments where a bare word would not parse. */
  clientHostLiteral: string;
  /** PowerShell argument `host:port` (or `host:port:encryption`) for the name clients connect to. */
  clientEndpoint: (port: number, encryption?: 'SSL' | 'TLS') => string;
  /** Test-NetConnection and Resolve-DnsName exist wherever this version's commands run. */
  netTestCmdlets: boolean;
  /** Authentication policies can block basic POP3/IMAP4 logins (Exchange 2019 CU2 and later, SE). */
  authenticationPolicies: boolean;
  /** The services of this protocol on this generation, front end first. */
  services: string[];
  /** Values phrases may interpolate. Shown as text, so the raw names rather than quoted arguments. */
  vars: PhraseVars;
}

export interface PhraseVars {
  protocol: string;
  /** The protocol in cmdlet and parameter names: Pop, Imap. */
  noun: string;
  eacLabel: string;
  clientHost: string;
  analyzerTest: string;
  proxyComponent: string;
  server: string;
  service: string;
  backend: string;
  serviceDisplay: string;
  backendDisplay: string;
  connector: string;
  certService: string;
  plainPort: string;
  sslPort: string;
  startTls: string;
  enabledProperty: string;
  defaultsProperty: string;
  scope: string;
  permission: string;
}
export type PhraseVar = keyof PhraseVars;

export const SERVER = 'Server';
export const MAILBOX = 'Mailbox';
/** The name clients connect to, when the admin did not give it: rarely the server's own name. */
export const CLIENT_HOST = 'FQDN';

export function caseOf(details: CaseDetails): Case {
  const generation = GENERATION_OF[details.version ?? 'unknown'];
  const gen = GENERATION_FACTS[generation];
  const p = PROTOCOL_FACTS[details.protocol];
  const serverText = isGiven(details.server) ? details.server : placeholder(SERVER);
  const connectorName = gen.clientConnector?.(serverText) ?? '';
  const clientHostText = isGiven(details.clientHost) ? details.clientHost : placeholder(CLIENT_HOST);
  return {
    details,
    generation,
    gen,
    p,
    versionGiven: details.version !== undefined,
    server: psArgument(details.server, SERVER),
    mailbox: psArgument(details.mailbox, MAILBOX),
    connector: gen.clientConnector ? psComposite(details.server, SERVER, gen.clientConnector) : '',
    clientHost: psArgument(details.clientHost, CLIENT_HOST),
    clientHostLiteral: psLiteral(clientHostText),
    clientEndpoint: (port, encryption) =>
      psComposite(details.clientHost, CLIENT_HOST, (host) => (encryption ? `${host}:${port}:${encryption}` : `${host}:${port}`)),
    netTestCmdlets: details.version !== undefined && NET_TEST_CMDLETS.includes(details.version),
    authenticationPolicies: details.version !== undefined && AUTHENTICATION_POLICY_VERSIONS.includes(details.version),
    services: gen.backendService ? [p.service, p.backendService] : [p.service],
    vars: {
      protocol: p.label,
      noun: p.noun,
      eacLabel: p.eacLabel,
      clientHost: clientHostText,
      analyzerTest: p.analyzerTest,
      proxyComponent: p.proxyComponent,
      server: serverText,
      service: p.service,
      backend: p.backendService,
      serviceDisplay: p.displayName,
      backendDisplay: p.backendDisplayName,
      // Phrases name the connector as the console lists it, without the server prefix of the identity.
      connector: connectorName.slice(connectorName.indexOf('\\') + 1),
      certService: p.certificateService,
      plainPort: String(p.plainPort),
      sslPort: String(p.sslPort),
      startTls: p.startTls,
      enabledProperty: `${p.noun}Enabled`,
      defaultsProperty: `${p.noun}UseProtocolDefaults`,
      scope: p.delegatedScope,
      permission: p.appPermission,
    },
  };
}
