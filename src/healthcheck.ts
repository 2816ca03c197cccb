// The container's HEALTHCHECK (`node dist/healthcheck.js`): asks the bot's own GET /readyz, on the port and
// interface the bot was configured with, and exits 0 only when the store takes writes. Node makes the request
// itself because a slim base image has no curl or wget.
import { loadConfig } from './config';
import { createLogger } from './logging';

const ANSWER_WITHIN_MS = 4000;

/** A bot listening on every interface is reached on loopback; one bound to a single address, there. */
function readinessUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}/readyz`;
}

/** ECONNREFUSED, ENOTFOUND, TimeoutError ...: fetch hides the socket's error code as its cause. */
function whyUnanswered(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'unknown';
}

async function main(): Promise<number> {
  const config = loadConfig();
  const url = readinessUrl(config.host, config.port);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
    if (response.ok) return 0;
    createLogger('info').error({ url, status: response.status }, 'the bot is not ready: its state store cannot be written or read back; check STATE_DB_PATH (free space, permissions) or the Azure Storage account');
  } catch (error) {
    createLogger('info').error({ url, reason: whyUnanswered(error) }, 'the bot did not answer its readiness check: look at its log for why it stopped or is still starting');
  }
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    createLogger('info').fatal({ err: error }, 'the health check could not run: check the bot\'s configuration (its log names the variable)');
    process.exit(1);
  },
);
