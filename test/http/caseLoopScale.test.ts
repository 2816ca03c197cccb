// The help-desk loop under what production does to it: the bot restarting while the admin's messages wait,
// two instances behind one load balancer sharing Azure Blob Storage (Azurite), Teams delivering one click to
// both at once, and passwords typed on either side of the case.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { BlobStore } from '../../src/storage/blobStore';
import { type Azurite, startAzurite } from '../support/azurite';
import { type BotUnderTest, TeamsUser, post, startBot, useBot } from '../support/bot';
import { type Card, findButton, texts, title } from '../support/cards';
import { CHANNEL, CaseScene } from '../support/caseScene';
import { FakeConnector } from '../support/connector';
import { type BotProcess, buildBot, startBotProcess } from '../support/process';
import { until } from '../support/webhook';

const FAST_OUTBOX = { OUTBOX_INTERVAL_MS: '50', OUTBOX_FIRST_RETRY_MS: '100', OUTBOX_MAX_RETRY_MS: '200' };

const STATUS = { taken: 'In progress', waiting: 'Waiting for the admin', withMicrosoft: 'With Microsoft support', resolved: 'Resolved', closed: 'Closed' };
const TO_ADMIN = { taken: 'The help desk has your case', question: 'The help desk has a question', withMicrosoft: 'Your case is with Microsoft support', resolved: 'The help desk has resolved your case' };
const ADMIN = { userId: 'admin-1', userName: 'Hanako Admin', locale: 'en-US' };
const answered = (text: string) => `Hanako Admin (admin) answered: ${text}`;
const RELAYED = 'Sent to Taro Sato at the help desk.';

/** Where Teams posts: one address, whichever process answers there; `url` moves when the bot is replaced. */
interface Endpoint {
  url: string;
  connector: FakeConnector;
  serviceUrl: string;
}
const asBot = (endpoint: Endpoint) => endpoint as unknown as BotUnderTest;

const registrar = (bot: BotUnderTest) => new TeamsUser(bot, { conversationId: CHANNEL, conversationType: 'channel', userId: 'taro', userName: 'Taro Sato' });
const said = (card: Card) => texts(card).join('\n');

/** Waits for `settled` to hold with an empty outbox, twice a little apart: then nothing more is on its way. */
async function quiet(what: string, settled: () => boolean, outboxEmpty: () => Promise<boolean>): Promise<void> {
  for (let looks = 0; looks < 2; looks++) {
    await until(what, async () => settled() && (await outboxEmpty()));
    await new Promise((r) => setTimeout(r, 400));
  }
}

describe('a case across a restart of the bot', () => {
  it("delivers the admin's queued messages once, in order, after the restart, and the case goes on", async () => {
    const connector = new FakeConnector();
    const endpoint: Endpoint = { url: '', connector, serviceUrl: await connector.start() };
    const first = await startBot({ connector, env: FAST_OUTBOX });
    let second: BotUnderTest | undefined;
    let firstRunning = true;
    try {
      endpoint.url = first.url;
      const bot = asBot(endpoint);
      const admin = new TeamsUser(bot, ADMIN);
      const scene = new CaseScene(connector, admin);
      await scene.open(registrar(bot));
      const taro = scene.member(bot, 'taro', 'Taro Sato', 'en-US');

      // The admin's chat refuses the bot for a while: Taro's take and question wait in the outbox.
      connector.refuse(admin.conversationId, 25);
      await taro.click('caseTake', {}, {}, scene.posted);
      await scene.channelShows(STATUS.taken);
      await taro.click('caseAsk', {}, { question: 'Which mail client shows the error?' }, scene.channelCard());
      const before = await scene.channelShows(STATUS.waiting);

      await first.app.stop();
      firstRunning = false;
      expect(scene.adminMessages()).toHaveLength(0);

      second = await startBot({ connector, dbPath: first.dbPath, env: FAST_OUTBOX });
      endpoint.url = second.url;
      await scene.adminHears(2);
      expect(scene.adminMessages().map(title)).toEqual([TO_ADMIN.taken, TO_ADMIN.question]);
      expect(said(scene.adminMessages()[1]!)).toContain('Which mail client shows the error?');

      // The card as the channel showed it before the restart still works: Taro adds a question from it.
      const followUp = await taro.click('caseAsk', {}, { question: 'And which version of it?' }, before);
      expect(title(followUp)).toContain(STATUS.waiting);
      expect(said(await scene.adminHears(3))).toContain('And which version of it?');

      const [relayed] = await admin.say('Outlook 2016 on Windows 11');
      expect(said(relayed!)).toContain(RELAYED);
      expect(await scene.threadHears(1)).toBe(answered('Outlook 2016 on Windows 11'));
      await scene.channelShows(STATUS.taken);

      await quiet('every message sent', () => scene.thread().length === 1, async () => (await second!.app.outbox.pending()).length === 0);
      expect(scene.adminMessages().map(title)).toEqual([TO_ADMIN.taken, TO_ADMIN.question, TO_ADMIN.question]);
      expect(scene.thread()).toEqual([answered('Outlook 2016 on Windows 11')]);
    } finally {
      if (firstRunning) await first.app.stop();
      await second?.app.stop();
      await connector.stop();
      rmSync(path.dirname(first.dbPath), { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a case worked through two bot processes sharing Azure Blob Storage', () => {
  let azurite: Azurite;
  let connector: FakeConnector;
  const processes: BotProcess[] = [];
  let store: BlobStore;
  let a: BotUnderTest;
  let b: BotUnderTest;
  const outboxEmpty = async () => (await store.keys('outbox/')).length === 0;

  /** A case escalated through A by an admin whose chat either instance may be handed. */
  async function openCase() {
    const adminOnA = new TeamsUser(a, { ...ADMIN, conversationId: `admin-${randomUUID()}` });
    const scene = new CaseScene(connector, adminOnA, new TeamsUser(b, { ...ADMIN, conversationId: adminOnA.conversationId }));
    await scene.open(registrar(a));
    return { adminOnA, scene };
  }

  beforeAll(async () => {
    [azurite] = await Promise.all([startAzurite(), buildBot()]);
    connector = new FakeConnector();
    const serviceUrl = await connector.start();
    const container = `caseloop-${randomUUID().slice(0, 8)}`;
    const env = { STATE_STORE: 'blob', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: container, ...FAST_OUTBOX };
    // One after the other, each kept as soon as it listens: a start that fails leaves no other process behind.
    for (let i = 0; i < 2; i++) processes.push(await startBotProcess(env));
    [a, b] = processes.map((p) => asBot({ url: p.url, connector, serviceUrl })) as [BotUnderTest, BotUnderTest];
    store = new BlobStore({ connectionString: azurite.connectionString }, container);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await connector?.stop();
    await azurite?.stop();
  });

  it('keeps every message once and in order while the parties alternate instances click by click', async () => {
    const { adminOnA, scene } = await openCase();
    const taroOnA = scene.member(a, 'taro', 'Taro Sato', 'en-US');
    const taroOnB = scene.member(b, 'taro', 'Taro Sato', 'en-US');
    const jiroOnB = scene.member(b, 'jiro', 'Jiro Suzuki', 'en-US');

    await taroOnA.click('caseTake', {}, {}, scene.posted);
    expect(title(await scene.adminHears(1))).toBe(TO_ADMIN.taken);
    await scene.channelShows(STATUS.taken);

    const refused = await jiroOnB.click('caseTake', {}, {}, scene.posted);
    expect(said(refused)).toContain('Taro Sato has this case');

    await taroOnB.click('caseAsk', {}, { question: 'Which mail client shows the error?' }, scene.channelCard());
    expect(said(await scene.adminHears(2))).toContain('Which mail client shows the error?');
    await scene.channelShows(STATUS.waiting);

    const [relayed] = await adminOnA.say('Outlook 2016 on Windows 11');
    expect(said(relayed!)).toContain(RELAYED);
    expect(await scene.threadHears(1)).toBe(answered('Outlook 2016 on Windows 11'));
    await scene.channelShows(STATUS.taken);

    await taroOnA.click('caseMicrosoft', {}, { serviceRequest: '2512020040001234' }, scene.channelCard());
    expect(said(await scene.adminHears(3))).toContain('2512020040001234');
    await scene.channelShows(STATUS.withMicrosoft);

    await taroOnB.click('caseResolve', {}, { resolution: 'Re-enabled IMAP4 for the mailbox' }, scene.channelCard());
    const resolved = await scene.adminHears(4);
    await scene.channelShows(STATUS.resolved);

    await adminOnA.click('caseFixed', {}, {}, resolved);
    expect(await scene.threadHears(2)).toBe('Hanako Admin (admin) confirmed the fix. The case is closed.');

    await quiet('every message sent', () => scene.thread().length === 2 && title(scene.channelCard()).endsWith(STATUS.closed), outboxEmpty);
    expect(scene.adminMessages().map(title)).toEqual([TO_ADMIN.taken, TO_ADMIN.question, TO_ADMIN.withMicrosoft, TO_ADMIN.resolved]);
    expect(scene.thread()).toEqual([answered('Outlook 2016 on Windows 11'), 'Hanako Admin (admin) confirmed the fix. The case is closed.']);
    expect(title(scene.channelCard())).toMatch(new RegExp(`${STATUS.closed}$`));
  }, 60_000);

  it('applies a click or a message that Teams delivers to both instances at once only once', async () => {
    const { adminOnA, scene } = await openCase();
    const taroOnA = scene.member(a, 'taro', 'Taro Sato', 'en-US');
    const both = async (activity: Record<string, unknown>) => {
      const results = await Promise.all([post(a.url, activity), post(b.url, activity)]);
      for (const result of results) expect(result.status).toBe(200);
      return results.map((result) => (result.body as { value?: Card } | undefined)?.value);
    };
    const invoke = (user: TeamsUser, verb: string, data: Record<string, unknown>) =>
      user.activity({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data } } });

    // Taro's Take, delivered twice: both deliveries show the case as his, with no "not now" for the second.
    const takes = await both(invoke(taroOnA, 'caseTake', findButton(scene.posted!, 'caseTake')!.data));
    for (const card of takes) {
      expect(title(card!)).toMatch(new RegExp(`${STATUS.taken}$`));
      expect(said(card!)).not.toMatch(/has this case|does not fit|out of date/);
    }

    // The admin's answer on the question's card, delivered twice: one answer in the thread, and both
    // deliveries answered with what happened (Teams shows whichever comes back).
    await taroOnA.click('caseAsk', {}, { question: 'Which mail client shows the error?' }, await scene.channelShows(STATUS.taken));
    const question = await scene.adminHears(2);
    const answers = await both(invoke(adminOnA, 'caseAnswer', { ...findButton(question, 'caseAnswer')!.data, answer: 'Outlook 2016' }));
    for (const card of answers) expect(said(card!)).toContain(RELAYED);

    // A typed answer, delivered twice at once and once more after both were answered: relayed once, and
    // the admin is answered once (a late retry is not new text for the troubleshooting flow either).
    await taroOnA.click('caseAsk', {}, { question: 'And which version of Windows?' }, await scene.channelShows(STATUS.taken));
    await scene.adminHears(3);
    const sentBefore = connector.sent.length;
    const typed = adminOnA.activity({ type: 'message', text: 'Windows 11' });
    await both(typed);
    await scene.threadHears(2);
    expect((await post(b.url, typed)).status).toBe(200);

    await quiet('every message sent', () => scene.thread().length >= 2, outboxEmpty);
    expect(scene.adminMessages().map(title)).toEqual([TO_ADMIN.taken, TO_ADMIN.question, TO_ADMIN.question]);
    expect(scene.thread()).toEqual([answered('Outlook 2016'), answered('Windows 11')]);
    const repliesToAdmin = connector.since(sentBefore).filter((s) => (s.conversation as { id?: string }).id === adminOnA.conversationId);
    expect(repliesToAdmin.flatMap((s) => s.attachments ?? []).map((x) => said(x.content))).toEqual([expect.stringContaining(RELAYED)]);
  }, 60_000);
});

describe('secrets on both sides of a case', () => {
  const bot = useBot({ env: FAST_OUTBOX });

  it("masks a password in the help desk's thread message and in the admin's typed answer", async () => {
    const admin = new TeamsUser(bot, ADMIN);
    const scene = new CaseScene(bot.connector, admin);
    await scene.open(registrar(bot));
    const taro = scene.member(bot, 'taro', 'Taro Sato', 'en-US');
    await taro.click('caseTake', {}, {}, scene.posted);

    await taro.say('Could you sign in again? try password: Hunter2!x');
    const toAdmin = said(await scene.adminHears(2));
    expect(toAdmin).toContain('Could you sign in again? try password: ');
    expect(toAdmin).not.toContain('Hunter2!x');

    await admin.say('Outlook still fails with password: Kq7#mZ2p');
    const note = await scene.threadHears(1);
    expect(note).toMatch(/^Hanako Admin \(admin\) answered: Outlook still fails with password: \S+$/);
    expect(note).not.toContain('Kq7#mZ2p');
  }, 60_000);
});
