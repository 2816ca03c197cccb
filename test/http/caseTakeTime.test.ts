// How long an escalation waited for the help desk, through the real bot over HTTP: a member's Take in the
// help-desk channel notes the time in the case's facts, a take-over does not move it, and the lead's report in
// the channel shows the wait. The bot's clock is moved on between the escalation and the take, as a help desk
// busy elsewhere would leave it.
import { Writable } from 'node:stream';
import { conversationKeyOf } from '../../src/conversation/turn';
import type { ConversationRecord } from '../../src/conversation/record';
import { type CaseFile, caseFileKey } from '../../src/escalation/caseFile';
import { type CaseFacts, caseFactsKey } from '../../src/insights/caseFacts';
import { DamagedValueError } from '../../src/storage/store';
import { TeamsUser, useBot } from '../support/bot';
import { texts, title } from '../support/cards';
import { CHANNEL, CaseScene } from '../support/caseScene';
import { damageSqliteRow } from '../support/damage';
import { until } from '../support/webhook';

const FAST_OUTBOX = { OUTBOX_INTERVAL_MS: '50', OUTBOX_FIRST_RETRY_MS: '100', OUTBOX_MAX_RETRY_MS: '200' };
const MINUTE_MS = 60_000;
const MEDIAN = 'Median wait before the help desk takes an escalation';

/** The bot's log, line by line, as the operator's log collector gets it. */
const logged: Array<Record<string, unknown>> = [];
const logs = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logged.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

/** Moves the clock everything in this process reads the time from on by `minutes`; timers keep real time. */
function later(minutes: number): void {
  const now = Date.now() + minutes * MINUTE_MS;
  jest.useFakeTimers({
    now,
    advanceTimers: true,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
}

describe("the help desk's take, in the case's facts and the lead's report", () => {
  const bot = useBot({ env: FAST_OUTBOX, logs });
  afterEach(() => jest.useRealTimers());

  const member = (scene: CaseScene, id: string, name: string) => scene.member(bot, id, name, 'en-US');
  const lead = () => new TeamsUser(bot, { conversationId: CHANNEL, conversationType: 'channel', userId: 'keiko', userName: 'Keiko Lead' });

  /** An admin's escalation, its card in the channel, and where the conversation keeps the case's facts. */
  async function escalated(userId: string): Promise<{ scene: CaseScene; factsKey: string }> {
    const scene = new CaseScene(bot.connector, new TeamsUser(bot, { userId, userName: 'Hanako Admin' }));
    await scene.open(lead());
    const record = await bot.app.store.read<ConversationRecord>(conversationKeyOf('msteams', scene.admin.conversationId));
    const kase = record!.value.case!;
    // Nothing still on its way to Teams when the clock moves.
    await until('an empty outbox', async () => (await bot.app.outbox.pending()).length === 0);
    return { scene, factsKey: caseFactsKey(kase.id, kase.startedAt) };
  }

  /** The report card's median wait, as the lead reads it under its label. */
  async function medianInReport(): Promise<string | undefined> {
    const [card] = await lead().say('report');
    expect(title(card!)).toMatch(/^POP3\/IMAP4 cases from/);
    const shown = texts(card!);
    return shown[shown.indexOf(MEDIAN) + 1];
  }

  it('notes the first take in the case’s facts, keeps it through a take-over, and the report shows the wait', async () => {
    const { scene, factsKey } = await escalated('admin-1');
    const before = (await bot.app.store.read<CaseFacts>(factsKey))!.value;
    expect(before).toMatchObject({ outcome: 'escalated' });
    expect(before.takenAt).toBeUndefined();
    expect(await medianInReport()).toBe('No escalation of this period has been taken yet');

    later(17);
    const taken = await member(scene, 'taro', 'Taro Sato').click('caseTake', {}, {}, scene.posted);
    expect(texts(taken).join('\n')).toContain('Taro Sato');
    const file = (await bot.app.store.read<CaseFile>(caseFileKey(scene.id)))!.value;
    const after = (await bot.app.store.read<CaseFacts>(factsKey))!.value;
    // Only the take is added: the admin's facts stay as their turn wrote them.
    expect(after).toEqual({ ...before, takenAt: file.context.firstTakenAt });
    expect(Date.parse(after.takenAt!) - Date.parse(before.escalatedAt!)).toBeGreaterThanOrEqual(17 * MINUTE_MS);
    expect(await medianInReport()).toBe('17 min');

    // Jiro takes the case over much later: the case waited until Taro took it, no longer.
    later(40);
    const jiro = member(scene, 'jiro', 'Jiro Suzuki');
    const refused = await jiro.click('caseTake', {}, {}, scene.posted);
    const takenOver = await jiro.click('caseTakeOver', {}, {}, refused);
    expect(texts(takenOver).join('\n')).toContain('Jiro Suzuki');
    expect((await bot.app.store.read<CaseFile>(caseFileKey(scene.id)))!.value.context.owner?.id).toBe('jiro');
    expect((await bot.app.store.read<CaseFacts>(factsKey))!.value).toEqual(after);
    expect(await medianInReport()).toBe('17 min');
  }, 60_000);

  it.each([
    ['missing', async (key: string): Promise<void> => bot.app.store.delete(key)],
    ['damaged', async (key: string): Promise<void> => void damageSqliteRow(bot.dbPath, key, Buffer.from('{"v":1,"caseId":"to', 'utf8'))],
  ] as const)('takes a case whose facts are %s, leaves them so, and says so in one log line', async (state, spoil) => {
    const { scene, factsKey } = await escalated(`admin-${state}`);
    await spoil(factsKey);
    const taken = await member(scene, 'taro', 'Taro Sato').click('caseTake', {}, {}, scene.posted);
    expect(texts(taken).join('\n')).toContain('Taro Sato');
    expect((await bot.app.store.read<CaseFile>(caseFileKey(scene.id)))!.value.status).toBe('taken');
    if (state === 'missing') expect(await bot.app.store.read(factsKey)).toBeUndefined();
    else await expect(bot.app.store.read(factsKey)).rejects.toBeInstanceOf(DamagedValueError);
    expect(await bot.app.store.keys('damaged/')).toEqual([]);
    expect(logged.filter((line) => line.key === factsKey)).toEqual([expect.objectContaining({ level: 40, escalation: scene.id, facts: state })]);
  }, 60_000);
});
