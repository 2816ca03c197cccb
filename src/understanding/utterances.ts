// The data the bot learns from: per language, example texts for each meaning and the words that name
// steps and languages. Kept beside the locales, so adding a language or a meaning is adding data.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CHECKPOINTS, EXCHANGE_VERSIONS, PROTOCOLS } from '../flow/types';
import { LANGUAGES, LOCALES_DIR, type Language } from '../i18n';
import { LABELS, REPORT_PERIODS } from './meaning';

const words = z.array(z.string().min(1)).min(1);

const intentsSchema = z.object({ $comment: z.string().optional(), intents: z.partialRecord(z.enum(LABELS), words) });

const entitiesSchema = z.object({
  $comment: z.string().optional(),
    /** Words that stand before a step's number ("step 3", 「ステップ3」) or after it (「3番目」). */
    stepBefore: words,
    stepAfter: words,
    /** Ordinals that name a step on their own: "third", 「三つ目」. Index 0 is step 1. */
    ordinals: z.array(words).length(4),
    checkpoints: z.partialRecord(z.enum(CHECKPOINTS), words),
  languages: z.partialRecord(z.enum(LANGUAGES), words),
  /** Names of the case itself, typed before the form is filled: "IMAP on Exchange 2019". */
  protocols: z.partialRecord(z.enum(PROTOCOLS), words),
  versions: z.partialRecord(z.enum(EXCHANGE_VERSIONS), words),
  /** What may stand around a step's name in a text that only names it: "step 3 please", 「3番でお願いします」. */
  fillers: words,
  /** Words that say a step fails: of several steps named, the one they follow is the failing one. */
  failing: words,
  /** Words that refuse the language they stand before or after: "not English", 「英語ではなく」. */
  languageRefused: z.object({ before: z.array(z.string().min(1)), after: z.array(z.string().min(1)) }),
  /** The report's period, in what the help-desk lead types: "report 30", 「30日間のレポート」. */
  reportPeriods: z.partialRecord(z.enum(REPORT_PERIODS.map(String) as [string, ...string[]]), words),
});

/** One language's data: what each meaning sounds like (utterances.json) and the names in texts (entities.json). */
export interface UtteranceFile {
  intents: z.infer<typeof intentsSchema>['intents'];
  entities: z.infer<typeof entitiesSchema>;
}

function read<T>(language: Language, name: string, schema: z.ZodType<T>): T {
  const file = path.join(LOCALES_DIR, language, name);
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not valid (${z.prettifyError(parsed.error)}); fix it and start again.`);
  return parsed.data;
}

/** Every language's data, checked: a broken file stops the bot at start, naming the file and the field. */
export function loadUtterances(): Record<Language, UtteranceFile> {
  const entries = LANGUAGES.map((language) => {
    const { intents } = read(language, 'utterances.json', intentsSchema);
    return [language, { intents, entities: read(language, 'entities.json', entitiesSchema) }] as const;
  });
  return Object.fromEntries(entries) as Record<Language, UtteranceFile>;
}
