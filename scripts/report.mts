// The help-desk lead's report for their own tools, from the store the bot is configured with:
//
//   npm run -s report -- --from 2026-11-01 --to 2026-11-30 --format csv > november.csv
//
// (-s keeps npm's own banner out of stdout.) Builds the bot, reads its configuration from the environment
// exactly as the bot does (STATE_STORE, STATE_DB_PATH, AZURE_STORAGE_*: see "Configuration" in README.md),
// reads the cases that started in the period (UTC days, inclusive; open ones as their conversations hold them
// now) and writes the report to stdout: CSV rows `section,key,value` or JSON (src/insights/export.ts). Read
// only: damaged case documents are skipped and counted in the output, and left where they are. Bad arguments: one line on stderr, exit code 2; a store that
// cannot be read or a configuration that is not valid: exit code 1.
//
// Runs on Node 24's type stripping and the compiled bot in dist/, as bench/ does, so it imports no .ts file.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { createStore as CreateStore } from '../src/app';
import type { SqliteStore as SqliteStoreClass } from '../src/storage/sqliteStore';
import type { loadConfig as LoadConfig } from '../src/config';
import type { reportCsv as ReportCsv, reportJson as ReportJson } from '../src/insights/export';
import type { readCases as ReadCases } from '../src/insights/readCases';
import type { progressIn as ProgressIn } from '../src/conversation/caseProgress';
import type { summarize as Summarize } from '../src/insights/report';

const root = path.resolve(path.dirname(process.argv[1]!), '..');
const require = createRequire(path.join(root, 'dist', 'index.js'));
const USAGE = 'Usage: npm run -s report -- --from YYYY-MM-DD --to YYYY-MM-DD [--format csv|json]';
/** Longer periods are almost always a mistyped year, and would list a day's keys for every day of it. */
const MAX_DAYS = 366;

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** A real calendar day: 2026-02-30 is refused rather than read as March 2nd. */
function day(name: string, value: string | undefined): string {
  if (value === undefined) fail(`--${name} is missing. ${USAGE}`, 2);
  const time = Date.parse(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    fail(`--${name} "${value}" is not a day written YYYY-MM-DD. ${USAGE}`, 2);
  }
  return value;
}

function options(): { from: string; to: string; format: 'csv' | 'json' } {
  let values: { from?: string; to?: string; format?: string };
  try {
    ({ values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' } } }));
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}. ${USAGE}`, 2);
  }
  const from = day('from', values.from);
  const to = day('to', values.to);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days < 1) fail(`--from ${from} is after --to ${to}. ${USAGE}`, 2);
  if (days > MAX_DAYS) fail(`the period is ${days} days; at most ${MAX_DAYS} at once. ${USAGE}`, 2);
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') fail(`--format "${format}" is neither csv nor json. ${USAGE}`, 2);
  return { from, to, format };
}

const { from, to, format } = options();
if (!existsSync(path.join(root, 'dist', 'app.js'))) fail('dist/app.js is missing: run `npm run build` first (`npm run report` does).', 1);
const { loadConfig } = require('./config/index.js') as { loadConfig: typeof LoadConfig };
const { createStore } = require('./app.js') as { createStore: typeof CreateStore };
const { SqliteStore } = require('./storage/sqliteStore.js') as { SqliteStore: typeof SqliteStoreClass };
const { readCases } = require('./insights/readCases.js') as { readCases: typeof ReadCases };
const { progressIn } = require('./conversation/caseProgress.js') as { progressIn: typeof ProgressIn };
const { summarize } = require('./insights/report.js') as { summarize: typeof Summarize };
const { reportCsv, reportJson } = require('./insights/export.js') as { reportCsv: typeof ReportCsv; reportJson: typeof ReportJson };

let config: ReturnType<typeof LoadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error), 1);
}
// Opening a SQLite file that is not there would create an empty store and report nothing, as if all were quiet.
if (config.store.kind === 'sqlite' && !existsSync(config.store.path)) {
  fail(`no store at STATE_DB_PATH=${config.store.path} (resolved from ${process.cwd()}): set STATE_DB_PATH to the bot's SQLite file`, 1);
}
// The bot's own file, opened read-only: the export changes nothing in it. (Blob Storage is read through the bot's
// store, which creates its container when it is missing: a mistyped container name reports no case.)
let store: ReturnType<typeof CreateStore>;
try {
  store = config.store.kind === 'sqlite' ? new SqliteStore(config.store.path, { readOnly: true }) : createStore(config);
} catch (error) {
  fail(`the store cannot be opened: ${error instanceof Error ? error.message : String(error)}`, 1);
}
// A promise chain, not top-level await: tsconfig.json checks scripts/ as CommonJS.
readCases(store, from, to, progressIn(store))
  .then(({ cases, damaged }) => {
    const exported = { report: summarize(cases, from, to, new Date()), damaged };
    process.stdout.write(format === 'csv' ? reportCsv(exported) : reportJson(exported));
  })
  .catch((error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}${cause}\n`);
    process.exitCode = 1;
  })
  .finally(() => store.close());
