// INSIGHTS=off, through the real bot over HTTP: an organisation that wants no counts kept runs a whole case, from
// a typo fixed by "start over" to the help desk's take, and not one case document is written or removed; the
// lead's report answers from what was kept before, and the operator's log says nothing of facts. The same case
// through a bot left at the default is counted, so the case below is one the facts would follow.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type CaseFacts, CASE_FACTS_PREFIX } from '../../src/insights/caseFacts';
import { type BotUnderTest, TeamsUser, startBot, useBot } from '../support/bot';
import { texts, title } from '../support/cards';
import { CHANNEL, CaseScene } from '../support/caseScene';
import { DETAILS } from '../support/escalate';

const FAST_OUTBOX = { OUTBOX_INTERVAL_MS: '50', OUTBOX_FIRST_RETRY_MS: '100', OUTBOX_MAX_RETRY_MS: '200' };

const lead = (bot: BotUnderTest) => new TeamsUser(bot, { conversationId: CHANNEL, conversationType: 'channel', userId: 'keiko', userName: 'Keiko Lead' });

/** Every turn that writes or removes a case's facts when insights are on, once each. */
async function wholeCase(bot: BotUnderTest): Promise<void> {
  const admin = new TeamsUser(bot, { userId: 'hanako' });
  await admin.joins();
  const typo = await admin.click('details', { next: 'pick' }, { ...DETAILS, version: '2013' });
  await admin.click('startOver', {}, {}, typo);
  const scene = new CaseScene(bot.connector, admin);
  await scene.open(lead(bot));
  // Teams delivers the confirmation again.
  const { result } = await admin.send({ id: [...admin.activityIds].at(-1), type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'confirmEscalation', data: {} } } });
  expect(result.status).toBe(200);
  const taken = await scene.member(bot, 'taro', 'Taro Sato', 'en-US').click('caseTake', {}, {}, scene.posted);
  expect(texts(taken).join('\n')).toContain('Taro Sato');
}

async function casesInReport(bot: BotUnderTest): Promise<string | undefined> {
  const [card] = await lead(bot).say('report');
  expect(title(card!)).toMatch(/^POP3\/IMAP4 cases from/);
  return texts(card!).find((text) => text.startsWith('Cases started:'));
}

describe('case facts with insights on, the default', () => {
  const bot = useBot({ env: FAST_OUTBOX });

  it('keeps one case document for a whole case, taken by the help desk, and the report counts it', async () => {
    await wholeCase(bot);
    const keys = await bot.app.store.keys(CASE_FACTS_PREFIX);
    expect(keys).toHaveLength(1);
    expect((await bot.app.store.read<CaseFacts>(keys[0]!))!.value).toMatchObject({ outcome: 'escalated', protocol: 'imap4', takenAt: expect.any(String) });
    expect(await casesInReport(bot)).toBe('Cases started: 1');
  }, 60_000);
});

describe('case facts with INSIGHTS=off', () => {
  const logged: Array<Record<string, unknown>> = [];
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logged.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-insights-off-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes no case document for a whole case, removes none kept before, and the report answers from those', async () => {
    const dbPath = path.join(dir, 'state.sqlite');
    // Kept while insights were on: a case an admin has brought only as far as the form.
    const before = await startBot({ dbPath });
    const earlier = new TeamsUser(before, { userId: 'jiro' });
    let keptBefore: string[];
    try {
      await earlier.joins();
      await earlier.click('details', { next: 'pick' }, DETAILS);
      keptBefore = await before.app.store.keys(CASE_FACTS_PREFIX);
      expect(keptBefore).toHaveLength(1);
    } finally {
      await before.stop();
    }

    const bot = await startBot({ dbPath, env: { ...FAST_OUTBOX, INSIGHTS: 'off' }, logs });
    try {
      const kept = await bot.app.store.read<CaseFacts>(keptBefore[0]!);
      // "Start over" at the form would forget that case with insights on: with them off, it stays as kept.
      const again = new TeamsUser(bot, { userId: 'jiro', conversationId: earlier.conversationId });
      await again.click('startOver', {}, {}, earlier.card);
      await again.click('details', { next: 'pick' }, DETAILS);
      await wholeCase(bot);

      expect(await bot.app.store.keys(CASE_FACTS_PREFIX)).toEqual(keptBefore);
      expect(await bot.app.store.read<CaseFacts>(keptBefore[0]!)).toEqual(kept);
      expect(await casesInReport(bot)).toBe('Cases started: 1');
      // Nor does the help desk's take look for facts that were never kept, which would warn the operator of each case.
      expect(logged.filter((line) => String(line.key ?? '').startsWith(CASE_FACTS_PREFIX))).toEqual([]);
    } finally {
      await bot.stop();
    }
  }, 60_000);
});
