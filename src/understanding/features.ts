// What the classifier sees of a text. English: NLP.js's tokenizer and Porter stemmer, plus each pair of
// neighbouring stems, so "not fixed" is not "fixed". Japanese: NLP.js's TinySegmenter tokens plus every
// two-character run of the text, which carries meaning without a dictionary (「まだダメ」 and 「ダメでした」
// share 「ダメ」) and costs nothing at start; NLP.js's own Japanese stemmer loads a 300 MB dictionary.
import { StemmerEn, TokenizerEn } from '@nlpjs/lang-en-min';
import { TokenizerJa } from '@nlpjs/lang-ja';
import type { Language } from '../i18n';

export type Features = Record<string, 1>;

const englishTokens = new TokenizerEn();
const englishStems = new StemmerEn();
const japaneseTokens = new TokenizerJa();

// Digits become one token: "step 3" and "step 2" read alike; which step is the entities' job.
const DIGITS = /\d+/g;

// A negated sentence carries one feature more: "fixed" and "not fixed", 「直った」 and 「直っていない」 share
// their words. Only negation is marked: a mark on every text would make nonsense look like something known.
const ENGLISH_NEGATION = /\b(not|no|never|nothing|nope|cannot)\b|n't\b/;
const JAPANESE_NEGATION = /(ない|ません|なかった|ず|ぬ|ダメ|だめ|駄目|NG|失敗|エラー|不可)/iu;

function english(text: string): string[] {
  const stems = englishTokens.tokenize(text.replace(DIGITS, ' 0 '), true).map((token) => englishStems.stemWord(token));
  return [...stems, ...stems.slice(1).map((stem, i) => `${stems[i]}_${stem}`), ...(ENGLISH_NEGATION.test(text) ? ['#negated'] : [])];
}

function japanese(text: string): string[] {
  const compact = text.replace(DIGITS, '0').replace(/[\s\u3000、。,.!?！？・「」『』()（）]+/gu, '');
  const tokens = japaneseTokens.tokenize(compact, false);
  const chars = [...compact];
  const pairs = chars.slice(1).map((char, i) => `~${chars[i]}${char}`);
  return [...tokens, ...pairs, ...(JAPANESE_NEGATION.test(compact) ? ['#negated'] : [])];
}

export function featuresOf(text: string, language: Language): Features {
  const normal = text.normalize('NFKC').toLowerCase();
  const tokens = language === 'ja' ? japanese(normal) : english(normal);
  return Object.fromEntries(tokens.map((token) => [token, 1])) as Features;
}
