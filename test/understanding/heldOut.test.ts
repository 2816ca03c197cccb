// The floor the classifier must keep on texts it never saw. `npm run eval` prints the same measure per
// language and per screen, with the texts it got wrong.
import { LANGUAGES } from '../../src/i18n';
import { Understanding } from '../../src/understanding';
import { type Judged, heldOut, judge, tally, understood } from '../support/understandingEval';

// The bar: 95% of held-out texts understood in each language, and almost never a wrong action.
const UNDERSTOOD_FLOOR = 0.95;
const MISACTED_CEILING = 0.03;

describe('understanding what admins type, measured on texts it never learnt from', () => {
  let judged: Judged[] = [];
  beforeAll(async () => {
    const understanding = await Understanding.shared();
    for (const language of LANGUAGES) for (const item of heldOut(language)) judged.push(await judge(understanding, language, item));
  });

  it.each(LANGUAGES)('understands at least 95%% of the held-out %s texts', (language) => {
    const t = tally(judged, (j) => j.language).get(language)!;
    const misses = judged.filter((j) => j.language === language && (j.verdict === 'missed' || j.verdict === 'misacted')).map((j) => `${j.state}: ${j.text} → ${j.got} (meant ${j.expect})`);
    const allowed = Math.floor(t.total * (1 - UNDERSTOOD_FLOOR));
    expect(understood(t) >= UNDERSTOOD_FLOOR ? [] : misses).toEqual([]);
    expect(misses.length).toBeLessThanOrEqual(allowed);
  });

  it.each(LANGUAGES)('rarely does the wrong thing in %s: it asks instead', (language) => {
    const t = tally(judged, (j) => j.language).get(language)!;
    const misacted = judged.filter((j) => j.language === language && j.verdict === 'misacted').map((j) => `${j.state}: ${j.text} → ${j.got} (meant ${j.expect})`);
    expect(misacted.length / t.total <= MISACTED_CEILING ? [] : misacted).toEqual([]);
  });
});
