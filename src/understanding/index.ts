// Reads what an admin types: a meaning the bot can act on, a short list to choose from, or nothing.
import type { Language } from '../i18n';
import { type Classifier, type Scored, trainClassifiers } from './classifier';
import { Entities } from './entities';
import { fold, looksJapanese } from './fold';
import { type Label, type Meaning, type Reading, REPORT_PERIODS } from './meaning';
import { SAVED_MODELS, loadSavedClassifiers } from './savedModels';
import { loadUtterances, type UtteranceFile } from './utterances';

export type { Meaning, Reading, StepRef, PlainLabel, ReportPeriod } from './meaning';
export { LABELS, PLAIN_LABELS, REPORT_PERIODS, meaningName, parseMeaningName } from './meaning';
export { fold, looksJapanese } from './fold';

/** Longest text read as something typed; anything longer is a paste, never a command. */
export const MAX_TYPED_LENGTH = 80;

/**
 * Above ACT the bot acts; from ASK up it offers the likely meanings as buttons; below, it says it did not
 * understand. Set on the training utterances (npm run eval shows what they give on the held-out ones).
 */
export const ACT = 0.7;
export const ASK = 0.3;
/** A meaning offered beside the best one must be at least this likely. */
const OFFER = 0.1;
const MOST_CHOICES = 3;
const QUESTION = /[?？]$|^(is|are|did|does|do|has|have|was|were|can|could|will|would)\b|(ですか|ますか|でしょうか|ましたか|たか)$/iu;

export class Understanding {
  private constructor(
    private readonly classifiers: Record<Language, Classifier>,
    private readonly entities: Entities,
    /** Every training text, folded: typed exactly, it means what its file says, whatever the network makes of it. */
    private readonly known: Map<string, Label>,
  ) {}

  /** Learns the utterance files, or loads what the build learnt from the same files (`saved`, ./savedModels). */
  static async train(files: Record<Language, UtteranceFile> = loadUtterances(), saved = SAVED_MODELS): Promise<Understanding> {
    const classifiers = loadSavedClassifiers(saved, files) ?? (await trainClassifiers(files));
    const known = new Map<string, Label>();
    for (const file of Object.values(files)) {
      for (const [label, texts] of Object.entries(file.intents)) for (const text of texts) known.set(fold(text), label as Label);
    }
    return new Understanding(classifiers, new Entities(Object.values(files)), known);
  }

  private static learnt: Promise<Understanding> | undefined;

  /** One training per process, from the utterance files: every conversation reads with the same model. */
  static shared(): Promise<Understanding> {
    // A failed training (a broken utterance file) is not kept: the next start tries the files again.
    Understanding.learnt ??= Understanding.train().catch((error: unknown) => {
      Understanding.learnt = undefined;
      throw error;
    });
    return Understanding.learnt;
  }

  /** The protocol and version a text names ("IMAP on Exchange 2019"), to fill the case form with. */
  caseNames(text: string) {
    return text.length > MAX_TYPED_LENGTH * 4 ? {} : this.entities.caseNames(text);
  }

  async read(text: string): Promise<Reading> {
    const folded = fold(text);
    if (folded.length === 0 || folded.length > MAX_TYPED_LENGTH) return { kind: 'none' };
    const exact = this.known.get(folded);
    const meaning = exact && this.resolve(exact, text);
    if (meaning) return { kind: 'sure', meaning, exact: true };
    if (exact === 'none') return { kind: 'none' };
    const step = this.entities.onlyNamesStep(text) ? this.entities.step(text) : undefined;
    if (step) return { kind: 'sure', meaning: { label: 'goTo', target: step }, exact: true };
    // "The mailbox step fails": what it says of a step is plain, whatever else the sentence holds.
    const failing = this.entities.failingStep(text);
    if (failing) return { kind: 'sure', meaning: { label: 'failedAt', target: failing }, exact: false };
    const ranked = await this.classifiers[looksJapanese(text) ? 'ja' : 'en'].rank(text);
    return this.judge(ranked, text);
  }

  private judge(all: Scored[], text: string): Reading {
    // A question ("is it working now?", 「直りましたか？」) asks whether it works; it never says so.
    const ranked = QUESTION.test(text.trim()) ? all.filter((scored) => scored.label !== 'worksNow') : all;
    const best = ranked[0];
    if (!best || best.label === 'none' || best.score < ASK) return { kind: 'none' };
    const candidates = ranked
      .filter((scored) => scored.label !== 'none' && (scored === best || scored.score >= OFFER))
      .flatMap((scored) => {
        const meaning = this.resolve(scored.label, text);
        return meaning ? [{ meaning, score: scored.score }] : [];
      });
    const top = candidates[0];
    if (!top) return { kind: 'none' };
    // Scores add up to one, so only the best can reach ACT.
    if (top.score >= ACT) return { kind: 'sure', meaning: top.meaning, exact: false };
    return { kind: 'unsure', choices: candidates.slice(0, MOST_CHOICES).map((c) => c.meaning) };
  }

  /** The meaning of a label in this text; none when the label needs a name the text does not give. */
  private resolve(label: Label, text: string): Meaning | undefined {
    switch (label) {
      case 'none':
        return undefined;
      case 'goTo':
      case 'failedAt': {
        const target = this.entities.step(text);
        return target ? { label, target } : undefined;
      }
      case 'language': {
        const language = this.entities.language(text);
        return language ? { label, language } : undefined;
      }
      // A report is always over some period: the shorter one unless the text names the other.
      case 'report':
        return { label, days: this.entities.reportPeriod(text) ?? REPORT_PERIODS[0] };
      default:
        return { label };
    }
  }
}
