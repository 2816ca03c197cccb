// HTTP: restify in front of the Bot Framework transport. This is the door: every request is refused here, at
// the cost of its headers or of at most MAX_BODY_KB read, unless it is a JSON activity with a valid token
// (or, without credentials, one whose replies stay on this machine). Refusals carry a status and a reason,
// never the SDK's own text, and are logged at a bounded rate.
import restify, { type Server } from 'restify';
import type { Config } from '../config';
import { isLoopbackUrl } from '../config/loopback';
import type { Logger } from '../logging';
import { UNAUTHORIZED } from './tokenCheck';
import { problem, refuser } from './problem';
import { RefusalLog } from './refusalLog';
import { type Refusal, readJsonBody, refuseByHeaders } from './requestBody';
import { type TeamsEdge, readActivity } from './teamsEdge';
import type { Transport } from './transport';

const SERVICE_URL_NOT_ALLOWED: Refusal = {
  status: 403,
  code: 'ServiceUrlNotAllowed',
  message: 'Without app credentials the bot replies only to a serviceUrl on this machine (localhost). Set MicrosoftAppId to talk to Teams.',
};

function hasBearerToken(req: restify.Request): boolean {
  return /^Bearer \S/.test(req.headers.authorization ?? '');
}

export function createServer<Caller>(config: Config, transport: Transport<Caller>, edge: TeamsEdge, log: Logger): Server {
  const server = restify.createServer({ name: 'popimap-bot', handleUncaughtExceptions: false });
  const refusals = new RefusalLog(log);
  // Node's own bounds on a request, tighter than its defaults (5 minutes for a request, none for connections):
  // what one unauthenticated sender can hold is a connection and at most MAX_BODY_KB, for seconds.
  server.server.requestTimeout = 30_000;
  server.server.headersTimeout = 15_000;
  server.server.maxConnections = 2_048;
  server.on('close', () => refusals.flush());
  const refuse = refuser(refusals);

  server.get('/healthz', async (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Agents Playground and health probes check that the endpoint exists before posting to it.
  server.head('/api/messages', async (_req, res) => {
    res.status(200);
    res.end();
  });

  server.post('/api/messages', async (req, res) => {
    const early = refuseByHeaders(req, config.maxBodyBytes) ?? (config.identity && !hasBearerToken(req) ? UNAUTHORIZED : undefined);
    if (early) return refuse(res, early);
    const reading = await readJsonBody(req, config.maxBodyBytes);
    if ('refusal' in reading) return refuse(res, reading.refusal);
    const body = reading.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return refuse(res, { status: 400, code: 'InvalidActivity', message: 'The request body must be a JSON Bot Framework activity.' });
    }
    if (typeof (body as { type?: unknown }).type !== 'string') {
      return refuse(res, { status: 400, code: 'InvalidActivity', message: 'The activity has no "type".' });
    }
    const read = readActivity(body);
    if ('problems' in read) {
      return refuse(res, { status: 400, code: 'InvalidActivity', message: `The activity is missing or has an invalid ${read.problems.join(', ')}.` });
    }
    if (!config.identity && !isLoopbackUrl(read.activity.serviceUrl)) return refuse(res, SERVICE_URL_NOT_ALLOWED);
    const checked = await transport.authenticate(body, req.headers.authorization ?? '');
    if ('refusal' in checked) return refuse(res, checked.refusal, { reason: checked.reason });
    try {
      const invoke = await transport.runTurn(checked.caller, body, (turn) => edge.run(turn, read.activity));
      res.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined) res.json(invoke.body);
      else res.end();
    } catch (error) {
      log.error({ err: error, conversation: read.activity.conversation.id }, 'the turn failed outside the conversation');
      if (!res.headersSent) problem(res, 500, 'TurnFailed', 'The bot could not handle this activity. Send it again; if it keeps failing, tell the bot\'s operator.');
    }
  });

  server.on('restifyError', (req: restify.Request, res: restify.Response, error: Error & { statusCode?: number }, next: () => void) => {
    refusals.note(error.statusCode ?? res.statusCode, error.name, { path: req.path() });
    next();
  });
  return server;
}
