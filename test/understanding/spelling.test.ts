// The bot corrects a typed English word to the learnt word NLP.js itself would pick, only faster: held to NLP.js's
// own SpellCheck for every learnt word and its variants one and two edits away, and for words learnt at different
// counts, where NLP.js breaks ties by count.
import { Container } from '@nlpjs/core';
import { NluNeural } from '@nlpjs/nlu';
import { featuresOf } from '../../src/understanding/features';
import { correctWithinOne } from '../../src/understanding/spelling';
import { loadUtterances } from '../../src/understanding/utterances';

/** NLP.js's own SpellCheck, holding `features`. */
function theirs(features: Record<string, number>) {
  const spelling = new NluNeural({ locale: 'en', log: false, spellCheck: true }, new Container()).spellCheck;
  spelling.setFeatures(features);
  return spelling;
}

/** Every word one edit from `word`: a letter left out, changed, added, or two neighbours swapped. */
function oneEditFrom(word: string, letters: string): string[] {
  const out: string[] = [];
  for (let i = 0; i <= word.length; i++) {
    if (i < word.length) out.push(word.slice(0, i) + word.slice(i + 1));
    if (i + 1 < word.length) out.push(word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2));
    for (const letter of letters) {
      if (i < word.length) out.push(word.slice(0, i) + letter + word.slice(i + 1));
      out.push(word.slice(0, i) + letter + word.slice(i));
    }
  }
  return out;
}

describe('spelling correction', () => {
  it('picks what NLP.js picks among the words the English classifier learns', () => {
    const learnt: Record<string, number> = {};
    for (const texts of Object.values(loadUtterances().en.intents)) for (const text of texts) Object.assign(learnt, featuresOf(text, 'en'));
    const spelling = theirs(learnt);
    const words = Object.keys(learnt).filter((word) => !word.includes('_'));
    const typed = new Set(words.flatMap((word) => oneEditFrom(word, 'e')));
    for (const word of words.slice(0, 10)) for (const once of oneEditFrom(word, 'z')) for (const twice of oneEditFrom(once, 'k')) typed.add(twice);
    let corrected = 0;
    for (const token of typed) {
      const expected = spelling.checkToken(token, 1);
      if (expected !== token) corrected++;
      expect({ token, word: correctWithinOne(spelling, token) }).toEqual({ token, word: expected });
    }
    expect(corrected).toBeGreaterThan(500); // the variants do reach learnt words, not only themselves
  });

  it('breaks ties as NLP.js does, by length and then by how often a word was learnt', () => {
    const words = ['abab', 'abba', 'baba', 'bbaa', 'aab', 'abb', 'bab', 'aabab', 'ababb', 'babab', 'abcab', 'cabab'];
    const learnt = Object.fromEntries(words.map((word, i) => [word, 1 + ((i * 7) % 5)]));
    const spelling = theirs(learnt);
    const typed = new Set(words.flatMap((word) => oneEditFrom(word, 'abc')).flatMap((word) => [word, ...oneEditFrom(word, 'c')]));
    for (const token of typed) expect({ token, word: correctWithinOne(spelling, token) }).toEqual({ token, word: spelling.checkToken(token, 1) });
  });
});
