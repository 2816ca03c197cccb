// Texts are compared in one folded form (NFKC, lower case, no spaces, no closing punctuation), so that
// "ステップ３", "Step 3" and "step3" agree, and ｈｅｌｐ is help.

// Anchored at the start of the run, so a long run of punctuation not at the end costs one pass, not a
// pass per character (an unanchored `[...]+$` took 18 s on 120,000 dots).
const TRAILING_PUNCTUATION = /(?<![。．.!！?？、,])[。．.!！?？、,]+$/u;

export function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u3000]+/g, '')
    .replace(TRAILING_PUNCTUATION, '');
}

/** Kana or kanji: the text is read with the Japanese model, whatever language the bot speaks. */
export function looksJapanese(text: string): boolean {
  return /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]/u.test(text);
}
