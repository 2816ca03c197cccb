// Structured logs for operators. What admins type (mailbox names, pasted errors, notes) and every
// credential stay out: only ids, types and outcomes are logged.
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
