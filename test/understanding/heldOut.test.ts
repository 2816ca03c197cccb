// The floors the classifier must keep on texts it never learnt from. Two sets: the development set was read
// while the training texts were written (none of its texts is taught, but its misses guided what was added),
// so its figures flatter; the test set was written apart by someone who never saw the training texts, and is
// the honest measure. `npm run eval` prints both, per language and per screen, with every miss.
import { LANGUAGES } from '../../src/i18n';
import { Understanding } from '../../src/understanding';
import { type HeldOutSet, type Judged, heldOut, judge, tally, understood } from '../support/understandingEval';

const FLOORS: Record<HeldOutSet, { understood: number; misacted: number }> = {
  development: { understood: 0.95, misacted: 0.03 },
  // Where the test set stands today (89.5% en, 88.9% ja understood; 4.7% and 3.5% misacted): the 95% is
  // still to reach on it, and these floors keep it from slipping meanwhile.
  test: { understood: 0.88, misacted: 0.05 },
  final: { understood: 0.9, misacted: 0.03 },
};

describe.each(['test', 'development'] as const)('understanding what admins type, on the %s set', (set) => {
  const judged: Judged[] = [];
  beforeAll(async () => {
    const understanding = await Understanding.shared();
    for (const language of LANGUAGES) for (const item of heldOut(language, set)) judged.push(await judge(understanding, language, item));
  });

  const line = (j: Judged) => `${j.state}: ${j.text} → ${j.got} (meant ${j.expect})`;

  it.each(LANGUAGES)(`understands at least the floor of the %s texts`, (language) => {
    const t = tally(judged, (j) => j.language).get(language)!;
    const misses = judged.filter((j) => j.language === language && (j.verdict === 'missed' || j.verdict === 'misacted')).map(line);
    expect(understood(t) >= FLOORS[set].understood ? [] : misses).toEqual([]);
  });

  it.each(LANGUAGES)('rarely does the wrong thing in %s: it asks instead', (language) => {
    const t = tally(judged, (j) => j.language).get(language)!;
    const misacted = judged.filter((j) => j.language === language && j.verdict === 'misacted').map(line);
    expect(misacted.length / t.total <= FLOORS[set].misacted ? [] : misacted).toEqual([]);
  });
});
