// The handoff record as labelled facts: the one reading of a record that the confirmation card,
// the escalated card and the pasteable summary all share.
import type { Translate } from '../i18n';
import type { CaseDetails } from '../flow/types';
import type { HandoffRecord } from './handoff';

export interface Fact {
  label: string;
  value: string;
}

export function versionName(details: CaseDetails | undefined, t: Translate): string {
  return details?.version ? t(`version.${details.version}`) : t('version.unknown');
}

/** "POP3 · Exchange 2016 · EX01 · taro@contoso.com": what is known of the case, on one line. */
export function caseLine(details: CaseDetails | undefined, t: Translate): string | null {
  if (!details) return null;
  return [t(`protocol.${details.protocol}`), versionName(details, t), details.server, details.mailbox]
    .filter((part): part is string => Boolean(part))
    .join(' · ');
}

export function caseFacts(record: HandoffRecord, t: Translate): Fact[] {
  const none = t('facts.notGiven');
  const details = record.details;
  const steps = record.journal.map((entry) => `${t(`checkpoint.${entry.checkpoint}`)}: ${t(`outcome.${entry.outcome}`)}`);
  const facts: Fact[] = [
    { label: t('facts.escalation'), value: record.id },
    { label: t('facts.openedAt'), value: `${record.createdAt.slice(0, 16).replace('T', ' ')} UTC` },
    { label: t('facts.requester'), value: record.requester.name ?? record.requester.id },
    { label: t('facts.language'), value: t(`language.${record.language}`) },
    { label: t('facts.reason'), value: t(`reason.${record.reason}`) },
    { label: t('facts.protocol'), value: details ? t(`protocol.${details.protocol}`) : none },
    { label: t('facts.version'), value: versionName(details, t) },
    { label: t('facts.server'), value: details?.server ?? none },
    { label: t('facts.mailbox'), value: details?.mailbox ?? none },
    { label: t('facts.errorText'), value: details?.errorText ?? none },
    { label: t('facts.steps'), value: steps.length > 0 ? steps.join('\n') : t('facts.noSteps') },
    {
      label: t('facts.failedStep'),
      value: record.failedCheckpoint ? t(`checkpoint.${record.failedCheckpoint}`) : t('facts.failedUnknown'),
    },
  ];
  if (record.note) facts.push({ label: t('facts.note'), value: record.note });
  return facts;
}
