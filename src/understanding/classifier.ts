// One NLP.js neural classifier per language, trained from that language's utterance file. NLP.js brings
// the network, the "none of these" feature and English spelling correction (its choice, found faster by
// ./spelling); what it sees of a text is ours (features.ts), and so is its memory: NLP.js's own text
// preparation caches every text it is shown for an hour, which lets anyone typing distinct texts grow the process.
import { Container } from '@nlpjs/core';
import { NluNeural } from '@nlpjs/nlu';
import { LANGUAGES, type Language } from '../i18n';
import { featuresOf } from './features';
import type { Label } from './meaning';
import { correctWithinOne } from './spelling';
import type { UtteranceFile } from './utterances';

class TextModel extends NluNeural {
  constructor(private readonly language: Language) {
    // Spelling correction compares Latin stems ("escalte" → "escal"); Japanese pairs have nothing to correct.
    super({ locale: language, log: false, spellCheck: language === 'en', spellCheckDistance: 1 }, new Container());
    const spelling = this.spellCheck;
    const theirs = spelling.checkToken.bind(spelling);
    spelling.checkToken = (token, distance) => (distance === 1 ? correctWithinOne(spelling, token) : theirs(token, distance));
  }

  override prepare(text: unknown, settings?: unknown): Promise<unknown> {
    return typeof text === 'string' ? Promise.resolve(featuresOf(text, this.language)) : super.prepare(text, settings);
  }
}

export interface Scored {
  label: Label;
  score: number;
}

export class Classifier {
  private constructor(private readonly model: TextModel) {}

  static async train(language: Language, file: UtteranceFile): Promise<Classifier> {
    const corpus = Object.entries(file.intents)
      // `none` is what the network answers when nothing fits; its examples teach it what that looks like.
      .flatMap(([label, texts]) => texts.map((utterance) => ({ utterance, intent: label === 'none' ? 'None' : label })));
    const model = new TextModel(language);
    await model.train(corpus);
    return new Classifier(model);
  }

  /** A classifier as `saved()` left it (./savedModels). */
  static fromSaved(language: Language, saved: object): Classifier {
    const model = new TextModel(language);
    model.fromJSON(saved);
    return new Classifier(model);
  }

  /** What the network learnt, as NLP.js writes it. */
  saved(): object {
    return this.model.toJSON();
  }

  /** Every label with its score, best first; `none` when the text shares nothing with what was learnt. */
  async rank(text: string): Promise<Scored[]> {
    const { classifications } = await this.model.process(text);
    return classifications.map(({ intent, score }) => ({ label: (intent === 'None' ? 'none' : intent) as Label, score }));
  }
}

/** One classifier per language, each learnt from its own utterance file. */
export async function trainClassifiers(files: Record<Language, UtteranceFile>): Promise<Record<Language, Classifier>> {
  const trained = await Promise.all(LANGUAGES.map(async (language) => [language, await Classifier.train(language, files[language])] as const));
  return Object.fromEntries(trained) as Record<Language, Classifier>;
}
