// The report for the lead's own tools (`npm run report`): the same Report the card draws, as CSV rows
// `section,key,value` a spreadsheet can pivot, or as JSON.
import { CHECKPOINTS, EXCHANGE_VERSIONS, PROTOCOLS } from '../flow/types';
import type { Report } from './report';

/** Names the JSON's shape for the tools that read it; bump when Report changes. */
export const REPORT_SCHEMA = 'popimap-bot/report@1';

/** What the export adds to the Report: the documents it could not count, so the lead knows the figures are short. */
export interface ReportExport {
  report: Report;
  /** Case documents in the period that were not readable facts, skipped. */
  damaged: number;
}

// RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180): a field with a comma, a quote or a line break is quoted,
// its quotes doubled; lines end in CRLF.
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Every step, version and outcome gets its row, zero or not, so the rows of two periods line up. The median
 * time to take is an empty value when the help desk took none of the period's escalations: no wait is not 0.
 */
export function reportCsv({ report, damaged }: ReportExport): string {
  const rows: Array<[string, string, string | number | null]> = [
    ['period', 'from', report.from],
    ['period', 'to', report.to],
    // Days are UTC days, in the file as on the card.
    ['period', 'timezone', 'UTC'],
    ['cases', 'all', report.cases],
    ...(['solved', 'escalated', 'abandoned', 'open'] as const).map((outcome) => ['outcome', outcome, report.outcomes[outcome]] as [string, string, number]),
    ...[...CHECKPOINTS, 'elsewhere' as const].map((at) => ['solvedAt', at, report.solvedAt[at] ?? 0] as [string, string, number]),
    ...PROTOCOLS.flatMap((protocol) => CHECKPOINTS.map((at) => [`failedAt.${protocol}`, at, report.failedAt[protocol][at] ?? 0] as [string, string, number])),
    ...[...EXCHANGE_VERSIONS, 'unknown' as const].map((version) => ['escalations', version, report.escalationsByVersion[version] ?? 0] as [string, string, number]),
    ...report.casesPerDay.map(({ day, cases }) => ['day', day, cases] as [string, string, number]),
    ['medianMinutesToTake', 'all', report.medianMinutesToTake],
    ['skipped', 'damaged', damaged],
  ];
  return [['section', 'key', 'value'], ...rows].map((row) => row.map((field) => csvField(String(field ?? ''))).join(',')).join('\r\n') + '\r\n';
}

/** The Report as it is, with its schema and the damaged documents skipped. */
export function reportJson({ report, damaged }: ReportExport): string {
  return `${JSON.stringify({ schema: REPORT_SCHEMA, ...report, damaged }, null, 2)}\n`;
}
