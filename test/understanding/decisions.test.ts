// What the bot does with sentences admins really type on a screen, where a wrong guess would cost them:
// a closed case, a lost escalation, a step recorded as failed, a paste read as a command.
import { decideForText } from '../../src/conversation/typed';
import { Understanding } from '../../src/understanding';
import { standingOn } from '../support/understandingEval';

let understanding: Understanding;
beforeAll(async () => {
  understanding = await Understanding.shared();
});

const NOW = new Date('2026-12-01T09:00:00Z');

async function decide(state: Parameters<typeof standingOn>[0], text: string, version?: string) {
  const decision = await decideForText(text, standingOn(state, version), NOW, understanding);
  if (decision.kind === 'events') return decision.events.map((e) => e.type).join('+');
  if (decision.kind === 'show') return decision.notice?.kind === 'didYouMean' ? `ask:${decision.notice.choices.map((c) => c.say).join(',')}` : `show:${decision.notice?.kind}`;
  return decision.kind === 'language' ? `language:${decision.language}` : decision.kind;
}

describe('a guess never does what the admin cannot undo', () => {
  it.each([
    'the user says it worked yesterday',
    'it worked for a minute then failed again',
    '昨日までは動いていました',
    'no note',
    '特にありません',
    'Outlook OK on one PC, fails on another',
    'user gets 0x800CCC0E',
  ])('stays on the escalation preview when %j is typed there', async (text) => {
    expect(await decide('confirmingEscalation', text)).not.toMatch(/WORKS_NOW|CONFIRM_ESCALATION|BACK|CHECK_SETTINGS|DIAGNOSED/);
  });

  it.each(['確認しました', '正常です', 'タイムアウトしました', '接続が拒否されました', 'is it working now?', 'this step is fine'])(
    'does not close the case or call the step failed on %j typed on a step',
    async (text) => {
      expect(await decide('checkingStep', text)).not.toMatch(/^(WORKS_NOW|THIS_FAILED)$/);
    },
  );

  it('does not read an ordinary sentence with "OK" in it as a server reply', async () => {
    expect(await decide('checkingStep', 'Thunderbird OK now')).not.toMatch(/DIAGNOSED/);
  });
});

describe('the paste screen', () => {
  it('reads a client error as the paste', async () => {
    expect(await decide('checkingSettings', 'Authentication failed.')).toBe('DIAGNOSED');
  });

  it('never goes to a step on a line of shell output', async () => {
    expect(await decide('checkingSettings', 'MSExchangePOP3 Running')).not.toMatch(/GO_TO|PICK/);
  });

  it('asks before taking a remark for a way out', async () => {
    expect(await decide('checkingSettings', 'the command returned nothing')).toMatch(/^(DIAGNOSED|ask:)/);
  });
});

describe('names in a sentence', () => {
  it.each(['step 1 and step 2 were fine, step 3 fails', 'step 1 and 2 were fine, 3 fails', 'ステップ1と2は問題なし、3で失敗します'])(
    'takes the step that fails, not the first one named, in %j',
    async (text) => {
      expect(await decide('checkingStep', text)).toBe('WHICH_FAILED+PICK');
      const decision = await decideForText(text, standingOn('checkingStep', undefined), NOW, understanding);
      expect(decision.kind === 'events' && decision.events[1]).toEqual({ type: 'PICK', checkpoint: 'mailbox' });
    },
  );

  it('asks rather than picks one when several steps are named and none is said to fail', async () => {
    expect(await decide('checkingStep', 'step 1 and step 2 and step 3')).not.toMatch(/PICK|GO_TO/);
  });

  it('does not switch to English when English is named only to be refused', async () => {
    for (const text of ['英語ではなく日本語でお願いします', 'can you speak japanese instead of english']) {
      expect(await decide('checkingStep', text)).not.toBe('language:en');
    }
  });
});
