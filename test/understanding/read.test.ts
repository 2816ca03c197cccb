// How the bot reads one typed text, whatever the width, spacing or script it is typed in.
import { Understanding, meaningName } from '../../src/understanding';
import { Entities } from '../../src/understanding/entities';
import { loadUtterances } from '../../src/understanding/utterances';

let understanding: Understanding;
beforeAll(async () => {
  understanding = await Understanding.shared();
});

async function said(text: string): Promise<string> {
  const reading = await understanding.read(text);
  return reading.kind === 'sure' ? meaningName(reading.meaning) : reading.kind;
}

describe('reading a typed text', () => {
  it.each([
    ['step 3', 'goTo:3'],
    ['Step3', 'goTo:3'],
    ['ステップ３', 'goTo:3'],
    ['ｓｔｅｐ　２', 'goTo:2'],
    ['手順 1', 'goTo:1'],
    ['3番目', 'goTo:3'],
    ['step three', 'goTo:3'],
    ['メールボックス', 'goTo:mailbox'],
    ['受信コネクタ', 'goTo:connector'],
    ['receive connector', 'goTo:connector'],
    ['ｈｅｌｐ', 'help'],
    ['step 3。。', 'goTo:3'],
    ['Start over!?', 'startOver'],
    ['日本語', 'language:ja'],
    ['English', 'language:en'],
  ])('reads %j as %s', async (text, meaning) => {
    expect(await said(text)).toBe(meaning);
  });

  it.each([
    ['nothing', ''],
    ['spaces', '   '],
    ['100,000 letters', 'x'.repeat(100_000)],
    ['control characters', '\u0000\u0007\u001b'],
  ])('finds nothing to act on in %s', async (_name, text) => {
    expect(await said(text)).toBe('none');
  });

  it('never reads a port, a version or a status code as a step number', async () => {
    for (const text of ['port 110', 'Exchange 2016', '5.7.3', 'error 10061']) expect(await said(text)).not.toMatch(/^goTo|^failedAt/);
  });

  // A pasted wall of dots or bangs once held the whole bot for seconds (18 s for 120,000): one turn's
  // text must never stall everyone else's turns.
  it.each(['.', '!', '。', '?'])('reads 120,000 %j followed by a letter in well under a second', async (mark) => {
    const started = performance.now();
    expect(await said(`${mark.repeat(120_000)}x`)).toBe('none');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('the step a sentence names', () => {
  const entities = new Entities(Object.values(loadUtterances()));

  it('takes, of several steps, only one said to fail in its own clause, as the failing-step reading does', () => {
    expect(entities.step('step 1 and 2 were fine, 3 fails')).toEqual({ step: 3 });
    expect(entities.step("step 1 didn't fail, step 2 was fine")).toBeUndefined();
    expect(entities.step('ステップ1は失敗していません、ステップ2は大丈夫')).toBeUndefined();
  });
});
