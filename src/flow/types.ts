// The vocabulary of the troubleshooting flow. Everything else (content, rendering, conversation)
// speaks in these terms, so this file imports nothing.

export const PROTOCOLS = ['pop3', 'imap4'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const EXCHANGE_VERSIONS = ['2007', '2010', '2013', '2016', '2019', 'SE', 'Online'] as const;
export type ExchangeVersion = (typeof EXCHANGE_VERSIONS)[number];

/** The server-side checks in the order the admin walks them. */
export const STEPS = ['service', 'serverSettings', 'mailbox', 'connector', 'onlineAuth'] as const;
export type StepId = (typeof STEPS)[number];

/** Anything the admin can name as "this is what failed": a step, or the mail client itself. */
export const CHECKPOINTS = ['clientSettings', ...STEPS] as const;
export type CheckpointId = (typeof CHECKPOINTS)[number];

/** What the admin told us about the case. Only the protocol is required to begin. */
export interface CaseDetails {
  protocol: Protocol;
  version?: ExchangeVersion;
  server?: string;
  mailbox?: string;
  errorText?: string;
  /** The host name mail clients connect to (mail.contoso.com), when it is not the server's own. */
  clientHost?: string;
}

const ON_PREMISES_STEPS: readonly StepId[] = ['service', 'serverSettings', 'mailbox', 'connector'];
// Exchange Online has no server to manage: only the mailbox switch and the tenant's authentication rules.
const ONLINE_STEPS: readonly StepId[] = ['mailbox', 'onlineAuth'];

export function stepsFor(version: ExchangeVersion | undefined): readonly StepId[] {
  return version === 'Online' ? ONLINE_STEPS : ON_PREMISES_STEPS;
}

export function checkpointsFor(version: ExchangeVersion | undefined): readonly CheckpointId[] {
  return ['clientSettings', ...stepsFor(version)];
}

export function isExchangeVersion(value: unknown): value is ExchangeVersion {
  return typeof value === 'string' && (EXCHANGE_VERSIONS as readonly string[]).includes(value);
}

export function isProtocol(value: unknown): value is Protocol {
  return typeof value === 'string' && (PROTOCOLS as readonly string[]).includes(value);
}

export function isCheckpoint(value: unknown): value is CheckpointId {
  return typeof value === 'string' && (CHECKPOINTS as readonly string[]).includes(value);
}
