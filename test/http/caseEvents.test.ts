// The help desk's ticketing system reports progress on a case over HTTP, signed with the secret it shares with
// the bot. Driven through the real bot: an admin escalates to the help-desk channel and a local webhook, the
// case file is read back from the bot's own store, and forged, replayed or tampered events change nothing.
import { createHmac } from 'node:crypto';
import net from 'node:net';
import { Writable } from 'node:stream';
import { conversationKeyOf } from '../../src/conversation/turn';
import { type CaseFile, Casework } from '../../src/escalation/caseFile';
import type { HandoffRecord } from '../../src/escalation/handoff';
import { type BotUnderTest, TeamsUser, startBot } from '../support/bot';
import { title } from '../support/cards';
import { TicketingWebhook, until } from '../support/webhook';

const SECRET = 'shared-with-the-ticketing-system';
const FAST_OUTBOX = { OUTBOX_INTERVAL_MS: '50', OUTBOX_FIRST_RETRY_MS: '100', OUTBOX_MAX_RETRY_MS: '200' };
const HELPDESK = '19:helpdesk-events@thread.tacv2';
const SCHEMA = 'popimap-bot/case-event@1';

let webhook: TicketingWebhook;
let bot: BotUnderTest;

beforeAll(async () => {
  webhook = new TicketingWebhook();
  bot = await startBot({ env: { HELPDESK_WEBHOOK_URL: await webhook.start(), HELPDESK_WEBHOOK_SECRET: SECRET, ...FAST_OUTBOX } });
  await new TeamsUser(bot, { conversationType: 'channel', conversationId: HELPDESK, userName: 'Help Desk Lead' }).say('register help desk');
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  await webhook?.stop();
});

const casework = () => new Casework(bot.app.store, async () => undefined);

/**
 * An admin escalates to the channel and the webhook. Confirming does not open the case file yet, so the test
 * opens it; opening is create-only, so once confirming does, the bot's own file is the one kept.
 */
async function openCase(): Promise<string> {
  const user = new TeamsUser(bot, { userName: 'Hanako Admin' });
  await user.joins();
  await user.click('details', { next: 'pick' }, { protocol: 'imap4', version: '2019', server: 'EX02', mailbox: 'jiro@contoso.com', errorText: 'NO LOGIN failed.' });
  await user.click('pick', { checkpoint: 'serverSettings' });
  await user.click('escalate');
  const id = /ESC-\d{8}-[0-9A-Z]{6}/.exec(title(await user.click('confirmEscalation', {}, { note: 'since Monday' })))![0];
  await until('the webhook has the case', () => webhook.acceptedIds().includes(id));
  const { schema: _schema, support: _support, summaries: _summaries, ...record } = webhook.accepted.find((r) => r.body.id === id)!.body;
  const replyTo = { channelId: 'msteams', serviceUrl: bot.serviceUrl, conversationId: user.conversationId, tenantId: 'tenant-1', conversationType: 'personal' };
  await casework().open(record as unknown as HandoffRecord, { conversationKey: conversationKeyOf('msteams', user.conversationId), replyTo, language: 'en' }, true);
  return id;
}

async function caseFile(id: string): Promise<CaseFile> {
  return (await casework().read(id))!.value;
}

const now = () => Math.floor(Date.now() / 1000);

function signature(timestamp: number, body: string, secret = SECRET): Record<string, string> {
  return { 'x-timestamp': String(timestamp), 'x-signature-sha256': createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex') };
}

let events = 0;

function event(id: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { schema: SCHEMA, escalationId: id, eventId: `evt-${process.pid}-${++events}`, ...fields };
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function send(id: string, body: string, headers: Record<string, string>, to = bot): Promise<Answer> {
  const response = await fetch(`${to.url}/api/escalations/${id}/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/** Posts an event as the ticketing system does: signed, with the current time. */
function report(id: string, fields: Record<string, unknown>): Promise<Answer> {
  const body = JSON.stringify(fields.schema ? fields : event(id, fields));
  return send(id, body, signature(now(), body));
}

const UNSIGNED = { status: 401, body: { code: 'Unauthorized', message: expect.stringContaining('signature or timestamp') } };

describe('case events from the ticketing system', () => {
  it('a signed status event moves the case and queues what the admin and the channel are told', async () => {
    const id = await openCase();
    const taken = await report(id, { type: 'status', status: 'inProgress', ticketId: 'INC0012345', author: { name: 'Sato (ServiceNow)' } });
    expect(taken).toMatchObject({ status: 200, body: { status: 'applied', case: { id, status: 'taken' } } });
    let file = await caseFile(id);
    const sato = { id: 'ticketing', name: 'Sato (ServiceNow)' };
    expect(file.status).toBe('taken');
    expect(file.context).toMatchObject({ owner: sato, ticketId: 'INC0012345' });
    expect((taken.body.case as { rev: number }).rev).toBe(file.rev);
    // Delivered by the case's couriers once they are wired; here, what they are given to send.
    expect(file.outgoing.filter((m) => m.to === 'admin')).toEqual([
      { to: 'admin', kind: 'taken', by: sato, seq: expect.any(Number) },
      { to: 'admin', kind: 'ticket', ticketId: 'INC0012345', seq: expect.any(Number) },
    ]);
    expect(file.outgoing.filter((m) => m.to === 'channel').map((m) => m.kind)).toEqual(['card', 'card']);

    const withMicrosoft = await report(id, { type: 'status', status: 'withMicrosoft', serviceRequest: '2412010040001234', author: { name: 'Sato (ServiceNow)' } });
    expect(withMicrosoft.body).toMatchObject({ status: 'applied', case: { status: 'withMicrosoft' } });
    const resolved = await report(id, { type: 'status', status: 'resolved', note: "Renewed the IMAP certificate. The test account's password: Winter2024!", author: { name: 'Sato (ServiceNow)' } });
    expect(resolved.body).toMatchObject({ status: 'applied', case: { status: 'resolved' } });
    file = await caseFile(id);
    expect(file.context.serviceRequest).toBe('2412010040001234');
    const told = file.outgoing.filter((m) => m.to === 'admin').at(-1);
    expect(told).toMatchObject({ kind: 'resolved', by: sato, note: expect.stringContaining('Renewed the IMAP certificate') });
    expect(JSON.stringify(file)).not.toContain('Winter2024');

    expect((await report(id, { type: 'status', status: 'closed' })).body).toMatchObject({ case: { status: 'closed' } });
    expect((await report(id, { type: 'status', status: 'reopened' })).body).toMatchObject({ case: { status: 'taken' } });
    expect((await caseFile(id)).context.reopened).toBe(1);
  });

  it('takes over a case a help-desk member has taken in Teams: the ticketing system is the system of record', async () => {
    const id = await openCase();
    await casework().apply(id, { event: { type: 'TAKE', by: { id: 'taro-aad', name: 'Taro' }, at: new Date().toISOString() } });
    const answer = await report(id, { type: 'status', status: 'inProgress' });
    expect(answer.body).toMatchObject({ status: 'applied', case: { status: 'taken' } });
    expect((await caseFile(id)).context.owner).toEqual({ id: 'ticketing', name: 'Help desk' });
  });

  it('relays a comment to the admin and the case thread without moving the case', async () => {
    const id = await openCase();
    const answer = await report(id, { type: 'comment', comment: 'We are looking at the IMAP4 certificate now.', author: { name: 'Sato' } });
    expect(answer.body).toMatchObject({ status: 'applied', case: { status: 'open' } });
    const by = { id: 'ticketing', name: 'Sato' };
    expect((await caseFile(id)).outgoing).toEqual([
      { to: 'admin', kind: 'comment', by, text: 'We are looking at the IMAP4 certificate now.', seq: 1 },
      { to: 'channel', kind: 'note', note: { what: 'comment', by, text: 'We are looking at the IMAP4 certificate now.' }, seq: 2 },
    ]);
  });

  it('applies the same event id once: the second is a duplicate and nothing is queued twice', async () => {
    const id = await openCase();
    const body = JSON.stringify(event(id, { type: 'status', status: 'inProgress', ticketId: 'INC0099' }));
    const first = await send(id, body, signature(now(), body));
    const before = await caseFile(id);
    // The ticketing system retries with a new timestamp, as it would after losing the answer.
    const second = await send(id, body, signature(now() + 1, body));
    expect(first.body).toMatchObject({ status: 'applied' });
    expect(second).toMatchObject({ status: 200, body: { status: 'duplicate', case: { id, status: 'taken', rev: before.rev } } });
    expect(await caseFile(id)).toEqual(before);
  });

  it('answers 409 to an event the case cannot take now, and changes nothing', async () => {
    const id = await openCase();
    await report(id, { type: 'status', status: 'closed' });
    const before = await caseFile(id);
    const answer = await report(id, { type: 'status', status: 'resolved', note: 'Fixed', ticketId: 'INC0100' });
    expect(answer).toMatchObject({ status: 409, body: { code: 'NotApplicable', case: { status: 'closed' } } });
    expect(await caseFile(id)).toEqual(before);
  });

  describe('refuses what the ticketing system did not sign, and changes nothing', () => {
    let id: string;
    let before: CaseFile;
    beforeAll(async () => {
      id = await openCase();
      before = await caseFile(id);
    });
    afterEach(async () => {
      expect(await caseFile(id)).toEqual(before);
    });
    const body = () => JSON.stringify(event(id, { type: 'status', status: 'resolved', note: 'Closed by an attacker' }));

    it('no signature', async () => {
      expect(await send(id, body(), {})).toMatchObject(UNSIGNED);
    });

    it('signed with another secret', async () => {
      const forged = body();
      expect(await send(id, forged, signature(now(), forged, 'guessed-secret'))).toMatchObject(UNSIGNED);
    });

    it('a valid signature over a timestamp 10 minutes old (a replay)', async () => {
      const replayed = body();
      const old = now() - 600;
      expect(await send(id, replayed, signature(old, replayed))).toMatchObject(UNSIGNED);
    });

    it('a valid signature whose x-timestamp was moved to now', async () => {
      const replayed = body();
      expect(await send(id, replayed, { ...signature(now() - 600, replayed), 'x-timestamp': String(now()) })).toMatchObject(UNSIGNED);
    });

    it('a body changed after it was signed', async () => {
      const signed = body();
      expect(await send(id, signed.replace('resolved', 'closed'), signature(now(), signed))).toMatchObject(UNSIGNED);
    });

    it('an event signed for another case', async () => {
      const other = await openCase();
      const signed = JSON.stringify(event(other, { type: 'status', status: 'closed' }));
      expect(await send(id, signed, signature(now(), signed))).toMatchObject({ status: 400, body: { code: 'InvalidEvent', message: expect.stringContaining('"escalationId"') } });
    });
  });

  it('answers 404 for a case it does not know and for an id that is not an escalation number', async () => {
    for (const id of ['ESC-20240101-ZZZZZZ', 'not-a-case']) {
      const answer = await report(id, { type: 'status', status: 'closed' });
      expect({ id, answer }).toMatchObject({ id, answer: { status: 404, body: { code: 'UnknownCase' } } });
    }
  });

  it.each([
    ['a resolved status without its note', { type: 'status', status: 'resolved' }, '"note" is required'],
    ['withMicrosoft without the service request number', { type: 'status', status: 'withMicrosoft' }, '"serviceRequest" is required'],
    ['a status the schema does not know', { type: 'status', status: 'waitingForAdmin' }, '"status"'],
    ['an event id with a space', { type: 'comment', comment: 'hi', eventId: 'evt 1' }, '"eventId"'],
    ['a comment longer than 2000 characters', { type: 'comment', comment: 'x'.repeat(2001) }, '"comment" must be at most 2000 characters'],
    ['another schema', { type: 'ticket', ticketId: 'INC1', schema: 'popimap-bot/case-event@9' }, '"schema"'],
  ])('answers 400 naming the field for %s', async (_what, fields, named) => {
    const id = await openCase();
    const before = await caseFile(id);
    const answer = await report(id, { ...event(id, {}), ...fields });
    expect(answer).toMatchObject({ status: 400, body: { code: 'InvalidEvent', message: expect.stringContaining(named) } });
    expect(await caseFile(id)).toEqual(before);
  });

  it('answers 400 to signed bytes that are not JSON', async () => {
    const id = await openCase();
    const answer = await send(id, '{"schema":', signature(now(), '{"schema":'));
    expect(answer).toMatchObject({ status: 400, body: { code: 'InvalidEvent', message: expect.stringContaining('not valid JSON') } });
  });

  describe('a body over MAX_BODY_KB is refused with 413 before it has all arrived', () => {
    /** Writes the request's head and `sent` bytes of body, and never the rest; resolves with what the bot answered. */
    function sendPart(head: string, sent: number): Promise<string> {
      const { port } = new URL(bot.url);
      return new Promise((resolve, reject) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => {
          socket.write(head);
          socket.write(Buffer.alloc(sent, 'x'));
        });
        let received = '';
        socket.on('data', (chunk) => {
          received += chunk.toString('utf8');
          if (received.includes('\r\n\r\n')) socket.destroy();
        });
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
      });
    }
    const head = (length: string) =>
      `POST /api/escalations/ESC-20240101-ABCDEF/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${length}` +
      `x-timestamp: ${now()}\r\nx-signature-sha256: ${'0'.repeat(64)}\r\n\r\n`;

    it('declared in Content-Length', async () => {
      expect(await sendPart(head(`Content-Length: ${10 * 1024 * 1024}\r\n`), 1024)).toMatch(/^HTTP\/1\.1 413 /);
    });

    it('sent chunked, without a length', async () => {
      const chunk = 300 * 1024;
      // One chunk larger than the limit, sent in part: the bot stops reading at the limit.
      expect(await sendPart(head(`Transfer-Encoding: chunked\r\n`) + `${chunk.toString(16)}\r\n`, 260 * 1024)).toMatch(/^HTTP\/1\.1 413 /);
    });
  });
});

describe('the log of refused case events', () => {
  it('holds a flood of forged events once, then as a count, without the signature or the body', async () => {
    const lines: string[] = [];
    const logs = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const own = await startBot({ logs, env: { HELPDESK_WEBHOOK_SECRET: SECRET, HELPDESK_WEBHOOK_URL: 'http://127.0.0.1:9/tickets' } });
    const forged = JSON.stringify(event('ESC-20240101-ABCDEF', { type: 'comment', comment: 'forged-comment-text' }));
    const headers = signature(now(), forged, 'guessed-secret');
    for (let i = 0; i < 20; i++) expect((await send('ESC-20240101-ABCDEF', forged, headers, own)).status).toBe(401);
    await own.stop();
    const refused = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.code === 'Unauthorized');
    expect(refused).toEqual([
      expect.objectContaining({ msg: 'request refused', route: 'caseEvents', status: 401 }),
      expect.objectContaining({ msg: 'more requests refused', count: 19 }),
    ]);
    expect(lines.join('\n')).not.toContain(headers['x-signature-sha256']);
    expect(lines.join('\n')).not.toContain('forged-comment-text');
  });
});

describe('case events on a bot without HELPDESK_WEBHOOK_SECRET', () => {
  it('answers 404, saying the route is off and how to turn it on', async () => {
    const plain = await startBot();
    try {
      const response = await fetch(`${plain.url}/api/escalations/ESC-20240101-ABCDEF/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'CaseEventsOff', message: expect.stringContaining('HELPDESK_WEBHOOK_SECRET') });
    } finally {
      await plain.stop();
    }
  });
});

describe('case events while the store is gone', () => {
  it('answers 503 with Retry-After and no internal error text', async () => {
    const hook = new TicketingWebhook();
    const own = await startBot({ env: { HELPDESK_WEBHOOK_URL: await hook.start(), HELPDESK_WEBHOOK_SECRET: SECRET } });
    try {
      const body = JSON.stringify(event('ESC-20240101-ABCDEF', { type: 'comment', comment: 'hello' }));
      await own.app.store.close();
      const response = await fetch(`${own.url}/api/escalations/ESC-20240101-ABCDEF/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signature(now(), body) },
        body,
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('10');
      const answer = JSON.stringify(await response.json());
      expect(answer).toContain('StoreUnavailable');
      expect(answer).not.toMatch(/sqlite|database|SQL|Error/i);
    } finally {
      await own.stop();
      await hook.stop();
    }
  });
});
