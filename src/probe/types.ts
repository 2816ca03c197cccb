// What a live probe of a POP3/IMAP4 endpoint reports. Plain data, so the conversation can store it,
// log it and render it without knowing how it was obtained.
import type { CheckpointId, Protocol } from '../flow/types';
import type { Finding } from './verdict';

export type Security = 'implicit' | 'starttls';

export interface ProbeTarget {
  host: string;
  port: number;
  protocol: Protocol;
  /** 'implicit': TLS from the first byte (995/993). 'starttls': plain, then STLS/STARTTLS (110/143). */
  security: Security;
}

export type ProbeErrorKind = 'refused' | 'timeout' | 'dns' | 'tls' | 'protocol' | 'notAllowed';

/** Where the dialogue stopped: the same failure means different things at different stages. */
export type ProbeStage = 'allowList' | 'dns' | 'connect' | 'greeting' | 'capabilities' | 'starttls' | 'tls' | 'capabilitiesAfterTls' | 'logout';

export interface ProbeError {
  kind: ProbeErrorKind;
  stage: ProbeStage;
  /** The socket's error code (ECONNREFUSED, CERT_HAS_EXPIRED …), or 'closed' / 'tooLong' for what the probe noticed itself. */
  code?: string;
  detail: string;
}

export interface CertificateFacts {
  subject?: string;
  altNames: string[];
  issuer?: string;
  validFrom?: string;
  /** ISO 8601. */
  validTo?: string;
  /** Whole days from `now` to expiry; negative once expired. */
  daysLeft?: number;
  /** SHA-1, upper-case hex without separators: what Get-ExchangeCertificate shows as Thumbprint. */
  thumbprint?: string;
  /** The certificate names the host the probe was given (tls.checkServerIdentity). */
  nameMatches: boolean;
  /** The chain ends at a CA this process trusts (the name is judged separately, above). */
  trusted: boolean;
  trustError?: string;
}

export interface TlsFacts {
  protocol: string;
  cipher: string;
  certificate: CertificateFacts;
}

export interface ProbeReport {
  target: ProbeTarget;
  allowed: boolean;
  /** A TCP connection was established (whatever happened after). */
  reachable: boolean;
  /** The address the host name resolved to. */
  address?: string;
  error?: ProbeError;
  /** The first line the server sent, as sent. */
  banner?: string;
  /** The last capability list read: after TLS when TLS was negotiated. */
  capabilities: string[];
  /** Capabilities on the plain connection, before STARTTLS (security 'starttls' only). */
  capabilitiesBeforeTls?: string[];
  starttls?: { offered: boolean; negotiated: boolean };
  /** USER/SASL PLAIN (POP3) or LOGIN without LOGINDISABLED (IMAP) offered on the unencrypted connection. */
  plaintextLoginBeforeTls?: boolean;
  tls?: TlsFacts;
  verdict: { checkpoint: CheckpointId | null; finding: Finding };
}
