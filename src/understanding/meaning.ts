// What an admin can mean by what they type, whatever the language and whatever screen they are on.
// The conversation room decides what each meaning does on each screen; this room only reads text.
import { type CheckpointId, isCheckpoint } from '../flow/types';
import { type Language, isLanguage } from '../i18n';

/** Meanings that need nothing more than the label. */
export const PLAIN_LABELS = [
  'worksNow',
  'stillFailing',
  'next',
  'thisFailed',
  'haveAccess',
  'noAccess',
  'notSure',
  'walkSteps',
  'tryAnother',
  'whichFailed',
  'escalate',
  'confirmEscalation',
  'back',
  'startOver',
  'help',
  'checkSettings',
  'showFix',
  'registerHelpdesk',
  'yes',
  'no',
] as const;
export type PlainLabel = (typeof PLAIN_LABELS)[number];

/** Meanings that name a step (by its number in the version's list, or by name), a language, or the report's period. */
export const NAMING_LABELS = ['goTo', 'failedAt', 'language', 'report'] as const;

/** Every label the utterance files may use; `none` is what the bot cannot act on (thanks, chit-chat). */
export const LABELS = [...PLAIN_LABELS, ...NAMING_LABELS, 'none'] as const;
export type Label = (typeof LABELS)[number];

export type StepRef = { step: number } | { checkpoint: CheckpointId };

/** The periods the help-desk lead's report covers, in days; the first is what a bare "report" means. */
export const REPORT_PERIODS = [7, 30] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];
const isReportPeriod = (value: string | undefined): value is `${ReportPeriod}` => (REPORT_PERIODS as readonly number[]).map(String).includes(value ?? '');

export type Meaning =
  | { label: PlainLabel }
  | { label: 'goTo' | 'failedAt'; target: StepRef }
  | { label: 'language'; language: Language }
  | { label: 'report'; days: ReportPeriod };

/**
 * What the bot made of a text: sure enough to act, torn between a few meanings (the admin picks), or
 * nothing it can act on.
 */
export type Reading =
  /** `exact`: typed as one of the taught texts, or nothing but a step's name; otherwise the classifier was confident. */
  | { kind: 'sure'; meaning: Meaning; exact: boolean }
  | { kind: 'unsure'; choices: Meaning[] }
  | { kind: 'none' };

/** One name per meaning, `goTo:3`, `failedAt:connector`, `language:ja`, `report:30`: how the corpora write what they expect. */
export function meaningName(meaning: Meaning): string {
  switch (meaning.label) {
    case 'goTo':
    case 'failedAt':
      return `${meaning.label}:${'step' in meaning.target ? meaning.target.step : meaning.target.checkpoint}`;
    case 'language':
      return `language:${meaning.language}`;
    case 'report':
      return `report:${meaning.days}`;
    default:
      return meaning.label;
  }
}

/** The meaning a "Did you mean…?" button carries back; anything else (an old or forged card) is none. */
export function parseMeaningName(name: string): Meaning | undefined {
  const [label, named, ...rest] = name.split(':');
  if (rest.length > 0) return undefined;
  if ((PLAIN_LABELS as readonly string[]).includes(label ?? '') && named === undefined) return { label: label as PlainLabel };
  if ((label === 'goTo' || label === 'failedAt') && named !== undefined) {
    if (/^[1-9]$/.test(named)) return { label, target: { step: Number(named) } };
    return isCheckpoint(named) ? { label, target: { checkpoint: named } } : undefined;
  }
  if (label === 'report') return isReportPeriod(named) ? { label, days: Number(named) as ReportPeriod } : undefined;
  return label === 'language' && isLanguage(named) ? { label, language: named } : undefined;
}
