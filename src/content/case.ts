// One case, resolved once: the protocol and generation rows that apply, and the admin's values already
// turned into safe PowerShell arguments. Builders only read from here, so no builder can forget to quote.
import type { CaseDetails } from '../flow/types';
import {
  GENERATION_FACTS,
  GENERATION_OF,
  type Generation,
  type GenerationFacts,
  PROTOCOL_FACTS,
  type ProtocolFacts,
} from './facts';
import { isGiven, placeholder, psArgument, psComposite } from './powershell';

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
  /** PowerShell argument `host:port` for openssl, from the server. */
  endpoint: (port: number) => string;
  /** The services of this protocol on this generation, front end first. */
  services: string[];
  /** Values phrases may interpolate. Shown as text, so the raw names rather than quoted arguments. */
  vars: PhraseVars;
}

export interface PhraseVars {
  protocol: string;
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

export function caseOf(details: CaseDetails): Case {
  const generation = GENERATION_OF[details.version ?? 'unknown'];
  const gen = GENERATION_FACTS[generation];
  const p = PROTOCOL_FACTS[details.protocol];
  const serverText = isGiven(details.server) ? details.server : placeholder(SERVER);
  const connectorName = gen.clientConnector?.(serverText) ?? '';
  return {
    details,
    generation,
    gen,
    p,
    versionGiven: details.version !== undefined,
    server: psArgument(details.server, SERVER),
    mailbox: psArgument(details.mailbox, MAILBOX),
    connector: gen.clientConnector ? psComposite(details.server, SERVER, gen.clientConnector) : '',
    endpoint: (port) => psComposite(details.server, SERVER, (host) => `${host}:${port}`),
    services: gen.backendService ? [p.service, p.backendService] : [p.service],
    vars: {
      protocol: p.label,
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
