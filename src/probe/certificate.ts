// The facts about a server certificate that the Exchange certificate step talks about: which names it
// carries, who issued it, when it ends, and whether a client on this machine would accept it.
import tls from 'node:tls';
import type { CertificateFacts } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

function field(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function isoDate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** "DNS:mail.contoso.com, IP Address:192.0.2.10" → ["DNS:mail.contoso.com", "IP:192.0.2.10"]. */
export function altNamesOf(subjectaltname: string | undefined): string[] {
  if (!subjectaltname) return [];
  return subjectaltname
    .split(/, (?=[A-Za-z][A-Za-z ]*:)/)
    .map((name) => name.replace(/^IP Address:/, 'IP:'))
    .filter(Boolean);
}

export interface Trust {
  /** TLSSocket.authorized, with the socket's own name check switched off: the chain alone. */
  authorized: boolean;
  authorizationError?: string;
}

export function certificateFacts(certificate: tls.PeerCertificate, host: string, trust: Trust, now: Date): CertificateFacts {
  const validTo = isoDate(certificate.valid_to);
  return {
    subject: field(certificate.subject?.CN),
    altNames: altNamesOf(certificate.subjectaltname),
    issuer: field(certificate.issuer?.CN),
    validFrom: isoDate(certificate.valid_from),
    validTo,
    // Floor, so that a certificate that ended an hour ago counts as -1 day, i.e. expired.
    daysLeft: validTo === undefined ? undefined : Math.floor((Date.parse(validTo) - now.getTime()) / DAY_MS),
    thumbprint: certificate.fingerprint?.replace(/:/g, '').toUpperCase(),
    nameMatches: tls.checkServerIdentity(host, certificate) === undefined,
    trusted: trust.authorized,
    ...(trust.authorized ? {} : { trustError: trust.authorizationError ?? 'unknown' }),
  };
}
