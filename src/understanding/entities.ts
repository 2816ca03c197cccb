// The names inside a text: which step (by number, ordinal or name) and which language. The words come from
// every language's utterance file, since admins mix them ("POPサービス", "step 3 の確認").
import type { CheckpointId, ExchangeVersion, Protocol } from '../flow/types';
import type { Language } from '../i18n';
import { fold } from './fold';
import { REPORT_PERIODS, type ReportPeriod, type StepRef } from './meaning';
import type { UtteranceFile } from './utterances';

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Longest first, so "receiveconnector" is found before "connector".
const alternation = (list: readonly string[]) => [...new Set(list.map(fold))].sort((a, b) => b.length - a.length).map(escape).join('|');

const LONE_DIGIT = /(?<![\d.])[1-9](?![\d.])/gu;

// A case's names are whole words: "se" inside "close" is not Exchange SE, nor "pop" inside "popup" POP3.
const spaced = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[\s\u3000]+/g, ' ');
function wholeWords(names: readonly string[]): RegExp {
  const list = [...new Set(names.map(spaced))].sort((a, b) => b.length - a.length).map(escape).join('|');
  return new RegExp(`(?<![a-z0-9])(?:${list})(?![a-z0-9])`, 'u');
}

export class Entities {
  private readonly numbered: RegExp;
  private readonly ordinals: Array<[RegExp, number]>;
  private readonly checkpoints: Array<[string, CheckpointId]>;
  private readonly languages: Array<[RegExp, Language]>;
  private readonly protocols: Array<[RegExp, Protocol]>;
  private readonly versions: Array<[RegExp, ExchangeVersion]>;
  private readonly reportPeriods: Array<[RegExp, ReportPeriod]>;
  /** What is left of a text that only names a step: "step 3", 「3番目」, "the connector". */
  private readonly fillers: RegExp;

  constructor(files: readonly UtteranceFile[]) {
    const all = <T>(pick: (file: UtteranceFile) => T[]) => files.flatMap(pick);
    const before = alternation(all((f) => f.entities.stepBefore));
    const after = alternation(all((f) => f.entities.stepAfter));
    // A lone digit 1-9 next to a step word, or standing alone: never part of 110, 2016 or 5.7.3.
    this.numbered = new RegExp(`(?:(?:${before})([1-9])(?![\\d.])|(?<![\\d.])([1-9])(?:${after})|^([1-9])$)`, 'u');
    this.ordinals = [0, 1, 2, 3].map((i) => [new RegExp(alternation(all((f) => f.entities.ordinals[i] ?? [])), 'u'), i + 1]);
    this.checkpoints = all((f) => Object.entries(f.entities.checkpoints).flatMap(([id, names]) => names.map((n) => [fold(n), id as CheckpointId] as [string, CheckpointId])))
      .sort((a, b) => b[0].length - a[0].length);
    this.languages = all((f) => Object.entries(f.entities.languages).map(([id, names]) => [wholeWords(names), id as Language] as [RegExp, Language]));
    this.protocols = all((f) => Object.entries(f.entities.protocols).map(([id, names]) => [wholeWords(names), id as Protocol] as [RegExp, Protocol]));
    this.versions = all((f) => Object.entries(f.entities.versions).map(([id, names]) => [wholeWords(names), id as ExchangeVersion] as [RegExp, ExchangeVersion]));
    this.reportPeriods = all((f) =>
      REPORT_PERIODS.flatMap((days) => {
        const names = f.entities.reportPeriods[String(days)];
        return names ? [[wholeWords(names), days] as [RegExp, ReportPeriod]] : [];
      }),
    );
    this.fillers = new RegExp(`^(?:the|a|${before}|${after}|no|の|を|へ|に|で|#)*$`, 'u');
  }

  /**
   * The one step a text names, by number, ordinal or name; none when it names two ("step 1 and 2 were fine, 3
   * fails"): the bot then asks rather than pick one. A longer name is taken before the names inside it.
   */
  step(text: string): StepRef | undefined {
    let rest = fold(text);
    const found = new Set<string>();
    const numbered = new RegExp(this.numbered.source, 'gu');
    for (const match of rest.matchAll(numbered)) found.add(`step:${match[1] ?? match[2] ?? match[3]}`);
    // "Step 1 and 2 were fine, 3 fails": once a step is numbered, every other lone digit is a step too.
    if (found.size > 0) for (const digit of rest.matchAll(LONE_DIGIT)) found.add(`step:${digit[0]}`);
    rest = rest.replace(numbered, ' ');
    for (const [name, id] of this.checkpoints) {
      if (!rest.includes(name)) continue;
      found.add(`checkpoint:${id}`);
      rest = rest.split(name).join(' ');
    }
    for (const [pattern, number] of this.ordinals) if (pattern.test(rest)) found.add(`step:${number}`);
    if (found.size !== 1) return undefined;
    const [kind, value] = [...found][0]!.split(':') as [string, string];
    return kind === 'step' ? { step: Number(value) } : { checkpoint: value as CheckpointId };
  }

  /** Whether the text is nothing but a step's name or number ("3", "step 3", 「受信コネクタ」). */
  onlyNamesStep(text: string): boolean {
    let rest = fold(text);
    const number = this.numbered.exec(rest);
    if (number) rest = rest.replace(number[0], '');
    else {
      const named = this.checkpoints.find(([name]) => rest.includes(name));
      if (!named) return false;
      rest = rest.replace(named[0], '');
    }
    return this.fillers.test(rest);
  }

  /** The protocol and version a text names, for the case form; each only when the text names exactly one. */
  caseNames(text: string): { protocol?: Protocol; version?: ExchangeVersion } {
    const seen = spaced(text);
    const one = <T>(list: Array<[RegExp, T]>) => {
      const found = [...new Set(list.filter(([pattern]) => pattern.test(seen)).map(([, id]) => id))];
      return found.length === 1 ? found[0] : undefined;
    };
    const protocol = one(this.protocols);
    const version = one(this.versions);
    return { ...(protocol ? { protocol } : {}), ...(version ? { version } : {}) };
  }

  /** The one period a report request names ("report 30", 「1か月のレポート」); none when it names none, or both. */
  reportPeriod(text: string): ReportPeriod | undefined {
    const seen = spaced(text);
    const named = new Set(this.reportPeriods.filter(([pattern]) => pattern.test(seen)).map(([, days]) => days));
    return named.size === 1 ? [...named][0] : undefined;
  }

  /** The one language a text names; none when it names both (「英語ではなく日本語で」): the bot asks instead. */
  language(text: string): Language | undefined {
    const seen = spaced(text);
    const named = new Set(this.languages.filter(([pattern]) => pattern.test(seen)).map(([, id]) => id));
    return named.size === 1 ? [...named][0] : undefined;
  }
}
