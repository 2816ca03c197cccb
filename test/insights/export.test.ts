// `npm run report`, the lead's export, run as the operator runs it: the script as its own process over the
// compiled bot, reading a seeded month from the configured store (a SQLite file, then Azure Blob Storage in
// Azurite), writing CSV or JSON to stdout.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { reportCsv } from '../../src/insights/export';
import { summarize } from '../../src/insights/report';
import { BlobStore } from '../../src/storage/blobStore';
import { SqliteStore } from '../../src/storage/sqliteStore';
import { type Azurite, startAzurite } from '../support/azurite';
import { TeamsUser, startBot } from '../support/bot';
import { DETAILS } from '../support/escalate';
import { buildBot } from '../support/process';
import { MONTH, damageBlob, damageSqlite, seedMonth } from './seedMonth';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts', 'report.mts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The script as a child process, configured by `env` alone like the bot (none of this process's bot settings). */
async function report(args: string[], env: Record<string, string>): Promise<Run> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(STATE_|AZURE_STORAGE_|Microsoft|HELPDESK_)/.test(name)));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT, ...args], { cwd: ROOT, env: { ...inherited, ...env }, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let dir: string;
let azurite: Azurite;
const sqliteEnv: Record<string, string> = {};
const blobEnv: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'report-export-'));
  const [, started] = await Promise.all([buildBot(), startAzurite()]);
  azurite = started;
  const file = path.join(dir, 'state.sqlite');
  const sqlite = new SqliteStore(file);
  await seedMonth(sqlite, damageSqlite(file));
  await sqlite.close();
  Object.assign(sqliteEnv, { STATE_STORE: 'sqlite', STATE_DB_PATH: file });
  const container = `report-${randomUUID().slice(0, 8)}`;
  await seedMonth(new BlobStore({ connectionString: azurite.connectionString }, container), damageBlob(azurite.connectionString, container));
  Object.assign(blobEnv, { STATE_STORE: 'blob', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, AZURE_STORAGE_CONTAINER: container });
}, 180_000);
afterAll(async () => {
  await azurite?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const MONTH_ARGS = ['--from', MONTH.from, '--to', MONTH.to];

// seedMonth's November, counted by hand: 5 pop3/2019 solved at the service step; 3 imap4/2016 and 2 pop3/Online
// escalated (connector, onlineAuth); 1 pop3 escalated with no version (connector); 4 imap4/SE untouched since
// the 21st (abandoned, mailbox); on the 30th 1 pop3 touched an hour ago (open) and 2 imap4/2013 solved with no
// step on screen (client settings had failed). Plus a torn document and a hand-edited one. Five of the six
// escalations were taken, after 5, 12, 30, 8 and 90 minutes: a median of 12.
const EXPECTED_ROWS = [
  'section,key,value',
  'period,from,2026-11-01',
  'period,to,2026-11-30',
  'cases,all,18',
  'outcome,solved,7',
  'outcome,escalated,6',
  'outcome,abandoned,4',
  'outcome,open,1',
  'solvedAt,service,5',
  'solvedAt,elsewhere,2',
  'solvedAt,connector,0',
  'failedAt.pop3,service,5',
  'failedAt.pop3,onlineAuth,2',
  'failedAt.pop3,connector,1',
  'failedAt.pop3,mailbox,0',
  'failedAt.imap4,connector,3',
  'failedAt.imap4,mailbox,4',
  'failedAt.imap4,clientSettings,2',
  'failedAt.imap4,service,0',
  'escalations,2016,3',
  'escalations,Online,2',
  'escalations,unknown,1',
  'escalations,2010,0',
  'day,2026-11-01,0',
  'day,2026-11-03,5',
  'day,2026-11-10,5',
  'day,2026-11-15,1',
  'day,2026-11-21,4',
  'day,2026-11-30,3',
  'medianMinutesToTake,all,12',
  'skipped,damaged,2',
];

describe.each([
  ['SQLite', sqliteEnv],
  ['Azure Blob Storage', blobEnv],
])('npm run report over a seeded month in %s', (_store, env) => {
  it('writes the month as CSV rows section,key,value with the hand-counted figures', async () => {
    const run = await report([...MONTH_ARGS, '--format', 'csv'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.endsWith('\r\n')).toBe(true);
    const rows = run.stdout.split('\r\n').slice(0, -1);
    expect(rows[0]).toBe('section,key,value');
    expect(rows).toEqual(expect.arrayContaining(EXPECTED_ROWS));
    const days = rows.filter((row) => row.startsWith('day,'));
    expect(days).toHaveLength(30);
    expect(days.reduce((sum, row) => sum + Number(row.split(',')[2]), 0)).toBe(18);
    // October 31st and December 1st are outside: no row of theirs, and their 2010 escalations are not counted.
    expect(rows.filter((row) => /2026-1[02]-/.test(row))).toEqual([]);
  });

  it('writes the month as JSON: the report as the card shows it, with its schema and the damaged documents', async () => {
    const run = await report([...MONTH_ARGS, '--format', 'json'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      schema: 'popimap-bot/report@1',
      from: '2026-11-01',
      to: '2026-11-30',
      cases: 18,
      outcomes: { solved: 7, escalated: 6, abandoned: 4, open: 1 },
      solvedAt: { service: 5, elsewhere: 2 },
      failedAt: { pop3: { service: 5, onlineAuth: 2, connector: 1 }, imap4: { connector: 3, mailbox: 4, clientSettings: 2 } },
      escalationsByVersion: { 2016: 3, Online: 2, unknown: 1 },
      medianMinutesToTake: 12,
      damaged: 2,
    });
    expect(Object.keys(json.escalationsByVersion as object).sort()).toEqual(['2016', 'Online', 'unknown']);
    const perDay = json.casesPerDay as Array<{ day: string; cases: number }>;
    expect(perDay).toHaveLength(30);
    expect(perDay.filter((d) => d.cases > 0)).toEqual([
      { day: '2026-11-03', cases: 5 },
      { day: '2026-11-10', cases: 5 },
      { day: '2026-11-15', cases: 1 },
      { day: '2026-11-21', cases: 4 },
      { day: '2026-11-30', cases: 3 },
    ]);
  });
});

describe('npm run report over a case still open', () => {
  it("counts the case at the step its conversation holds, not as it began, while the bot that keeps it runs", async () => {
    const file = path.join(dir, 'open.sqlite');
    const bot = await startBot({ dbPath: file });
    try {
      const admin = new TeamsUser(bot);
      await admin.joins();
      await admin.click('details', { next: 'walk' }, DETAILS);
      await admin.click('stillFailing');
      await admin.click('haveAccess');
      await admin.click('stillFailing');
      await admin.click('thisFailed');
      const today = new Date().toISOString().slice(0, 10);
      const run = await report(['--from', today, '--to', today, '--format', 'csv'], { STATE_STORE: 'sqlite', STATE_DB_PATH: file });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const rows = run.stdout.split('\r\n');
      // Step 2 failed after the case began: only its conversation says so.
      expect(rows).toEqual(expect.arrayContaining(['cases,all,1', 'outcome,open,1', `failedAt.${DETAILS.protocol},serverSettings,1`]));
    } finally {
      await bot.stop();
    }
  });
});

describe('npm run report refuses what it cannot read', () => {
  it.each([
    [['--to', '2026-11-30'], /^--from is missing\. Usage: /],
    [['--from', '2026-11-31', '--to', '2026-12-01'], /^--from "2026-11-31" is not a day written YYYY-MM-DD\./],
    [['--from', '2026-11-30', '--to', '2026-11-01'], /^--from 2026-11-30 is after --to 2026-11-01\./],
    [['--from', '2025-11-01', '--to', '2026-11-30'], /^the period is 395 days; at most 366/],
    [[...MONTH_ARGS, '--format', 'xlsx'], /^--format "xlsx" is neither csv nor json\./],
    [[...MONTH_ARGS, '--days', '7'], /--days.*Usage: /],
  ])('%j: one line on stderr, exit code 2, nothing on stdout', async (args, message) => {
    const run = await report(args, sqliteEnv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('refuses a SQLite file that is not the bot\'s store, and leaves it as it was', async () => {
    const other = path.join(dir, 'other.sqlite');
    const db = new DatabaseSync(other);
    db.exec('CREATE TABLE invoices (id INTEGER)');
    db.close();
    const run = await report(MONTH_ARGS, { STATE_STORE: 'sqlite', STATE_DB_PATH: other });
    expect(run.code).toBe(1);
    const after = new DatabaseSync(other, { readOnly: true });
    const tables = after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((row) => (row as { name: string }).name);
    after.close();
    expect(tables).toEqual(['invoices']);
  });

  it('does not create an empty store where the configured SQLite file is missing', async () => {
    const missing = path.join(dir, 'nowhere', 'state.sqlite');
    const run = await report(MONTH_ARGS, { STATE_STORE: 'sqlite', STATE_DB_PATH: missing });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`no store at STATE_DB_PATH=${missing}`);
    expect(run.stdout).toBe('');
  });
});

describe('the CSV a spreadsheet reads', () => {
  it('quotes a field holding a comma, a quote or a line break as RFC 4180 asks', () => {
    const report = summarize([], '2026-11-01', '2026-11-01', new Date('2026-11-02T00:00:00Z'));
    const odd = { ...report, from: 'from "here", on\nNovember' };
    expect(reportCsv({ report: odd, damaged: 0 }).split('\r\n')[1]).toBe('period,from,"from ""here"", on\nNovember"');
  });
});
