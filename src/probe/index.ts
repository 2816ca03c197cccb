// The live probe's public face: the rest of the bot needs the allow-list, the probe and the findings.
export { type AllowEntry, type AllowList, formatEntry, isAllowed, normalizeHost, parseAllowList, probeEnabled } from './allowList';
export { probeMailServer, type ProbeOptions } from './probe';
export type { CertificateFacts, ProbeError, ProbeErrorKind, ProbeReport, ProbeStage, ProbeTarget, Security, TlsFacts } from './types';
export { EXPIRES_SOON_DAYS, FINDINGS, type Finding, verdictOf } from './verdict';
