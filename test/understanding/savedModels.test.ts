// The build saves what the classifiers learnt, and a start loads it instead of training: a loaded classifier must
// read every measuring text exactly as the one it was saved from, and a start must train afresh whenever the saved
// file is not what these utterance files would teach.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LANGUAGES, type Language } from '../../src/i18n';
import { Understanding } from '../../src/understanding';
import { Classifier, trainClassifiers } from '../../src/understanding/classifier';
import { loadSavedClassifiers, saveClassifiers } from '../../src/understanding/savedModels';
import { loadUtterances } from '../../src/understanding/utterances';

const files = loadUtterances();
const measuring = (language: Language) =>
  (JSON.parse(readFileSync(path.join(__dirname, '../corpus/utterances', `${language}.json`), 'utf8')) as Array<{ text: string }>).map((item) => item.text);

let dir: string;
let saved: string;
let trained: Record<Language, Classifier>;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'saved-models-'));
  saved = path.join(dir, 'models.json');
  trained = await trainClassifiers(files);
  saveClassifiers(saved, files, trained);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => jest.restoreAllMocks());

describe('classifiers saved by the build', () => {
  it.each([...LANGUAGES])('read every measuring text in %s as the classifier they were saved from', async (language) => {
    const loaded = loadSavedClassifiers(saved, files)!;
    for (const text of measuring(language)) {
      expect({ text, ranked: await loaded[language].rank(text) }).toEqual({ text, ranked: await trained[language].rank(text) });
    }
  });

  it('spare a start the training', async () => {
    const training = jest.spyOn(Classifier, 'train');
    const understanding = await Understanding.train(files, saved);
    expect(training).not.toHaveBeenCalled();
    // Read by the classifiers, not by the exact training texts or the step names.
    expect(await understanding.read('nothing changed, still broken')).toEqual({ kind: 'sure', meaning: { label: 'stillFailing' }, exact: false });
    expect(await understanding.read('まだ直りません')).toEqual({ kind: 'sure', meaning: { label: 'stillFailing' }, exact: false });
  });

  it('are not used once the utterances changed: the start trains on the new ones', async () => {
    const changed = { ...files, en: { ...files.en, intents: { ...files.en.intents, help: [...(files.en.intents.help ?? []), 'lost, what now'] } } };
    const training = jest.spyOn(Classifier, 'train');
    await Understanding.train(changed, saved);
    expect(training).toHaveBeenCalledTimes(LANGUAGES.length);
  });

  it('are not used when the file is damaged or missing: the start trains', async () => {
    const damaged = path.join(dir, 'damaged.json');
    writeFileSync(damaged, readFileSync(saved, 'utf8').slice(0, 1000));
    expect(loadSavedClassifiers(damaged, files)).toBeUndefined();
    expect(loadSavedClassifiers(path.join(dir, 'none.json'), files)).toBeUndefined();
  });
});
