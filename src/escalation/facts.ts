// The handoff record as labelled facts: the one reading of a record that the confirmation card,
// the escalated card and the pasteable summary all share.
import type { Translate } from '../i18n';
import type { CaseDetails, CheckpointId } from '../flow/types';
import type { HandoffRecord, StoppedAt } from './handoff';

export interface Fact {
  label: string;
  value: string;
}

export function versionName(details: CaseDetails | undefined, t: Translate): string {
  return details?.version ? t(`version.${details.version}`) : t('version.unknown');
}

/** The case's protocol by name ("POP3"), or both when it is not known. */
export function protocolName(details: CaseDetails | undefined, t: Translate): string {
  return details ? t(`protocol.${details.protocol}`) : t('protocol.either');
}

/** A step's one name, with the case's protocol when it is known ("POP3 server settings"). */
export function checkpointName(checkpoint: CheckpointId, details: CaseDetails | undefined, t: Translate): string {
  return t(`checkpoint.${checkpoint}`, { protocol: protocolName(details, t) });
}

/** "POP3 · Exchange 2016 · EX01 · taro@contoso.com": what is known of the case, on one line. */
export function caseLine(details: CaseDetails | undefined, t: Translate): string | null {
  if (!details) return null;
  return [t(`protocol.${details.protocol}`), versionName(details, t), details.server, details.mailbox]
    .filter((part): part is string => Boolean(part))
    .join(' · ');
}

/** Where the admin stopped, and how far along the steps that was. */
function stoppedAtText(stop: StoppedAt, details: CaseDetails | undefined, t: Translate): string {
  if (stop.screen === 'check') return t('facts.stoppedAtCheck');
  const name = checkpointName(stop.checkpoint, details, t);
  if (stop.screen === 'remedy') return t('facts.stoppedAtRemedy', { name });
  return stop.stepNumber ? t('facts.stoppedAtStep', { name, number: stop.stepNumber, total: stop.stepCount }) : t('facts.stoppedAtGuide', { name });
}

export function caseFacts(record: HandoffRecord, t: Translate): Fact[] {
  const none = t('facts.notGiven');
  const details = record.details;
  const stop = record.stoppedAt;
  // A step left half-done is a step taken too: the journal only holds the ones the admin answered.
  const steps = [
    ...record.journal.map((entry) => `${checkpointName(entry.checkpoint, details, t)}: ${t(`outcome.${entry.outcome}`)}`),
    ...(stop?.screen === 'guide' ? [`${checkpointName(stop.checkpoint, details, t)}: ${t('facts.inProgress')}`] : []),
  ];
  const facts: Fact[] = [
    { label: t('facts.escalation'), value: record.id },
    { label: t('facts.openedAt'), value: t('facts.openedAtTime', { at: record.createdAt }) },
    { label: t('facts.requester'), value: record.requester.name ?? record.requester.id },
    { label: t('facts.language'), value: t(`language.${record.language}`) },
    { label: t('facts.reason'), value: t(`reason.${record.reason}`) },
    { label: t('facts.protocol'), value: details ? t(`protocol.${details.protocol}`) : none },
    { label: t('facts.version'), value: versionName(details, t) },
    { label: t('facts.server'), value: details?.server ?? none },
    { label: t('facts.clientHost'), value: details?.clientHost ?? none },
    { label: t('facts.mailbox'), value: details?.mailbox ?? none },
    { label: t('facts.errorText'), value: details?.errorText ?? none },
    { label: t('facts.steps'), value: steps.length > 0 ? steps.join('\n') : t('facts.noSteps') },
    ...(stop ? [{ label: t('facts.stoppedAt'), value: stoppedAtText(stop, details, t) }] : []),
    {
      label: t('facts.failedStep'),
      value: record.failedCheckpoint ? checkpointName(record.failedCheckpoint, details, t) : t('facts.failedUnknown'),
    },
  ];
  if (record.note) facts.push({ label: t('facts.note'), value: record.note });
  return facts;
}

export interface CommandGroup {
  /** What gave them: a checkpoint, or "check my settings". */
  name: string;
  lines: string[];
}

/** The commands already given, grouped under what gave them, in the order the admin saw them. */
export function commandGroups(record: HandoffRecord, t: Translate): CommandGroup[] {
  return [
    ...record.commands.map((shown) => ({ name: checkpointName(shown.checkpoint, record.details, t), lines: shown.lines })),
    ...(record.checkCommands ? [{ name: t('check.title'), lines: record.checkCommands }] : []),
  ];
}
