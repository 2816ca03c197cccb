// HTTP: restify in front of the Bot Framework CloudAdapter. Requests that cannot be an activity are
// answered here with a status and a reason, before the adapter or the conversation see them.
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import restify, { type Server } from 'restify';
import type { Config } from '../config';
import { resolveLanguage, translatorFor } from '../i18n';
import type { Logger } from '../logging';
import { type TeamsEdge, readActivity } from './teamsEdge';

export function createAdapter(config: Config, log: Logger): CloudAdapter {
  const identity = config.identity;
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: identity?.appId ?? '',
    MicrosoftAppPassword: identity?.appPassword ?? '',
    MicrosoftAppType: identity?.appType ?? '',
    MicrosoftAppTenantId: identity?.tenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    log.error({ err: error, conversation: context.activity.conversation?.id, type: context.activity.type }, 'turn failed');
    // Best effort: the user hears that something broke. The turn may have saved its state before the
    // reply failed, so the message does not claim either way.
    try {
      const t = translatorFor(resolveLanguage(undefined, context.activity.locale));
      await context.sendActivity(t('notice.turnFailed'));
    } catch (sendError) {
      log.warn({ err: sendError }, 'could not tell the user about the failed turn');
    }
  };
  return adapter;
}

function problem(res: restify.Response, status: number, code: string, message: string): void {
  res.status(status);
  res.json({ code, message });
}

export function createServer(config: Config, adapter: CloudAdapter, edge: TeamsEdge, log: Logger): Server {
  const server = restify.createServer({ name: 'popimap-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: config.maxBodyBytes, mapParams: false }));

  server.get('/healthz', async (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Agents Playground and health probes check that the endpoint exists before posting to it.
  server.head('/api/messages', async (_req, res) => {
    res.status(200);
    res.end();
  });

  server.post('/api/messages', async (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      problem(res, 400, 'InvalidActivity', 'The request body must be a JSON Bot Framework activity.');
      return;
    }
    if (typeof (body as { type?: unknown }).type !== 'string') {
      problem(res, 400, 'InvalidActivity', 'The activity has no "type".');
      return;
    }
    const read = readActivity(body);
    if ('problems' in read) {
      problem(res, 400, 'InvalidActivity', `The activity is missing or has an invalid ${read.problems.join(', ')}.`);
      return;
    }
    try {
      await adapter.process(req, res, (context) => edge.run(context, read.activity));
    } catch (error) {
      log.error({ err: error }, 'request failed before the turn ran');
      if (!res.headersSent) problem(res, 400, 'InvalidActivity', 'The activity could not be read.');
    }
  });

  server.on('restifyError', (req: restify.Request, _res: restify.Response, error: Error & { statusCode?: number }, next: () => void) => {
    log.warn({ status: error.statusCode, name: error.name, path: req.path() }, 'request rejected');
    next();
  });
  return server;
}
