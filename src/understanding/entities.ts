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
// Negation around a failure word, in folded text (no spaces): "didn'tfail", "notfailing", 「失敗していません」.
const NEGATED_BEFORE = /(not|n't|never|nolonger)/u;
const NEGATED_AFTER = /(ない|ません|なかった)/u;

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
  private readonly failing: RegExp;
  private readonly refused: { before: RegExp | undefined; after: RegExp | undefined };

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
    this.fillers = new RegExp(`^(?:${before}|${after}|${alternation(all((f) => f.entities.fillers))}|#)*$`, 'u');
    this.failing = new RegExp(alternation(all((f) => f.entities.failing)), 'u');
    const refusing = (pick: (file: UtteranceFile) => string[], pattern: (list: string) => string) => {
      const list = all(pick);
      return list.length > 0 ? new RegExp(pattern([...new Set(list.map(spaced))].map(escape).join('|')), 'u') : undefined;
    };
    this.refused = {
      before: refusing((f) => f.entities.languageRefused.before, (list) => `(?<![a-z0-9])(?:${list})\\s*$`),
      after: refusing((f) => f.entities.languageRefused.after, (list) => `^\\s*(?:${list})`),
    };
  }

  /**
   * The one step a text names, by number, ordinal or name; none when it names two ("step 1 and 2 were fine, 3
   * fails"): the bot then asks rather than pick one. A longer name is taken before the names inside it.
   */
  step(text: string): StepRef | undefined {
    const folded = fold(text);
    const mentions = this.mentions(folded);
    const named = new Set(mentions.map((m) => m.id));
    if (named.size === 1) return this.refOf(mentions[0]!.id);
    // Several steps named: the one said to fail ("1 and 2 were fine, 3 fails") is the one meant.
    return this.saidToFail(folded, mentions);
  }

  /**
   * The one step a text says fails ("the mailbox step fails", 「3で失敗します」, "1 and 2 fine, 3 fails"): a step
   * named just before a failure word, not negated ("didn't fail", 「失敗していません」).
   */
  failingStep(text: string): StepRef | undefined {
    const folded = fold(text);
    return this.saidToFail(folded, this.mentions(folded));
  }

  /** Of the steps a text names, the one a failure word follows in the same clause, not negated. */
  private saidToFail(folded: string, mentions: Array<{ id: string; end: number }>): StepRef | undefined {
    const failing = new Set<string>();
    for (const mention of mentions) {
      const window = folded.slice(mention.end, mention.end + 12);
      const word = this.failing.exec(window);
      if (!word) continue;
      const between = window.slice(0, word.index);
      // The failure must be said of that step, in the same clause: 「設定は一致してました。だめです」 is not.
      if (/[。．.,、!！?？;；]/u.test(between)) continue;
      const after = window.slice(word.index + word[0].length, word.index + word[0].length + 6);
      const negated = NEGATED_BEFORE.test(between) || (NEGATED_AFTER.test(after) && !NEGATED_AFTER.test(word[0]));
      if (!negated) failing.add(mention.id);
    }
    return failing.size === 1 ? this.refOf([...failing][0]!) : undefined;
  }

  /** Every step a folded text names, where: numbers, names (the longest first), then ordinals. */
  private mentions(folded: string): Array<{ id: string; end: number }> {
    const found: Array<{ id: string; end: number }> = [];
    const blank = (text: string, at: number, length: number) => text.slice(0, at) + ' '.repeat(length) + text.slice(at + length);
    let rest = folded;
    for (const match of folded.matchAll(new RegExp(this.numbered.source, 'gu'))) {
      found.push({ id: `step:${match[1] ?? match[2] ?? match[3]}`, end: match.index + match[0].length });
      rest = blank(rest, match.index, match[0].length);
    }
    // "Step 1 and 2 were fine, 3 fails": once a step is numbered, every other lone digit is a step too.
    if (found.length > 0) for (const digit of rest.matchAll(LONE_DIGIT)) found.push({ id: `step:${digit[0]}`, end: digit.index + 1 });
    for (const [name, id] of this.checkpoints) {
      for (let at = rest.indexOf(name); at >= 0; at = rest.indexOf(name, at + name.length)) {
        found.push({ id: `checkpoint:${id}`, end: at + name.length });
        rest = blank(rest, at, name.length);
      }
    }
    for (const [pattern, number] of this.ordinals) {
      const match = pattern.exec(rest);
      if (match) found.push({ id: `step:${number}`, end: match.index + match[0].length });
    }
    return found;
  }

  private refOf(id: string): StepRef {
    const [kind, value] = id.split(':') as [string, string];
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

  /**
   * The one language a text names; a language refused ("not English", 「英語ではなく」) does not count, and two
   * named without refusal name none: the bot asks instead.
   */
  language(text: string): Language | undefined {
    const seen = spaced(text);
    const named = new Set<Language>();
    for (const [pattern, id] of this.languages) {
      for (const match of seen.matchAll(new RegExp(pattern.source, 'gu'))) {
        const refused = this.refused.before?.test(seen.slice(0, match.index)) || this.refused.after?.test(seen.slice(match.index + match[0].length));
        if (!refused) named.add(id);
      }
    }
    return named.size === 1 ? [...named][0] : undefined;
  }
}
