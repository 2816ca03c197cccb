// NLP.js corrects a typed word to a learnt one at most one edit away (spellCheckDistance 1) by computing the whole
// edit distance to every learnt word one letter shorter, as long, or one letter longer: 0.7 ms of CPU for
// "Outlook 2016 on Windows 11", 1.8 ms for a longer sentence. Whether two words are one edit apart takes one pass
// over them. This picks the word NLP.js's SpellCheck.checkToken picks, in its order and by its tie-breaks; a test
// holds the two to the same answer for every learnt word and its one- and two-edit variants.

import type { SpellCheck } from '@nlpjs/nlu';

/** What NLP.js's SpellCheck holds once trained: each learnt word with its count, and the words by length. */
type LearntWords = Pick<SpellCheck, 'features' | 'featuresByLength' | 'minLength'>;

/** Whether `a` and `b` agree from `i` in `a` and `j` in `b` to their ends. */
function sameFrom(a: string, i: number, b: string, j: number): boolean {
  if (a.length - i !== b.length - j) return false;
  for (; i < a.length; i++, j++) if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
  return true;
}

/** The edit distance NLP.js computes, as far as the correction needs it: 0, 1, or 2 for anything further. */
function distanceUpToOne(a: string, b: string): 0 | 1 | 2 {
  if (a === b) return 0;
  const longer = a.length - b.length;
  if (longer > 1 || longer < -1) return 2;
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // At the first difference: one letter changed, one letter more in a, or one letter more in b.
  const oneEdit = longer === 0 ? sameFrom(a, i + 1, b, i + 1) : longer > 0 ? sameFrom(a, i + 1, b, i) : sameFrom(a, i, b, i + 1);
  return oneEdit ? 1 : 2;
}

/** The learnt word NLP.js corrects `token` to at distance 1, or `token` itself. */
export function correctWithinOne(learnt: LearntWords, token: string): string {
  if (learnt.features[token]) return token;
  if (token.length < learnt.minLength) return token;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let length = token.length - 1; length <= token.length + 1; length++) {
    for (const word of learnt.featuresByLength[length] ?? []) {
      const distance = distanceUpToOne(token, word);
      if (distance > 1) continue;
      if (distance < bestDistance) {
        best = word;
        bestDistance = distance;
      } else if (distance === bestDistance && best !== undefined) {
        // Ties go to the word nearest in length, then to the one learnt more often, then to the first met.
        const bestOff = Math.abs(best.length - token.length);
        const off = Math.abs(word.length - token.length);
        if (bestOff > off || (bestOff === off && learnt.features[word]! > learnt.features[best]!)) best = word;
      }
    }
  }
  return best ?? token;
}
