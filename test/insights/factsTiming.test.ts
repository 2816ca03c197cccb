// When a case's facts reach the store, through the real bot over HTTP: the turn that solves or escalates a case
// has written it before it answers, a report asked at once counts the case as it stands, "start over" right after
// a step keeps that step, and nothing is held in memory for later, so a bot that stops without warning loses none.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConversationRecord } from '../../src/conversation/record';
import { progressIn } from '../../src/conversation/caseProgress';
import { conversationKeyOf } from '../../src/conversation/turn';
import { readCases } from '../../src/insights/readCases';
import { type CaseFacts, caseFactsKey } from '../../src/insights/caseFacts';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { TeamsUser, startBot, useBot, type BotUnderTest } from '../support/bot';
import { texts } from '../support/cards';
import { DETAILS } from '../support/escalate';

const CHANNEL = '19:facts-timing@thread.tacv2';

async function caseKey(bot: BotUnderTest, user: TeamsUser): Promise<string> {
  const record = (await bot.app.store.read<ConversationRecord>(conversationKeyOf('msteams', user.conversationId)))!.value;
  return caseFactsKey(record.case!.id, record.case!.startedAt);
}

async function toStep2(user: TeamsUser): Promise<void> {
  await user.joins();
  await user.click('details', { next: 'walk' }, DETAILS);
  await user.click('stillFailing');
  await user.click('haveAccess');
  await user.click('stillFailing');
}

describe('when a case is counted', () => {
  const bot = useBot();

  it('writes the outcome with the turn that decides it, before the admin sees the answer', async () => {
    const admin = new TeamsUser(bot, { userId: 'outcome' });
    await toStep2(admin);
    await admin.click('worksNow');
    // Read straight from the store, without waiting for anything the bot still has to write.
    expect((await bot.app.store.read<CaseFacts>(await caseKey(bot, admin)))?.value).toMatchObject({ outcome: 'solved', solvedAt: 'serverSettings', stepReached: 'serverSettings' });
  });

  it('counts a case in a report asked for at once, though its latest step was not written yet', async () => {
    await new TeamsUser(bot, { conversationType: 'channel', conversationId: CHANNEL, tenantId: 'tenant-quick' }).say('register help desk');
    const admin = new TeamsUser(bot, { userId: 'quick', tenantId: 'tenant-quick' });
    await toStep2(admin);
    const [card] = await new TeamsUser(bot, { conversationType: 'channel', conversationId: CHANNEL, tenantId: 'tenant-quick' }).say('report');
    expect(texts(card!)).toContain('Cases started: 1');
    // Its document holds the case as it began; the report read its step from the conversation.
    const begun = (await bot.app.store.read<CaseFacts>(await caseKey(bot, admin)))!.value;
    expect(begun).toMatchObject({ outcome: 'open', protocol: 'imap4' });
    expect(await progressIn(bot.app.store)(begun)).toMatchObject({ outcome: 'open', stepReached: 'serverSettings' });
  });
});

describe('"start over" right after a step', () => {
  const bot = useBot();

  it('keeps the case that went past the form, with the furthest step it reached', async () => {
    const admin = new TeamsUser(bot, { userId: 'quick-start-over' });
    await toStep2(admin);
    const key = await caseKey(bot, admin);
    await admin.say('start over');
    expect((await bot.app.store.read<CaseFacts>(key))?.value).toMatchObject({ outcome: 'open', stepReached: 'serverSettings' });
  });
});

describe('a bot that stops without warning', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-facts-stop-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has nothing of a case left to write once the admin has the answer: another reader of the store counts the latest step', async () => {
    const dbPath = path.join(dir, 'state.sqlite');
    const bot = await startBot({ dbPath });
    try {
      const admin = new TeamsUser(bot, { userId: 'stopping' });
      await toStep2(admin);
      // Another process's view of the file, as `npm run report` has it, while this bot still runs.
      const reader = new SqliteStore(dbPath, { readOnly: true });
      try {
        const today = new Date().toISOString().slice(0, 10);
        const { cases } = await readCases(reader, today, today, progressIn(reader));
        expect(cases).toEqual([expect.objectContaining({ outcome: 'open', stepReached: 'serverSettings' })]);
      } finally {
        await reader.close();
      }
    } finally {
      await bot.stop();
    }
  });
});
