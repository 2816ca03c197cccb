// The case summary an admin pastes into a help-desk ticket or a Microsoft support request:
// plain text, one fact per line, in whichever language the reader needs.
import type { Translate } from '../i18n';
import { caseFacts, commandGroups, protocolName } from './facts';
import type { HandoffRecord } from './handoff';

export function caseSummary(record: HandoffRecord, t: Translate): string {
  const out: string[] = [t('summary.heading', { id: record.id, protocol: protocolName(record.details, t) })];
  for (const fact of caseFacts(record, t)) {
    const lines = fact.value.split('\n');
    // A list (the steps taken) reads better as a list; one value stays on its label's line.
    out.push(...(lines.length > 1 ? [`${fact.label}:`, ...lines.map((line) => `  - ${line}`)] : [`${fact.label}: ${fact.value}`]));
  }
  const groups = commandGroups(record, t);
  if (groups.length > 0) {
    out.push('', t('summary.commands'));
    for (const group of groups) out.push(`# ${group.name}`, ...group.lines);
  }
  return out.join('\n');
}
