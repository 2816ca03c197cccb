// The live check as the conversation uses it: the operator's allow-list decides which endpoints are
// offered, and a report becomes a diagnosis the flow can keep (small, no raw server output).
import { readFileSync } from 'node:fs';
import type { Diagnosis } from '../flow/diagnosis';
import type { Protocol } from '../flow/types';
import { formatEntry, parseAllowList } from './allowList';
import { probeMailServer } from './probe';
import type { ProbeReport } from './types';

// The ports that speak TLS from the first byte; any other port is tried with STARTTLS/STLS.
const IMPLICIT_TLS_PORTS = new Set([993, 995]);

export interface ProbeSettings {
  allow: string;
  timeoutMs: number;
  caFile?: string;
}

export interface EndpointChecker {
  targets: string[];
  run(target: string, protocol: Protocol): Promise<Diagnosis>;
}

export function toDiagnosis(report: ProbeReport): Diagnosis {
  const certificate = report.tls?.certificate;
  const values: Record<string, string> = { target: formatEntry({ host: report.target.host, port: report.target.port }) };
  if (certificate?.validTo) values.validTo = certificate.validTo.slice(0, 10);
  if (certificate?.daysLeft !== undefined) values.daysLeft = String(certificate.daysLeft);
  if (certificate) values.names = [certificate.subject, ...certificate.altNames].filter(Boolean).join(', ');
  if (certificate?.issuer) values.issuer = certificate.issuer;
  if (report.tls) values.tlsProtocol = report.tls.protocol;
  return { source: 'probe', finding: `probe.${report.verdict.finding}`, checkpoint: report.verdict.checkpoint, values };
}

/** Throws at start-up, naming the bad entry, when the allow-list does not parse. */
export function createEndpointChecker(settings: ProbeSettings): EndpointChecker {
  const allowList = parseAllowList(settings.allow);
  const ca = settings.caFile ? readFileSync(settings.caFile) : undefined;
  return {
    targets: allowList.map(formatEntry),
    run: async (target, protocol) => {
      const entry = allowList.find((e) => formatEntry(e) === target);
      if (!entry) throw new Error(`${target} is not on PROBE_ALLOW`);
      const security = IMPLICIT_TLS_PORTS.has(entry.port) ? 'implicit' : 'starttls';
      const report = await probeMailServer(
        { host: entry.host, port: entry.port, protocol, security },
        { allowList, timeoutMs: settings.timeoutMs, ...(ca ? { ca } : {}) },
      );
      return toDiagnosis(report);
    },
  };
}
