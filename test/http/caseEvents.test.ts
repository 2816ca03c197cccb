// The help desk's ticketing system reports progress on a case over HTTP, signed with the secret it shares with
// the bot. Driven through the real bot: an admin escalates to the help-desk channel and a local webhook, the
// admin's chat and the case's thread show what they were told, the case file is read back from the bot's own
// store, and forged, replayed or tampered events change nothing.
import { createHmac } from 'node:crypto';
import net from 'node:net';
import { Writable } from 'node:stream';
import { type CaseFile, Casework } from '../../src/escalation/caseFile';
import { type BotUnderTest, TeamsUser, startBot } from '../support/bot';
import { type Card, findButton, texts, title } from '../support/cards';
import type { SentActivity } from '../support/connector';
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

interface OpenCase {
  id: string;
  admin: TeamsUser;
}

/** An admin escalates to the help-desk channel and the webhook; confirming opens the case file. */
async function openCase(): Promise<OpenCase> {
  const admin = new TeamsUser(bot, { userName: 'Hanako Admin' });
  await admin.joins();
  await admin.click('details', { next: 'pick' }, { protocol: 'imap4', version: '2019', server: 'EX02', mailbox: 'jiro@contoso.com', errorText: 'NO LOGIN failed.' });
  await admin.click('pick', { checkpoint: 'serverSettings' });
  await admin.click('escalate');
  const id = /ESC-\d{8}-[0-9A-Z]{6}/.exec(title(await admin.click('confirmEscalation', {}, { note: 'since Monday' })))![0];
  await settled();
  return { id, admin };
}

/** Until every party has been sent all it is owed: the case file then stays as it is until the next change. */
async function settled(): Promise<void> {
  await until('an empty outbox', async () => (await bot.app.outbox.pending()).length === 0);
}

const conversationOf = (a: SentActivity) => (a.conversation as { id?: string } | undefined)?.id;
const adaptiveCards = (a: SentActivity) => (a.attachments ?? []).filter((c) => c.contentType === 'application/vnd.microsoft.card.adaptive').map((c) => c.content);

/** The cards the admin has been sent in their chat since `from` activities were sent. */
function toAdmin({ admin }: OpenCase, from: number): Card[] {
  return bot.connector.since(from).filter((a) => conversationOf(a) === admin.conversationId).flatMap(adaptiveCards);
}

/** What was said in the case's thread in the help-desk channel since `from` activities were sent. */
function inThread(from: number): string[] {
  return bot.connector.since(from).filter((a) => conversationOf(a)?.startsWith(`${HELPDESK};messageid=`)).map((a) => String(a.text));
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
  return { schema: SCHEMA, escalationId: id, eventId: `evt-${process.pid}-${++events}`, author: { name: 'Ichiro Sato' }, ...fields };
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
  const sato = { name: 'Sato (ServiceNow)' };

  it('a signed status event moves the case, and the admin hears of each change in their chat', async () => {
    const kase = await openCase();
    const { id } = kase;
    const from = bot.connector.sent.length;
    const taken = await report(id, { type: 'status', status: 'inProgress', ticketId: 'INC0012345', author: sato });
    expect(taken).toMatchObject({ status: 200, body: { status: 'applied', case: { id, status: 'taken' } } });
    const file = await caseFile(id);
    expect(file.status).toBe('taken');
    expect(file.context).toMatchObject({ owner: { id: 'ticketing', name: 'Sato (ServiceNow)' }, ticketId: 'INC0012345' });
    expect((taken.body.case as { rev: number }).rev).toBe(file.rev);
    await until('the admin is told', () => toAdmin(kase, from).length === 2);
    const [takenCard, ticketCard] = toAdmin(kase, from);
    expect(title(takenCard!)).toBe('The help desk has your case');
    expect(texts(takenCard!).join('\n')).toContain(`Sato (ServiceNow) at the help desk has taken your case ${id}`);
    expect(title(ticketCard!)).toBe('Your case has a ticket number');
    expect(JSON.stringify(ticketCard)).toContain('INC0012345');

    const next = bot.connector.sent.length;
    const withMicrosoft = await report(id, { type: 'status', status: 'withMicrosoft', serviceRequest: '2412010040001234', author: sato });
    expect(withMicrosoft.body).toMatchObject({ status: 'applied', case: { status: 'withMicrosoft' } });
    const resolved = await report(id, { type: 'status', status: 'resolved', note: "Renewed the IMAP certificate. The test account's password: Winter2024!", author: sato });
    expect(resolved.body).toMatchObject({ status: 'applied', case: { status: 'resolved' } });
    await until('the admin is told', () => toAdmin(kase, next).length === 2);
    const [microsoftCard, resolvedCard] = toAdmin(kase, next);
    expect(JSON.stringify(microsoftCard)).toContain('2412010040001234');
    expect(title(resolvedCard!)).toBe('The help desk has resolved your case');
    expect(texts(resolvedCard!).join('\n')).toContain('Renewed the IMAP certificate.');
    expect(findButton(resolvedCard!, 'caseFixed')).toBeDefined();
    expect(JSON.stringify(resolvedCard)).not.toContain('Winter2024');
    expect(JSON.stringify(await caseFile(id))).not.toContain('Winter2024');

    expect((await report(id, { type: 'status', status: 'closed' })).body).toMatchObject({ case: { status: 'closed' } });
    expect((await report(id, { type: 'status', status: 'reopened' })).body).toMatchObject({ case: { status: 'taken' } });
    expect((await caseFile(id)).context.reopened).toBe(1);
  });

  it('takes over a case a help-desk member took on the card in Teams: the ticketing system is the system of record', async () => {
    const kase = await openCase();
    const member = new TeamsUser(bot, { conversationType: 'channel', conversationId: HELPDESK, userId: 'hd-taro', userName: 'Taro Helpdesk' });
    const card = bot.connector.sent.filter((a) => conversationOf(a) === HELPDESK).flatMap(adaptiveCards).find((c) => JSON.stringify(c).includes(kase.id))!;
    await member.click('caseTake', { case: kase.id }, {}, card);
    expect((await caseFile(kase.id)).context.owner).toMatchObject({ id: 'hd-taro' });
    await settled();

    const from = bot.connector.sent.length;
    const answer = await report(kase.id, { type: 'status', status: 'inProgress' });
    expect(answer.body).toMatchObject({ status: 'applied', case: { status: 'taken' } });
    expect((await caseFile(kase.id)).context.owner).toEqual({ id: 'ticketing', name: 'Ichiro Sato' });
    await until('the admin is told', () => toAdmin(kase, from).length === 1);
    expect(title(toAdmin(kase, from)[0]!)).toBe('The help desk has your case');
  });

  it('relays a comment to the admin and to the case thread without moving the case', async () => {
    const kase = await openCase();
    const before = await caseFile(kase.id);
    const from = bot.connector.sent.length;
    const answer = await report(kase.id, { type: 'comment', comment: 'We are looking at the IMAP4 certificate now.', author: { name: 'Sato' } });
    // A comment moves no button: the cards already drawn stay good to click.
    expect(answer.body).toMatchObject({ status: 'applied', case: { status: 'open', rev: before.rev } });
    await until('both parties are told', () => toAdmin(kase, from).length === 1 && inThread(from).length === 1);
    expect(title(toAdmin(kase, from)[0]!)).toBe('A comment on your case');
    expect(texts(toAdmin(kase, from)[0]!)).toContain('We are looking at the IMAP4 certificate now.');
    expect(inThread(from)).toEqual(['Sato commented in the ticketing system: We are looking at the IMAP4 certificate now.']);
    expect((await caseFile(kase.id)).status).toBe('open');
  });

  it('applies the same event id once: the second is a duplicate and nobody is told twice', async () => {
    const kase = await openCase();
    const { id } = kase;
    const from = bot.connector.sent.length;
    const body = JSON.stringify(event(id, { type: 'status', status: 'inProgress', ticketId: 'INC0099' }));
    const first = await send(id, body, signature(now(), body));
    await settled();
    const before = await caseFile(id);
    // The ticketing system retries with a new timestamp, as it would after losing the answer.
    const second = await send(id, body, signature(now() + 1, body));
    expect(first.body).toMatchObject({ status: 'applied' });
    expect(second).toMatchObject({ status: 200, body: { status: 'duplicate', case: { id, status: 'taken', rev: before.rev } } });
    await settled();
    expect(await caseFile(id)).toEqual(before);
    expect(toAdmin(kase, from).map(title)).toEqual(['The help desk has your case', 'Your case has a ticket number']);
  });

  it('answers 409 to an event the case cannot take now, and changes nothing', async () => {
    const { id } = await openCase();
    await report(id, { type: 'status', status: 'closed' });
    await settled();
    const before = await caseFile(id);
    const answer = await report(id, { type: 'status', status: 'resolved', note: 'Fixed', ticketId: 'INC0100' });
    expect(answer).toMatchObject({ status: 409, body: { code: 'NotApplicable', case: { id, status: 'closed' } } });
    expect(await caseFile(id)).toEqual(before);
  });

  describe('refuses what the ticketing system did not sign, and changes nothing', () => {
    let id: string;
    let before: CaseFile;
    beforeAll(async () => {
      ({ id } = await openCase());
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
      const { id: other } = await openCase();
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
    // "Help desk at the help desk has taken your case" tells the admin nothing: who worked the ticket is named.
    ['a status without who worked the ticket', { type: 'status', status: 'inProgress', author: undefined }, '"author" is required'],
    ['withMicrosoft without the service request number', { type: 'status', status: 'withMicrosoft' }, '"serviceRequest" is required'],
    ['a status the schema does not know', { type: 'status', status: 'waitingForAdmin' }, '"status"'],
    ['an event id with a space', { type: 'comment', comment: 'hi', eventId: 'evt 1' }, '"eventId"'],
    ['a comment longer than 2000 characters', { type: 'comment', comment: 'x'.repeat(2001) }, '"comment" must be at most 2000 characters'],
    ['another schema', { type: 'ticket', ticketId: 'INC1', schema: 'popimap-bot/case-event@9' }, '"schema"'],
  ])('answers 400 naming the field for %s', async (_what, fields, named) => {
    const { id } = await openCase();
    const before = await caseFile(id);
    const answer = await report(id, { ...event(id, {}), ...fields });
    expect(answer).toMatchObject({ status: 400, body: { code: 'InvalidEvent', message: expect.stringContaining(named) } });
    expect(await caseFile(id)).toEqual(before);
  });

  it('answers 400 to signed bytes that are not JSON', async () => {
    const { id } = await openCase();
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
