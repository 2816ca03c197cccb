// Step 6: the help-desk lead's report over a big month, from dist/: BENCH_CASES case facts (default 100,000)
// spread over the 30 days of November 2026 in a fresh SQLite store, a third of them open and read from their
// conversation as the bot keeps it, then the time to read them (readCases, day by day as the card and
// `npm run report` do) and to summarise them, best and median of a few passes.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { CaseFacts, caseFacts as CaseFactsOf, caseFactsKey as CaseFactsKey } from '../src/insights/caseFacts.ts';
import type { summarize as Summarize } from '../src/insights/report.ts';
import type { validateDetails as ValidateDetails } from '../src/flow/details.ts';
import type { initialSnapshot as InitialSnapshot, troubleshootingMachine as Machine } from '../src/flow/machine.ts';
import { positiveInt } from './settings.mts';

const require = createRequire(import.meta.url);

// What the bench needs of the store and of readCases, spelled out: importing their sources would bring the
// store's classes into a project that only strips types.
interface CaseStore {
  keys(prefix: string): Promise<string[]>;
  read<T>(key: string): Promise<{ value: T; etag: string } | undefined>;
  write(key: string, value: unknown, etag?: string | null): Promise<string>;
  close(): Promise<void>;
}
type Progress = (begun: CaseFacts) => Promise<CaseFacts>;
type ReadCases = (store: CaseStore, from: string, to: string, progress: Progress) => Promise<{ cases: CaseFacts[]; damaged: number }>;
type ProgressIn = (store: CaseStore) => Progress;
/** The conversation record as src/conversation/record.ts makes it, with the case ref the report reads. */
type ToRecord = (
  snapshot: ReturnType<typeof Machine.resolveState>,
  rev: number,
  kept: { seen: string[]; escalations: string[]; epoch: string; case: { id: string; startedAt: string; at: string; language: string; filed: 'open' } },
) => unknown;
const CASES = positiveInt('BENCH_CASES', 100_000);
const PASSES = 5;
const PERIOD = { from: '2026-11-01', to: '2026-11-30' };

export interface InsightsFigures {
  cases: number;
  days: number;
  sqliteMB: number;
  passes: number;
  readMs: { best: number; median: number };
  summarizeMs: { best: number; median: number };
  totalMs: { best: number; median: number };
  /** This process's CPU time for reading and summarising: steadier than wall time on a shared machine. */
  totalCpuMs: { best: number; median: number };
  /** The machine's 1-minute load average at the end (2 cores here): above 2, other processes slowed the wall times. */
  loadAverage: number;
  /** What writing a case's document costs as the case begins or ends (a read, the facts, a write with its eTag). */
  recordingMicroseconds: { turns: number; wall: number; cpu: number };
  note: string;
}

/** The i-th case's conversation, for an open case: as the bot keeps one at step 4 of a POP3 case. */
const conversationKey = (i: number) => `conversation/msteams/bench-${i}`;

let atStep4: ReturnType<typeof Machine.resolveState> | undefined;

function conversationOf(one: CaseFacts): string {
  const { toRecord } = require('../dist/conversation/record.js') as { toRecord: ToRecord };
  if (!atStep4) {
    const { validateDetails } = require('../dist/flow/details.js') as { validateDetails: typeof ValidateDetails };
    const { initialSnapshot, troubleshootingMachine } = require('../dist/flow/machine.js') as { initialSnapshot: typeof InitialSnapshot; troubleshootingMachine: typeof Machine };
    const { details } = validateDetails({ protocol: 'pop3', version: '2019', server: 'EX01.contoso.com', mailbox: 'taro@contoso.com', errorText: '-ERR Logon failure: unknown user name or bad password.' });
    atStep4 = troubleshootingMachine.resolveState({ value: 'checkingStep', context: { ...initialSnapshot().context, details, step: 'mailbox' } });
  }
  const snapshot = atStep4;
  const ref = { id: one.caseId, startedAt: one.startedAt, at: one.updatedAt, language: one.language, filed: 'open' as const };
  return JSON.stringify(toRecord(snapshot, 7, { seen: [], escalations: [], epoch: 'bench', case: ref }));
}

/** The i-th case: every outcome, protocol, version and failed step turns up, in a fixed order. */
function facts(i: number): CaseFacts {
  const startedAt = new Date(Date.parse(`${PERIOD.from}T00:00:00Z`) + ((i * 2_591_999_017) % 2_592_000_000)).toISOString();
  const outcome = (['solved', 'escalated', 'open'] as const)[i % 3]!;
  return {
    v: 1,
    caseId: `bench-${i}`,
    rev: 4,
    startedAt,
    updatedAt: startedAt,
    language: i % 2 ? 'ja' : 'en',
    protocol: i % 5 < 2 ? 'imap4' : 'pop3',
    version: (['2010', '2013', '2016', '2019', 'SE', 'Online'] as const)[i % 6]!,
    stepReached: 'mailbox',
    failedAt: (['clientSettings', 'service', 'serverSettings', 'mailbox', 'connector'] as const)[i % 5]!,
    outcome,
    ...(outcome === 'solved' ? { solvedAt: 'serverSettings' as const, solvedAtTime: startedAt } : {}),
    ...(outcome === 'escalated' ? { escalatedAt: startedAt } : {}),
    ...(outcome === 'open' ? { conversation: conversationKey(i) } : {}),
  };
}

const stats = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { best: Math.round(sorted[0]!), median: Math.round(sorted[Math.floor(sorted.length / 2)]!) };
};

/** One case's document written over and over: the work keepCaseFacts adds to a turn that begins or ends a case. */
async function measureRecording(file: string, turns: number): Promise<InsightsFigures['recordingMicroseconds']> {
  const { SqliteStore } = require('../dist/storage/sqliteStore.js') as { SqliteStore: new (file: string) => CaseStore };
  const { caseFacts, caseFactsKey } = require('../dist/insights/caseFacts.js') as { caseFacts: typeof CaseFactsOf; caseFactsKey: typeof CaseFactsKey };
  const store = new SqliteStore(file);
  const context = { details: { protocol: 'pop3' as const, version: '2019' as const }, detailErrors: [], journal: [], step: 'service' as const };
  const startedAt = new Date().toISOString();
  const key = caseFactsKey('recording', startedAt);
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let rev = 1; rev <= turns; rev++) {
      const stored = await store.read<CaseFacts>(key);
      const moment = { caseId: 'recording', rev, startedAt, now: new Date(), language: 'en' as const, before: stored?.value };
      await store.write(key, caseFacts('checkingStep', context, moment), stored?.etag ?? null);
    }
    const wall = ((performance.now() - t0) * 1000) / turns;
    const { user, system } = process.cpuUsage(cpu0);
    return { turns, wall: Math.round(wall), cpu: Math.round((user + system) / turns) };
  } finally {
    await store.close();
  }
}

export async function measureInsights(): Promise<InsightsFigures> {
  const { SqliteStore } = require('../dist/storage/sqliteStore.js') as { SqliteStore: new (file: string) => CaseStore };
  const { caseFactsKey } = require('../dist/insights/caseFacts.js') as { caseFactsKey: typeof CaseFactsKey };
  const { readCases } = require('../dist/insights/readCases.js') as { readCases: ReadCases };
  const { progressIn } = require('../dist/conversation/caseProgress.js') as { progressIn: ProgressIn };
  const { summarize } = require('../dist/insights/report.js') as { summarize: typeof Summarize };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'popimap-bench-insights-'));
  const file = path.join(dir, 'state.sqlite');
  try {
    // The store makes its own table; the cases go in through one transaction, which is setup, not measured.
    await new SqliteStore(file).close();
    const db = new DatabaseSync(file);
    const insert = db.prepare('INSERT INTO documents (key, value, etag) VALUES (?, ?, 1)');
    db.exec('BEGIN');
    for (let i = 0; i < CASES; i++) {
      const one = facts(i);
      insert.run(caseFactsKey(one.caseId, one.startedAt), JSON.stringify(one));
      if (one.conversation) insert.run(one.conversation, conversationOf(one));
    }
    db.exec('COMMIT');
    db.close();
    const store = new SqliteStore(file);
    const reads: number[] = [];
    const summaries: number[] = [];
    const totals: number[] = [];
    const cpu: number[] = [];
    try {
      for (let pass = 0; pass < PASSES; pass++) {
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const { cases, damaged } = await readCases(store, PERIOD.from, PERIOD.to, progressIn(store));
        const t1 = performance.now();
        const report = summarize(cases, PERIOD.from, PERIOD.to, new Date());
        const t2 = performance.now();
        const { user, system } = process.cpuUsage(cpu0);
        cpu.push((user + system) / 1000);
        if (report.cases !== CASES || damaged !== 0) throw new Error(`the report counted ${report.cases} cases and ${damaged} damaged of ${CASES} written`);
        // The open cases were read from their conversations, which have them at step 4.
        if (report.outcomes.open + report.outcomes.abandoned !== Math.floor(CASES / 3)) throw new Error(`the report counted ${report.outcomes.open + report.outcomes.abandoned} open cases`);
        reads.push(t1 - t0);
        summaries.push(t2 - t1);
        totals.push(t2 - t0);
      }
    } finally {
      await store.close();
    }
    return {
      cases: CASES,
      days: 30,
      sqliteMB: Math.round((statSync(file).size / 1024 / 1024) * 10) / 10,
      passes: PASSES,
      readMs: stats(reads),
      summarizeMs: stats(summaries),
      totalMs: stats(totals),
      totalCpuMs: stats(cpu),
      loadAverage: Math.round(os.loadavg()[0]! * 10) / 10,
      recordingMicroseconds: await measureRecording(path.join(dir, 'recording.sqlite'), 5000),
      note: 'readCases reads each case by its key (KeyValueStore has no bulk read), and each open case (a third) its conversation too, so reading dominates; summarising is pure and small',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function insightsLines(f: InsightsFigures): string[] {
  return [
    `insights: the report over ${f.cases} cases in ${f.days} days (SQLite, ${f.sqliteMB} MB): read ${f.readMs.median} ms, summarise ${f.summarizeMs.median} ms, ` +
      `together ${f.totalMs.median} ms (median of ${f.passes}; best ${f.totalMs.best} ms), CPU ${f.totalCpuMs.median} ms; load average ${f.loadAverage}`,
    `insights: recording a case's document as it begins or ends (read, facts, write with eTag; SQLite) ${f.recordingMicroseconds.wall} µs, ${f.recordingMicroseconds.cpu} µs of CPU, over ${f.recordingMicroseconds.turns} turns`,
  ];
}
