// POST /api/escalations/{id}/events: the help desk's ticketing system reports progress on a case. Only a
// sender holding HELPDESK_WEBHOOK_SECRET gets past the door: the signature covers the timestamp and the raw
// bytes, and is checked before the body is parsed, so an unsigned sender costs at most MAX_BODY_KB read.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { applyCaseEvent, readCaseEvent } from '../escalation/caseEvents';
import type { Casework } from '../escalation/caseFile';
import { ESCALATION_ID } from '../escalation/handoff';
import type { Logger } from '../logging';
import { problem, refuser } from './problem';
import { RefusalLog } from './refusalLog';
import { type Refusal, readRawBody, refuseByHeaders } from './requestBody';

export const CASE_EVENTS_PATH = '/api/escalations/:id/events';

/** How far the sender's timestamp may be from this clock: further, and the request is a replay (or a clock to set right). */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;

export interface CaseEventsOptions {
  /** HELPDESK_WEBHOOK_SECRET; without it the route answers that it is off. */
  secret: string | undefined;
  casework: Casework;
  log: Logger;
  maxBodyBytes: number;
  clock?: () => Date;
}

const README = 'README: "Ticketing system → bot: case events"';

const OFF: Refusal = {
  status: 404,
  code: 'CaseEventsOff',
  message: `Case events are off on this bot. To turn them on, set HELPDESK_WEBHOOK_SECRET to a secret shared with the ticketing system, with HELPDESK_WEBHOOK_URL where the bot sends it the cases (${README}).`,
};

// Which check failed stays in the log: a forger learns nothing from the answer.
const UNSIGNED: Refusal = {
  status: 401,
  code: 'Unauthorized',
  message: `The signature or timestamp is missing or not valid. Send x-timestamp (Unix seconds, within 5 minutes of now) and x-signature-sha256 (${README}).`,
};

const unknownCase = (id: string): Refusal => ({ status: 404, code: 'UnknownCase', message: `There is no case ${id}.` });

const invalidEvent = (message: string): Refusal => ({ status: 400, code: 'InvalidEvent', message: `The case event is not valid: ${message}` });

const STORE_UNAVAILABLE: Refusal = {
  status: 503,
  code: 'StoreUnavailable',
  message: 'The bot cannot record the event right now. Send it again later, with the same eventId.',
  retryAfterSeconds: 10,
};

const WHOLE_ID = new RegExp(`^${ESCALATION_ID.source}$`);

function header(req: Request, name: string): string {
  const value = req.headers[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** Why the headers alone fail, before a byte of the body is read; undefined when they may be right. */
function headerProblem(timestamp: string, signature: string, now: Date): string | undefined {
  if (!/^\d{1,12}$/.test(timestamp)) return 'timestamp missing';
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > TIMESTAMP_TOLERANCE_SECONDS) return 'timestamp out of range';
  if (!/^[0-9a-f]{64}$/i.test(signature)) return 'signature missing';
  return undefined;
}

function signedBy(secret: string, timestamp: string, raw: Buffer, signature: string): boolean {
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest();
  // Both are 32 bytes: headerProblem let through only 64 hex digits.
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

function parseJson(raw: Buffer): { body: unknown } | undefined {
  try {
    return { body: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    return undefined;
  }
}

export function addCaseEventsRoute(server: Server, { secret, casework, log, maxBodyBytes, clock = () => new Date() }: CaseEventsOptions): void {
  const refusals = new RefusalLog(log);
  server.on('close', () => refusals.flush());
  const baseRefuse = refuser(refusals);
  const refuse = (res: Response, refusal: Refusal, details: Record<string, unknown> = {}) => baseRefuse(res, refusal, { route: 'caseEvents', ...details });

  server.post(CASE_EVENTS_PATH, async (req, res) => {
    if (!secret) return refuse(res, OFF);
    const id = String(req.params?.id ?? '');
    if (!WHOLE_ID.test(id)) return refuse(res, unknownCase('with this id'));
    const early = refuseByHeaders(req, maxBodyBytes);
    if (early) return refuse(res, early);
    const timestamp = header(req, 'x-timestamp');
    const signature = header(req, 'x-signature-sha256');
    const unsigned = headerProblem(timestamp, signature, clock());
    if (unsigned) return refuse(res, UNSIGNED, { reason: unsigned });
    const raw = await readRawBody(req, maxBodyBytes);
    if (!Buffer.isBuffer(raw)) return refuse(res, raw);
    if (!signedBy(secret, timestamp, raw, signature)) return refuse(res, UNSIGNED, { reason: 'signature does not match' });

    const json = parseJson(raw);
    if (!json) return refuse(res, invalidEvent('the body is not valid JSON.'));
    const read = readCaseEvent(json.body);
    if ('problem' in read) return refuse(res, invalidEvent(read.problem));
    const { event } = read;
    if (event.escalationId !== id) return refuse(res, invalidEvent('"escalationId" must be the case id in the path.'));

    const applied = await applyCaseEvent(casework, id, event, clock().toISOString()).catch((error: unknown) => {
      log.error({ err: error, escalation: id, eventId: event.eventId }, 'could not record a case event');
      return undefined;
    });
    if (!applied) return refuse(res, STORE_UNAVAILABLE);
    if (applied.outcome === 'unknown') return refuse(res, unknownCase(id));
    const { file } = applied;
    log.info({ escalation: id, eventId: event.eventId, type: event.type, outcome: applied.outcome, status: file.status }, 'case event');
    if (applied.outcome === 'refused') {
      const what = event.type === 'status' ? `a "${event.status}" status` : `a "${event.type}" event`;
      return problem(res, 409, 'NotApplicable', `The case is ${file.status}: ${what} does not apply to it now.`, { case: { id, status: file.status } });
    }
    res.json({ status: applied.outcome, case: { id, status: file.status, rev: file.rev } });
  });
}
