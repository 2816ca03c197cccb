// When a case's facts reach the store, through the real bot over HTTP: a case's progress through the steps is
// written within a second of the turn (never holding up the admin's answer), but nothing the lead counts is lost to
// that second: the turn that solves or escalates a case has written it before it answers, a report asked meanwhile
// counts the case as it stands, and a graceful stop writes what was still waiting.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConversationRecord } from '../../src/conversation/record';
import { conversationKeyOf } from '../../src/conversation/turn';
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
    expect((await bot.app.store.read<CaseFacts>(await caseKey(bot, admin)))?.value).toMatchObject({ outcome: 'open', stepReached: 'serverSettings' });
  });
});

describe('"start over" within a second of the last step', () => {
  const bot = useBot();

  it('keeps the case that went past the form, with the furthest step it reached', async () => {
    const admin = new TeamsUser(bot, { userId: 'quick-start-over' });
    await toStep2(admin);
    const key = await caseKey(bot, admin);
    await admin.say('start over');
    await bot.app.settle();
    expect((await bot.app.store.read<CaseFacts>(key))?.value).toMatchObject({ outcome: 'open', stepReached: 'serverSettings' });
  });
});

describe('a graceful stop', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-facts-stop-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the progress of the cases still waiting before the store closes", async () => {
    const dbPath = path.join(dir, 'state.sqlite');
    const bot = await startBot({ dbPath });
    const admin = new TeamsUser(bot, { userId: 'stopping' });
    let key: string;
    try {
      await toStep2(admin);
      key = await caseKey(bot, admin);
    } finally {
      await bot.stop();
    }
    const store = new SqliteStore(dbPath, { readOnly: true });
    try {
      expect((await store.read<CaseFacts>(key))?.value).toMatchObject({ outcome: 'open', stepReached: 'serverSettings' });
    } finally {
      await store.close();
    }
  });
});
