// Structured logs for operators. What admins type (mailbox names, pasted errors, notes) and every
// credential stay out: only ids, types and outcomes are logged.
import { format } from 'node:util';
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  '*.MicrosoftAppPassword',
  '*.appPassword',
  '*.password',
  '*.text',
  '*.value',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'popimap-bot' } }, destination);
}

/**
 * Libraries print to the console (botbuilder prints every token it refuses, with the keys it tried) and Node
 * prints its warnings to stderr. Both become JSON lines, as every line the process writes is one JSON object;
 * console lines at debug level, since the door already logs each refusal, at a bounded rate.
 */
export function keepOutputInLog(log: Logger): void {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    console[method] = (...args: unknown[]) => log.debug({ console: method }, format(...args));
  }
  process.removeAllListeners('warning').on('warning', (warning) => log.warn({ err: warning }, 'Node.js warning'));
}
