import { parseIntent, stepByNumber } from '../../src/conversation/intents';
import { stepsFor } from '../../src/flow/types';

describe('free text, in English and Japanese', () => {
  it.each([
    ['step 3', { kind: 'stepNumber', number: 3 }],
    ['Step3', { kind: 'stepNumber', number: 3 }],
    ['ステップ3', { kind: 'stepNumber', number: 3 }],
    ['ステップ３', { kind: 'stepNumber', number: 3 }],
    ['ｓｔｅｐ　２', { kind: 'stepNumber', number: 2 }],
    ['手順 1', { kind: 'stepNumber', number: 1 }],
    ['メールボックス', { kind: 'checkpoint', checkpoint: 'mailbox' }],
    ['Mailbox', { kind: 'checkpoint', checkpoint: 'mailbox' }],
    ['受信コネクタ', { kind: 'checkpoint', checkpoint: 'connector' }],
    ['receive connector', { kind: 'checkpoint', checkpoint: 'connector' }],
    ['クライアント', { kind: 'checkpoint', checkpoint: 'clientSettings' }],
    ['やり直し', { kind: 'startOver' }],
    ['start over', { kind: 'startOver' }],
    ['最初から', { kind: 'startOver' }],
    ['ヘルプ', { kind: 'help' }],
    ['help?', { kind: 'help' }],
    ['戻る', { kind: 'back' }],
    ['English', { kind: 'language', language: 'en' }],
    ['日本語', { kind: 'language', language: 'ja' }],
    ['エスカレーション', { kind: 'escalate' }],
    ['直った！', { kind: 'worksNow' }],
  ])('understands %j', (text, intent) => {
    expect(parseIntent(text)).toEqual(intent);
  });

  it.each(['hello', '', '   ', 'ステップ', 'step', 'x'.repeat(100_000), '\u0000\u0007step 3\u001b'])(
    'admits it does not understand %j',
    (text) => {
      expect(parseIntent(text)).toEqual({ kind: 'unknown' });
    },
  );

  // A pasted wall of dots or bangs once held the whole bot for seconds (18 s for 120,000): one turn's
  // text must never stall everyone else's turns.
  it.each(['.', '!', '。', '?'])('reads 120,000 %j followed by a letter in well under a second', (mark) => {
    const started = performance.now();
    expect(parseIntent(`${mark.repeat(120_000)}x`)).toEqual({ kind: 'unknown' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('still ignores the punctuation an admin ends a command with', () => {
    expect(parseIntent('step 3。。')).toEqual({ kind: 'stepNumber', number: 3 });
    expect(parseIntent('Start over!?')).toEqual({ kind: 'startOver' });
  });

  it('counts steps in the version\'s own list', () => {
    expect(stepByNumber(stepsFor('2010'), 3)).toBe('mailbox');
    expect(stepByNumber(stepsFor('Online'), 1)).toBe('mailbox');
    expect(stepByNumber(stepsFor('Online'), 3)).toBeUndefined();
    expect(stepByNumber(stepsFor(undefined), 0)).toBeUndefined();
  });
});
