import type { ProbeErrorKind, ProbeStage } from './types';

/** Thrown inside the probe to stop the dialogue; becomes the report's `error`. */
export class ProbeFailure extends Error {
  constructor(
    readonly kind: ProbeErrorKind,
    readonly stage: ProbeStage,
    detail: string,
    /** The socket's error code, or 'closed' / 'tooLong' for what the probe itself noticed. */
    readonly code?: string,
  ) {
    super(detail);
  }
}

function code(error: unknown): string | undefined {
  const value = (error as { code?: unknown } | null)?.code;
  return typeof value === 'string' ? value : undefined;
}

const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EADDRNOTAVAIL']);

/** Turns whatever a socket threw at `stage` into the kind of failure an administrator can act on. */
export function classify(error: unknown, stage: ProbeStage): ProbeFailure {
  if (error instanceof ProbeFailure) return error;
  const errorCode = code(error);
  const message = error instanceof Error ? error.message : String(error);
  const detail = errorCode && !message.includes(errorCode) ? `${errorCode}: ${message}` : message;
  if (stage === 'dns') return new ProbeFailure('dns', stage, detail, errorCode);
  if (errorCode === 'ETIMEDOUT') return new ProbeFailure('timeout', stage, detail, errorCode);
  // Unreachable hosts and networks are grouped with refusals: in both, nothing at that address accepted
  // the connection, and both lead the administrator to the service and the firewall in front of it.
  if (stage === 'connect' && errorCode && REFUSED.has(errorCode)) return new ProbeFailure('refused', stage, detail, errorCode);
  if (stage === 'tls' || errorCode?.startsWith('ERR_SSL') || errorCode?.startsWith('ERR_TLS')) return new ProbeFailure('tls', stage, detail, errorCode);
  return new ProbeFailure('protocol', stage, detail, errorCode);
}
