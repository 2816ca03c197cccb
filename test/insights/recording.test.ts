// Each case's facts, written by the real bot as part of the admin's turns over HTTP, on both stores the bot runs
// on (SQLite, and Azure Blob Storage in Azurite): once per case, whatever Teams retries or two clicks race. A
// case's document is written as it begins and as it ends; the report reads an open case's progress from its
// conversation, as `factsOf` below does.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { progressIn } from '../../src/conversation/caseProgress';
import type { ConversationRecord } from '../../src/conversation/record';
import { conversationKeyOf } from '../../src/conversation/turn';
import { CASE_FACTS_PREFIX, type CaseFacts, caseFactsKey } from '../../src/insights/caseFacts';
import { BlobStore } from '../../src/storage/blobStore';
import { DAMAGED_PREFIX } from '../../src/storage/damaged';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { type KeyValueStore, StorageUnavailableError } from '../../src/storage/store';
import { type Azurite, startAzurite } from '../support/azurite';
import { type BotUnderTest, TeamsUser, startBot } from '../support/bot';
import { type Card, findButton, title } from '../support/cards';
import { damageBlob, damageSqliteRow } from '../support/damage';

const CASE = { protocol: 'pop3', version: '2016', server: 'EX01', mailbox: 'taro@contoso.com', errorText: 'Logon failure' };

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 90_000);
afterAll(async () => {
  await azurite.stop();
});

/** Where one bot keeps its data, and how a failing disk damages a document behind its back. */
interface Backend {
  open(dbPath: string): KeyValueStore;
  damage(bot: BotUnderTest, key: string, raw: Buffer): Promise<void>;
}

const sqlite: Backend = {
  open: (dbPath) => new SqliteStore(dbPath),
  damage: async (bot, key, raw) => {
    damageSqliteRow(bot.dbPath, key, raw);
  },
};

function blob(): Backend {
  const container = `cases-${randomUUID().slice(0, 8)}`;
  return {
    open: () => new BlobStore({ connectionString: azurite.connectionString }, container),
    damage: async (_bot, key, raw) => {
      await damageBlob(azurite.connectionString, container, key, raw);
    },
  };
}

/** The bot's store, whose writes of cases' facts can be made to fail. */
function failingFacts(store: KeyValueStore, failing: { on: boolean }): KeyValueStore {
  return new Proxy(store, {
    get: (target, property) =>
      property === 'write'
        ? (key: string, value: unknown, etag?: string | null) =>
            failing.on && key.startsWith(CASE_FACTS_PREFIX) ? Promise.reject(new StorageUnavailableError('write')) : target.write(key, value, etag)
        : Reflect.get(target, property, target),
  });
}

function invoke(user: TeamsUser, verb: string, on: Card, id: string) {
  const data = findButton(on, verb)!.data;
  return user.send({ id, type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data } } });
}

describe.each([
  ['SQLite', () => sqlite],
  ['Azure Blob Storage', blob],
])('the facts of each case, on %s', (_name, backend) => {
  let bot: BotUnderTest;
  let store: Backend;
  const failing = { on: false };
  const logs: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    store = backend();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    bot = await startBot({ store: (dbPath) => failingFacts(store.open(dbPath), failing), logs: sink });
  }, 30_000);
  afterAll(async () => {
    await bot.stop();
  });

  // Every case a conversation had, current or earlier: the store holds other tests' cases too.
  const casesOf = new Map<TeamsUser, Set<string>>();
  /** A case's document as stored. */
  function stored(key: string) {
    return bot.app.store.read<CaseFacts>(key);
  }
  async function currentCase(user: TeamsUser) {
    const record = (await bot.app.store.read<ConversationRecord>(conversationKeyOf('msteams', user.conversationId)))!.value;
    if (!record.case) return { record, key: undefined };
    casesOf.set(user, (casesOf.get(user) ?? new Set()).add(record.case.id));
    return { record, key: caseFactsKey(record.case.id, record.case.startedAt) };
  }
  async function caseKeysOf(user: TeamsUser): Promise<string[]> {
    await currentCase(user);
    const ids = [...(casesOf.get(user) ?? [])];
    return (await bot.app.store.keys(CASE_FACTS_PREFIX)).filter((key) => ids.some((id) => key.endsWith(`/${id}`)));
  }
  /** The case's document as written. */
  async function documentOf(user: TeamsUser): Promise<CaseFacts | undefined> {
    const { key } = await currentCase(user);
    return key === undefined ? undefined : (await stored(key))?.value;
  }
  /** The case's facts as the report counts them. */
  async function factsOf(user: TeamsUser): Promise<CaseFacts | undefined> {
    const document = await documentOf(user);
    return document && progressIn(bot.app.store)(document);
  }

  async function toStep(user: TeamsUser, step: number): Promise<Card> {
    await user.joins();
    await user.click('details', { next: 'walk' }, CASE);
    await user.click('stillFailing');
    await user.click('haveAccess');
    for (let i = 1; i < step; i++) await user.click('stillFailing');
    return user.card!;
  }

  it('writes nothing for a greeting alone, and counts a case solved at step 2 as solved there', async () => {
    const user = new TeamsUser(bot, { locale: 'ja-JP' });
    await user.joins();
    expect(await factsOf(user)).toBeUndefined();
    const step2 = await toStep(user, 2);
    expect(title(step2)).toMatch(/^ステップ 2/);
    await user.click('worksNow');
    expect(await factsOf(user)).toMatchObject({ outcome: 'solved', solvedAt: 'serverSettings', stepReached: 'serverSettings', protocol: 'pop3', version: '2016', language: 'ja' });
    // An ended case's document holds its facts itself, without the conversation's key.
    expect(await documentOf(user)).toEqual(await factsOf(user));
    expect(await documentOf(user)).not.toHaveProperty('conversation');
    expect(await caseKeysOf(user)).toHaveLength(1);
  });

  it('counts an escalated case with its reason, version and failed step, and nothing the admin typed', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    await user.click('details', { next: 'pick' }, { ...CASE, version: 'SE' });
    await user.click('pick', { checkpoint: 'connector' });
    await user.click('escalate');
    await user.click('confirmEscalation', {}, { note: 'Since the certificate renewal on EX01' });
    const facts = await factsOf(user);
    expect(facts).toMatchObject({ outcome: 'escalated', escalationReason: 'exhausted', version: 'SE', failedAt: 'connector', language: 'en' });
    for (const typed of ['EX01', 'taro', 'Logon', 'certificate']) expect(JSON.stringify(facts)).not.toContain(typed);
  });

  it('begins a second case at "start over", once the new case has its details', async () => {
    const user = new TeamsUser(bot);
    await toStep(user, 1);
    const solved = await user.click('worksNow');
    const first = await currentCase(user);
    await user.click('startOver', {}, {}, solved);
    // No case is under way again until the admin brings one.
    expect((await currentCase(user)).record.case).toBeUndefined();
    expect(await caseKeysOf(user)).toEqual([first.key]);
    await user.click('details', { next: 'pick' }, { ...CASE, protocol: 'imap4' });
    const second = await factsOf(user);
    expect(second).toMatchObject({ outcome: 'open', protocol: 'imap4' });
    expect((await currentCase(user)).record.case!.id).not.toBe(first.record.case!.id);
    expect((await stored(first.key!))!.value).toMatchObject({ outcome: 'solved', protocol: 'pop3' });
    expect(await caseKeysOf(user)).toHaveLength(2);
  });

  it('forgets a case left at the form by "start over", which would otherwise count as abandoned', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    const form = await user.click('details', { next: 'pick' }, { ...CASE, version: '2013' });
    const typo = (await currentCase(user)).key!;
    expect(await stored(typo)).toBeDefined();
    await user.click('startOver', {}, {}, form);
    await user.click('details', { next: 'pick' }, CASE);
    expect(await stored(typo)).toBeUndefined();
    expect(await caseKeysOf(user)).toHaveLength(1);
  });

  it('keeps the case when the admin only goes back to correct its details', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    await user.click('details', { next: 'walk' }, CASE);
    const before = (await currentCase(user)).record.case;
    await user.click('back');
    await user.click('details', { next: 'walk' }, { ...CASE, version: '2019' });
    expect((await currentCase(user)).record.case).toMatchObject({ id: before!.id, startedAt: before!.startedAt });
    expect(await factsOf(user)).toMatchObject({ version: '2019' });
    expect(await caseKeysOf(user)).toHaveLength(1);
  });

  it('counts a click Teams retries, and two clicks racing, once', async () => {
    const user = new TeamsUser(bot);
    const step1 = await toStep(user, 1);
    const id = `retried-${randomUUID()}`;
    await invoke(user, 'stillFailing', step1, id);
    const key = (await currentCase(user)).key!;
    const kept = await stored(key);
    const retried = await invoke(user, 'stillFailing', step1, id);
    expect(title((retried.result.body as { value: Card }).value)).toMatch(/^Step 2 of 4/);
    expect((await stored(key))!.etag).toBe(kept!.etag);
    // A second click on the old card changes nothing either.
    await invoke(user, 'stillFailing', step1, `again-${randomUUID()}`);
    expect((await stored(key))!.etag).toBe(kept!.etag);

    const step2 = (retried.result.body as { value: Card }).value;
    await Promise.all([invoke(user, 'worksNow', step2, `a-${randomUUID()}`), invoke(user, 'worksNow', step2, `b-${randomUUID()}`)]);
    const { record } = await currentCase(user);
    expect(await factsOf(user)).toMatchObject({ outcome: 'solved', solvedAt: 'serverSettings', rev: record.rev });
    expect(await caseKeysOf(user)).toEqual([key]);
  });

  it('counts an escalation confirmed from the first screen, before any detail was given', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    await user.say('escalate');
    await user.click('confirmEscalation', {}, { note: '' });
    expect(await factsOf(user)).toMatchObject({ outcome: 'escalated', escalationReason: 'asked' });
    expect((await factsOf(user))!.protocol).toBeUndefined();
  });

  it('dates a case by when the admin brought it, not by the welcome', async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    expect((await currentCase(user)).record.case).toBeUndefined();
    const before = new Date().toISOString();
    await user.click('details', { next: 'walk' }, CASE);
    expect((await currentCase(user)).record.case!.startedAt >= before).toBe(true);
  });

  it('writes the facts of a final turn when Teams retries it after they failed to be written', async () => {
    const user = new TeamsUser(bot);
    const step1 = await toStep(user, 1);
    const id = `final-${randomUUID()}`;
    failing.on = true;
    try {
      await invoke(user, 'worksNow', step1, id);
    } finally {
      failing.on = false;
    }
    expect(await documentOf(user)).toMatchObject({ outcome: 'open' });
    await invoke(user, 'worksNow', step1, id);
    expect(await documentOf(user)).toMatchObject({ outcome: 'solved' });
  });

  it('keeps a finished case as it ended when the conversation restarts on a newer flow', async () => {
    const user = new TeamsUser(bot);
    const step1 = await toStep(user, 1);
    await user.click('worksNow', {}, {}, step1);
    const solved = (await currentCase(user)).key!;
    const conversation = conversationKeyOf('msteams', user.conversationId);
    const record = (await bot.app.store.read<ConversationRecord>(conversation))!.value;
    await bot.app.store.write(conversation, { ...record, flowVersion: record.flowVersion - 1 });
    await user.say('hello');
    await user.click('details', { next: 'walk' }, { ...CASE, protocol: 'imap4' });
    expect((await stored(solved))!.value).toMatchObject({ outcome: 'solved', protocol: 'pop3' });
    expect(await factsOf(user)).toMatchObject({ outcome: 'open', protocol: 'imap4' });
  });

  it("writes nothing to the case's document for a step: the report reads the step from the conversation", async () => {
    const user = new TeamsUser(bot);
    await toStep(user, 2);
    const key = (await currentCase(user)).key!;
    const kept = (await stored(key))!.etag;
    await user.click('back');
    await user.click('stillFailing');
    await user.click('stillFailing');
    expect((await stored(key))!.etag).toBe(kept);
    expect(await factsOf(user)).toMatchObject({ outcome: 'open', stepReached: 'mailbox' });
  });

  it('never rolls back facts a newer turn wrote', async () => {
    const user = new TeamsUser(bot);
    await toStep(user, 1);
    const { record, key } = await currentCase(user);
    const newer = { ...(await factsOf(user))!, rev: record.rev + 5, outcome: 'escalated' as const };
    await bot.app.store.write(key!, newer);
    await user.click('worksNow');
    expect(await documentOf(user)).toEqual(newer);
  });

  it('sets a damaged facts document aside for the operator and writes the facts afresh', async () => {
    const user = new TeamsUser(bot);
    await toStep(user, 1);
    const key = (await currentCase(user)).key!;
    await store.damage(bot, key, Buffer.from('{"outcome":"sol', 'utf8'));
    await user.click('worksNow');
    expect(await documentOf(user)).toMatchObject({ outcome: 'solved', solvedAt: 'service', stepReached: 'service' });
    expect((await bot.app.store.keys(`${DAMAGED_PREFIX}${key}@`)).length).toBe(1);
    expect(logs.filter((line) => line.key === key && line.level === 50)).toHaveLength(1);
  });

  it("counts an open case as it began when its conversation is damaged, rather than failing the report", async () => {
    const user = new TeamsUser(bot);
    await toStep(user, 2);
    const { key } = await currentCase(user);
    const begun = (await stored(key!))!.value;
    await store.damage(bot, conversationKeyOf('msteams', user.conversationId), Buffer.from('{"flowVersion":1,"st', 'utf8'));
    expect(await progressIn(bot.app.store)(begun)).toEqual(begun);
    expect(begun).toMatchObject({ outcome: 'open', protocol: 'pop3' });
  });

  it('writes a case as it ended when "start over" leaves it, though the write of its outcome was lost', async () => {
    const user = new TeamsUser(bot);
    const step1 = await toStep(user, 1);
    failing.on = true;
    let solved: Card;
    try {
      solved = await user.click('worksNow', {}, {}, step1);
    } finally {
      failing.on = false;
    }
    const { key } = await currentCase(user);
    const solvedAt = (await currentCase(user)).record.case!.at!;
    // As a bot killed between the conversation's write and the case's would leave them: the conversation says the
    // outcome was written, the document still says the case is open.
    const conversation = conversationKeyOf('msteams', user.conversationId);
    const kept = (await bot.app.store.read<ConversationRecord>(conversation))!;
    await bot.app.store.write(conversation, { ...kept.value, case: { ...kept.value.case!, filed: 'final' } }, kept.etag);
    expect(await stored(key!)).toMatchObject({ value: { outcome: 'open' } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await user.click('startOver', {}, {}, solved);
    const ended = (await stored(key!))!.value;
    expect(ended).toMatchObject({ outcome: 'solved', solvedAt: 'service', solvedAtTime: solvedAt });
    expect(ended).not.toHaveProperty('conversation');
  });

  it('keeps an idle case idle: asking for help or switching language does not date it', async () => {
    // Its own admin: the language they choose is theirs in every later conversation.
    const user = new TeamsUser(bot, { userId: `idle-${randomUUID()}` });
    await toStep(user, 1);
    const movedAt = (await factsOf(user))!.updatedAt;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await user.say('help');
    await user.say('日本語');
    expect((await factsOf(user))!.updatedAt).toBe(movedAt);
    await user.click('stillFailing');
    expect((await factsOf(user))!.updatedAt > movedAt).toBe(true);
  });

  it("logs a failing write of a case's document as an error, keeps the admin's turn, and writes it at the case's next turn", async () => {
    const user = new TeamsUser(bot);
    await user.joins();
    failing.on = true;
    try {
      expect(title(await user.click('details', { next: 'walk' }, CASE))).toMatch(/client/i);
    } finally {
      failing.on = false;
    }
    const key = (await currentCase(user)).key!;
    const logged = logs.filter((line) => line.key === key && line.level === 50);
    expect(logged).toEqual([expect.objectContaining({ msg: expect.stringContaining('the turn stands') })]);
    expect(await stored(key)).toBeUndefined();
    await user.click('stillFailing');
    expect(await documentOf(user)).toMatchObject({ outcome: 'open', protocol: 'pop3', conversation: conversationKeyOf('msteams', user.conversationId) });
    expect(await factsOf(user)).toMatchObject({ outcome: 'open', protocol: 'pop3' });
  });
});
