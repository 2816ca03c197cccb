// Every message a case makes reaches its party through the durable outbox: in order, once, whatever fails in
// between, whichever of two instances sends it; and in Teams, the channel's case card is the one first posted,
// redrawn in place, with notes in its thread. Real SQLite store, real outbox, real couriers.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { CaseEvent, Member } from '../../src/casework/machine';
import type { Recipient } from '../../src/casework/messages';
import { type Applied, type CaseFile, Casework, type Queued } from '../../src/escalation/caseFile';
import { CaseCourier, type CaseSend } from '../../src/escalation/courier';
import type { HandoffRecord } from '../../src/escalation/handoff';
import { HelpdeskDirectory } from '../../src/escalation/helpdesk';
import { DEFAULT_POLICY, type Deliverer, Outbox, type OutboxEntry, type OutboxPolicy } from '../../src/escalation/outbox';
import { WebhookDeliverer } from '../../src/escalation/webhook';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logging';
import { createTransport } from '../../src/transport/createTransport';
import { adminCaseSender, channelCaseSender } from '../../src/transport/caseDelivery';
import { TeamsChannelDeliverer } from '../../src/transport/helpdeskChannel';
import { type Card, findButton } from '../support/cards';
import { FakeConnector } from '../support/connector';
import { until } from '../support/webhook';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const FAST: OutboxPolicy = { ...DEFAULT_POLICY, firstDelayMs: 1, maxDelayMs: 5 };
const taro: Member = { id: 'hd-taro', name: 'Taro Helpdesk' };
const at = () => new Date().toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function record(id: string): HandoffRecord {
  return {
    id,
    createdAt: at(),
    requester: { id: 'admin-1', name: 'Hanako Admin' },
    language: 'en',
    reason: 'asked',
    details: { protocol: 'imap4', version: '2019', server: 'EX02', mailbox: 'jiro@contoso.com' },
    journal: [],
    commands: [],
  };
}

const ADMIN: CaseFile['admin'] = { conversationKey: 'conversation/msteams/admin-1', language: 'en' };

/** Remembers what reached its party; the calls numbered in `failing` fail as a Teams outage would. */
function party(failing: number[] = []) {
  const delivered: Queued[] = [];
  let calls = 0;
  const send: CaseSend = async (message) => {
    calls += 1;
    if (failing.includes(calls)) throw new Error('the connector answered 502');
    delivered.push(message);
  };
  return { send, delivered, calls: () => calls };
}

/** Sends until nothing is left, the way the outbox's own loop would. */
async function drain(...outboxes: Outbox[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await Promise.all(outboxes.map((o) => o.runDue()));
    if ((await outboxes[0]!.pending()).length === 0) return;
    await sleep(5);
  }
  throw new Error(`the outbox never emptied: ${JSON.stringify(await outboxes[0]!.pending())}`);
}

function applied(result: Applied): Extract<Applied, { outcome: 'applied' }> {
  if (result.outcome !== 'applied') throw new Error(`the case refused the change: ${result.outcome}`);
  return result;
}

describe('a case’s messages through the outbox', () => {
  let dir: string;
  let file: string;
  let stores: SqliteStore[];
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'case-delivery-'));
    file = path.join(dir, 'state.sqlite');
    stores = [new SqliteStore(file)];
  });
  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  interface Options {
    policy?: OutboxPolicy;
    courier?: (courier: CaseCourier) => Deliverer;
    /** The help-desk targets beside the couriers. */
    targets?: (casework: Casework) => Deliverer[];
  }

  /** One bot instance: its case file and outbox on `store`, a courier per party. */
  function instance(store: SqliteStore, sends: Record<Recipient, CaseSend>, { policy = FAST, courier = (c) => c, targets = () => [] }: Options = {}) {
    // The case file wakes the couriers through the outbox, which is built from them.
    const outbox: { current?: Outbox } = {};
    const casework = new Casework(store, (r, target) => outbox.current!.wake(r, target));
    const couriers = [courier(new CaseCourier(casework, 'admin', sends.admin)), courier(new CaseCourier(casework, 'channel', sends.channel))];
    outbox.current = new Outbox(store, [...targets(casework), ...couriers], quiet, async () => true, policy);
    return { casework, outbox: outbox.current };
  }

  it('sends each party its messages in the order they were made, once each, with sends failing in between', async () => {
    const admin = party([2, 3]);
    const channel = party([1, 4]);
    const { casework, outbox } = instance(stores[0]!, { admin: admin.send, channel: channel.send });
    const id = 'ESC-20261202-ORDER1';
    await casework.open(record(id), ADMIN, true);
    // Four changes queued before the outbox looks at all: each party has several messages waiting at once.
    const events: CaseEvent[] = [
      { type: 'TAKE', by: taro, at: at() },
      { type: 'ASK', by: taro, text: 'Which mail client?', at: at() },
      { type: 'ANSWER', text: 'Thunderbird 128' },
      { type: 'RESOLVE', by: taro, note: 'Enabled IMAP4 on the mailbox', at: at() },
    ];
    for (const event of events) applied(await casework.apply(id, { event }));

    await drain(outbox);
    expect(admin.delivered.map((m) => [m.seq, m.kind])).toEqual([
      [2, 'taken'],
      [4, 'question'],
      [8, 'resolved'],
    ]);
    // A redraw shows the case as it stands, so the redraws queued before the last are not sent at all.
    expect(channel.delivered.map((m) => [m.seq, m.kind])).toEqual([
      [5, 'note'],
      [7, 'card'],
    ]);
    expect([admin.calls(), channel.calls()]).toEqual([5, 3]); // the failed sends were tried again, not skipped
    const kept = (await casework.read(id))!.value;
    expect(kept.sent).toEqual({ admin: 8, channel: 7 });
    expect(kept.outgoing).toEqual([]);
  });

  it('sends a message queued just after the courier last looked, once its entry is cleared', async () => {
    const admin = party();
    const channel = party();
    const id = 'ESC-20261202-RACE01';
    let racing = true;
    // A turn commits a question after the admin's courier found nothing more, and before its entry is cleared:
    // the turn saw the entry still there, so it wrote none.
    const { casework, outbox } = instance(stores[0]!, { admin: admin.send, channel: channel.send }, { courier: (courier) => ({
      target: courier.target,
      courier: true,
      isConfigured: () => courier.isConfigured(),
      deliver: async (entry, stop) => {
        await courier.deliver(entry, stop);
        if (courier.target !== 'caseAdmin' || !racing) return;
        racing = false;
        applied(await casework.apply(id, { event: { type: 'ASK', by: taro, text: 'Is IMAP4 enabled on the mailbox?', at: at() } }));
      },
      hasMore: (entry) => courier.hasMore(entry),
    }) });
    await casework.open(record(id), ADMIN, true);
    applied(await casework.apply(id, { event: { type: 'TAKE', by: taro, at: at() } }));

    await outbox.runDue();
    expect(admin.delivered.map((m) => m.kind)).toEqual(['taken']);
    expect((await outbox.pending()).map((e) => e.target)).toContain('caseAdmin');
    await drain(outbox);
    expect(admin.delivered.map((m) => m.kind)).toEqual(['taken', 'question']);
  });

  it('never sends a message twice, nor two of one party’s at once, with two instances on one store', async () => {
    stores.push(new SqliteStore(file));
    const received: Record<Recipient, number[]> = { admin: [], channel: [] };
    const sending: Record<Recipient, number> = { admin: 0, channel: 0 };
    let overlapped = false;
    const slowly = (to: Recipient): CaseSend => async (message) => {
      sending[to] += 1;
      overlapped ||= sending[to] > 1;
      await sleep(15);
      received[to].push(message.seq);
      sending[to] -= 1;
    };
    const policy = { ...FAST, leaseMs: 600 };
    const a = instance(stores[0]!, { admin: slowly('admin'), channel: slowly('channel') }, { policy });
    const b = instance(stores[1]!, { admin: slowly('admin'), channel: slowly('channel') }, { policy });
    const id = 'ESC-20261202-TWOINS';
    await a.casework.open(record(id), ADMIN, true);
    a.outbox.start(5);
    b.outbox.start(5);
    const expected: Record<Recipient, number[]> = { admin: [], channel: [] };
    let lastCard = 0;
    const events: CaseEvent[] = [
      { type: 'TAKE', by: taro, at: at() },
      { type: 'ASK', by: taro, text: 'Which mail client?', at: at() },
      { type: 'ANSWER', text: 'Outlook' },
      { type: 'WITH_MICROSOFT', by: taro, serviceRequest: '2612020040001234', at: at() },
      { type: 'RESOLVE', by: taro, note: 'Microsoft fixed the connector', at: at() },
      { type: 'NOT_FIXED', reason: 'Still NO LOGIN failed' },
      { type: 'RESOLVE', by: taro, note: 'Reset the IMAP4 service', at: at() },
      { type: 'FIXED' },
    ];
    try {
      for (const [i, event] of events.entries()) {
        // Turns land on either instance, while both are sending what earlier turns queued.
        const { file: kept, messages } = applied(await (i % 2 ? b : a).casework.apply(id, { event }));
        for (const m of kept.outgoing.slice(kept.outgoing.length - messages.length)) expected[m.to].push(m.seq);
        lastCard = Math.max(lastCard, ...kept.outgoing.filter((m) => m.kind === 'card').map((m) => m.seq));
        await sleep(10);
      }
      await until('every message sent', () => received.admin.length >= expected.admin.length && received.channel.at(-1) === lastCard);
      await sleep(100); // a second send of anything would land by now
    } finally {
      await Promise.all([a.outbox.stop(), b.outbox.stop()]);
    }
    expect(received.admin).toEqual(expected.admin);
    // The channel: every message once, in order, none skipped but a redraw made needless by a later one.
    expect(received.channel).toEqual([...received.channel].sort((x, y) => x - y));
    expect(new Set(received.channel).size).toBe(received.channel.length);
    const kept = (await a.casework.read(id))!.value;
    expect(kept.sent.channel).toBe(lastCard);
    expect(overlapped).toBe(false);
    expect(expected.admin.length).toBeGreaterThan(4);
  });

  describe('a ticketing system that names its ticket', () => {
    let answer: string;
    let server: http.Server;
    let url: string;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end(answer);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tickets`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const entry = (id: string): OutboxEntry => ({ record: record(id), target: 'webhook', enqueuedAt: 0, attempts: 0, due: 0 });

    it.each([
      ['{"ticketId":"INC0012345","status":"new"}', 'INC0012345'],
      ['{"number":4711}', '4711'],
      ['{"ticketId":"  SR-2026-77  "}', 'SR-2026-77'],
      ['{"ticketId":{"id":1},"number":"CS-9"}', 'CS-9'],
      ['{"ticket":"T-1"}', 'none'],
      [`{"ticketId":"${'9'.repeat(65)}"}`, 'none'],
      ['{"ticketId":"INC\\u0000001"}', 'none'],
      ['{"ticketId":""}', 'none'],
      ['["INC0012345"]', 'none'],
      ['Created', 'none'],
      ['', 'none'],
    ])('answered %s, the case is accepted, naming ticket %s', async (body, ticket) => {
      answer = body;
      const named: Array<[string, string]> = [];
      const webhook = new WebhookDeliverer(url, undefined, 5_000, async (id, ticketId) => {
        named.push([id, ticketId]);
      });
      await webhook.deliver(entry('ESC-20261202-TICKET'));
      expect(named).toEqual(ticket === 'none' ? [] : [['ESC-20261202-TICKET', ticket]]);
    });

    it('records the ticket in the case, and the admin hears of it through the outbox', async () => {
      answer = '{"ticketId":"INC0099887"}';
      const admin = party();
      // Wired as the app wires it.
      const webhook = (casework: Casework) =>
        new WebhookDeliverer(url, undefined, 5_000, async (escalation, ticketId) => {
          await casework.apply(escalation, { event: { type: 'TICKET', ticketId }, seenId: `ticket:${ticketId}` });
        });
      const { casework, outbox } = instance(stores[0]!, { admin: admin.send, channel: party().send }, { targets: (casework) => [webhook(casework)] });
      const id = 'ESC-20261202-TKTADM';
      await casework.open(record(id), ADMIN, false);
      expect(await outbox.enqueue(record(id), { conversation: ADMIN.conversationKey })).toEqual(['webhook']);
      await drain(outbox);
      expect((await casework.read(id))!.value.context.ticketId).toBe('INC0099887');
      expect(admin.delivered).toEqual([{ to: 'admin', kind: 'ticket', ticketId: 'INC0099887', seq: 1 }]);
    });
  });

  describe('in Teams', () => {
    const HELPDESK = '19:helpdesk@thread.tacv2';
    let connector: FakeConnector;
    let serviceUrl: string;
    beforeEach(async () => {
      connector = new FakeConnector();
      serviceUrl = await connector.start();
    });
    afterEach(async () => {
      await connector.stop();
    });

    function teams(store: SqliteStore) {
      const transport = createTransport(loadConfig({ BOT_SDK: process.env.BOT_SDK }), createLogger('silent'));
      const directory = new HelpdeskDirectory(store, { channelId: 'msteams', serviceUrl, conversationId: HELPDESK, tenantId: 'tenant-1' });
      const outbox: { current?: Outbox } = {};
      const casework = new Casework(store, (r, target) => outbox.current!.wake(r, target));
      outbox.current = new Outbox(
        store,
        [
          new TeamsChannelDeliverer(transport, directory, 'en', casework),
          new CaseCourier(casework, 'admin', adminCaseSender(transport)),
          new CaseCourier(casework, 'channel', channelCaseSender(transport, directory, 'en')),
        ],
        quiet,
        async () => true,
        FAST,
      );
      return { casework, outbox: outbox.current };
    }

    const admin = (): CaseFile['admin'] => ({
      ...ADMIN,
      replyTo: { channelId: 'msteams', serviceUrl, conversationId: 'a:admin-chat', tenantId: 'tenant-1', conversationType: 'personal' },
    });
    // The revision the card's buttons carry: what a member's click will be checked against.
    const rev = (card: unknown) => findButton(card as Card, 'caseAsk')?.data.rev;
    const posted = (conversationId: string) => connector.sent.filter((a) => (a.conversation as { id?: string } | undefined)?.id === conversationId);

    it('posts the case card once, records where it landed, redraws that card in place and replies in its thread', async () => {
      const { casework, outbox } = teams(stores[0]!);
      const id = 'ESC-20261202-TEAMS1';
      await casework.open(record(id), admin(), true);
      // The couriers are not targets of their own: only the channel is sent the escalation.
      expect(await outbox.enqueue(record(id), { conversation: ADMIN.conversationKey })).toEqual(['teamsChannel']);
      await drain(outbox);

      const [card] = posted(HELPDESK);
      expect(card).toBeDefined();
      const { post } = (await casework.read(id))!.value;
      expect(post).toEqual({ conversationId: HELPDESK, activityId: 'sent-1' });
      expect(rev(card!.attachments![0]!.content)).toBe(0);

      applied(await casework.apply(id, { event: { type: 'TAKE', by: taro, at: at() } }));
      applied(await casework.apply(id, { event: { type: 'ASK', by: taro, text: 'Which mail client?', at: at() } }));
      applied(await casework.apply(id, { event: { type: 'ANSWER', text: 'Thunderbird 128 on Windows' } }));
      await drain(outbox);

      expect(posted(HELPDESK)).toHaveLength(1); // one card in the channel, whatever happened since
      // Three changes queued at once are one redraw, of the case as it stands.
      expect(connector.updated.map((u) => [u.conversationId, u.activityId, rev(u.attachments![0]!.content)])).toEqual([[HELPDESK, 'sent-1', 3]]);
      expect(connector.replies).toHaveLength(1);
      expect(connector.replies[0]).toMatchObject({ conversationId: HELPDESK, messageId: 'sent-1' });
      expect(connector.replies[0]!.text).toContain('Thunderbird 128 on Windows');
      // The admin's messages, in their own chat: taken, then the question.
      expect(posted('a:admin-chat').map((a) => a.attachments?.[0]?.contentType)).toEqual(['application/vnd.microsoft.card.adaptive', 'application/vnd.microsoft.card.adaptive']);
    });

    it('holds a change made before the card is in the channel until it is, and posts the card as the case then stands', async () => {
      const { casework, outbox } = teams(stores[0]!);
      const id = 'ESC-20261202-TEAMS2';
      await casework.open(record(id), admin(), true);
      // The ticketing system named its ticket before Teams took the card.
      applied(await casework.apply(id, { event: { type: 'TICKET', ticketId: 'INC0001' }, seenId: 'ticket:INC0001' }));
      connector.refuse(HELPDESK, 2);
      expect(await outbox.enqueue(record(id), { conversation: ADMIN.conversationKey })).toEqual(['teamsChannel']);
      await drain(outbox);

      const cards = posted(HELPDESK);
      expect(cards).toHaveLength(1);
      expect(rev(cards[0]!.attachments![0]!.content)).toBe(1);
      // The redraw the ticket asked for went to the card, once it was there.
      expect(connector.updated.map((u) => [u.activityId, rev(u.attachments![0]!.content)])).toEqual([[(await casework.read(id))!.value.post!.activityId, 1]]);
    });

    it('does not post a second card when the channel delivery is tried again after the post was recorded', async () => {
      const { casework, outbox } = teams(stores[0]!);
      const id = 'ESC-20261202-TEAMS3';
      await casework.open(record(id), admin(), true);
      await outbox.enqueue(record(id), { conversation: ADMIN.conversationKey });
      await drain(outbox);
      // The same escalation's entry written again (a replay the delivered/ record did not stop).
      await stores[0]!.delete(`delivered/${id}/teamsChannel`);
      await outbox.enqueue(record(id), { conversation: ADMIN.conversationKey });
      await drain(outbox);
      expect(posted(HELPDESK)).toHaveLength(1);
    });
  });
});
