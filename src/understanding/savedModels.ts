// Training both classifiers took about 2 s of CPU at every start, nearly all of the bot's time from start to ready
// (bench/startup.mts). `npm run build` trains them once and saves what NLP.js learnt beside the compiled code
// (scripts/save-models.mts); a start loads that in milliseconds. The file names what it was learnt from: the
// utterance files, and the compiled code that turns a text into what a classifier sees. A start whose files or code
// differ, or that finds no file or a damaged one, trains afresh as before.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LANGUAGES, type Language } from '../i18n';
import { Classifier } from './classifier';
import type { UtteranceFile } from './utterances';

/** Where the build leaves the learnt models: dist/understanding/models.json. */
export const SAVED_MODELS = path.join(__dirname, 'models.json');

/** The code whose output the models learnt from, compiled as it runs (.js in dist/, .ts under the tests). */
const SHAPING_CODE = ['features', 'classifier', 'spelling'].map((name) => path.join(__dirname, `${name}${path.extname(__filename)}`));

interface SavedModels {
  learntFrom: string;
  models: Record<Language, object>;
}

function learntFrom(files: Record<Language, UtteranceFile>): string {
  const hash = createHash('sha256').update(JSON.stringify(files));
  for (const file of SHAPING_CODE) hash.update(readFileSync(file));
  return hash.digest('hex');
}

/** The classifiers saved in `file`, if they were learnt from these utterance files by this code. */
export function loadSavedClassifiers(file: string, files: Record<Language, UtteranceFile>): Record<Language, Classifier> | undefined {
  let saved: SavedModels;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as SavedModels;
  } catch {
    return undefined; // none saved (a build without the models, the tests' sources), or unreadable: train
  }
  if (saved.learntFrom !== learntFrom(files) || LANGUAGES.some((language) => typeof saved.models?.[language] !== 'object')) return undefined;
  return Object.fromEntries(LANGUAGES.map((language) => [language, Classifier.fromSaved(language, saved.models[language])])) as Record<Language, Classifier>;
}

/** Writes what `classifiers` learnt from `files` to `file`, whole or not at all (a new file moved into place). */
export function saveClassifiers(file: string, files: Record<Language, UtteranceFile>, classifiers: Record<Language, Classifier>): void {
  const saved: SavedModels = {
    learntFrom: learntFrom(files),
    models: Object.fromEntries(LANGUAGES.map((language) => [language, classifiers[language].saved()])) as Record<Language, object>,
  };
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(saved));
  renameSync(partial, file);
}
