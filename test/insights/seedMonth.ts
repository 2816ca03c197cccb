// A month of cases (November 2026) written to a store, with cases on both sides of it and two damaged
// documents inside it. The tests that use it spell out what it must count to by hand.
import { randomUUID } from 'node:crypto';
import { type CaseFacts, CASE_FACTS_VERSION, caseFactsKey } from '../../src/insights/caseFacts';
import type { KeyValueStore } from '../../src/storage/store';
import { damageBlob as damageBlobDocument, damageSqliteRow } from '../support/damage';

export const MONTH = { from: '2026-11-01', to: '2026-11-30' } as const;

/** `takenAfter`: the minutes each case of the pattern waited for the help desk to take it, first case first; none for a case still waiting. */
type Pattern = Pick<CaseFacts, 'protocol' | 'version' | 'failedAt' | 'outcome' | 'solvedAt'> & { day: string; count: number; touched?: string; takenAfter?: number[] };

const PATTERNS: Pattern[] = [
  { day: '2026-11-03', count: 5, protocol: 'pop3', version: '2019', outcome: 'solved', failedAt: 'service', solvedAt: 'service' },
  // Taken after 5, 12, 30, 8 and 90 minutes; the 15th's still waits: the month's median wait is 12 minutes.
  { day: '2026-11-10', count: 3, protocol: 'imap4', version: '2016', outcome: 'escalated', failedAt: 'connector', takenAfter: [5, 12, 30] },
  { day: '2026-11-10', count: 2, protocol: 'pop3', version: 'Online', outcome: 'escalated', failedAt: 'onlineAuth', takenAfter: [8, 90] },
  { day: '2026-11-15', count: 1, protocol: 'pop3', outcome: 'escalated', failedAt: 'connector' },
  { day: '2026-11-21', count: 4, protocol: 'imap4', version: 'SE', outcome: 'open', failedAt: 'mailbox' },
  // Touched an hour ago, whenever the test runs: still open, not abandoned.
  { day: '2026-11-30', count: 1, protocol: 'pop3', outcome: 'open', touched: 'now' },
  { day: '2026-11-30', count: 2, protocol: 'imap4', version: '2013', outcome: 'solved', failedAt: 'clientSettings' },
  // Outside the month: never read, never counted (their quick takes would pull the median down to 3 minutes).
  { day: '2026-10-31', count: 3, protocol: 'pop3', version: '2010', outcome: 'escalated', failedAt: 'connector', takenAfter: [1, 1, 1] },
  { day: '2026-12-01', count: 2, protocol: 'pop3', version: '2010', outcome: 'escalated', failedAt: 'connector', takenAfter: [1, 1] },
];

/** A case cut off mid-document, as a torn write leaves it, and JSON that is no case's facts (a hand edit). */
export const DAMAGED = [
  { key: 'cases/2026-11-12/torn', raw: Buffer.from('{"v":1,"caseId":"torn","outcome":"sol', 'utf8') },
  { key: 'cases/2026-11-13/hand-edit', raw: Buffer.from('{"note":"counted twice, fixed by hand"}', 'utf8') },
];

function facts(pattern: Pattern, i: number): CaseFacts {
  const { day, count: _count, touched, takenAfter, ...rest } = pattern;
  const startedAt = `${day}T09:00:00.000Z`;
  const updatedAt = touched === 'now' ? new Date(Date.now() - 60 * 60 * 1000).toISOString() : `${day}T09:20:00.000Z`;
  const waited = takenAfter?.[i];
  return {
    v: CASE_FACTS_VERSION,
    caseId: randomUUID(),
    rev: 3,
    startedAt,
    updatedAt,
    language: 'ja',
    ...rest,
    ...(rest.outcome === 'escalated' ? { escalatedAt: updatedAt } : {}),
    ...(waited !== undefined ? { takenAt: new Date(Date.parse(updatedAt) + waited * 60_000).toISOString() } : {}),
    ...(rest.outcome === 'solved' ? { solvedAtTime: updatedAt } : {}),
  };
}

/** Writes the month's cases through the store, then `damage` writes the damaged documents' bytes as they are. */
export async function seedMonth(store: KeyValueStore, damage: (key: string, raw: Buffer) => Promise<void>): Promise<void> {
  for (const pattern of PATTERNS) {
    for (let i = 0; i < pattern.count; i++) {
      const one = facts(pattern, i);
      await store.write(caseFactsKey(one.caseId, one.startedAt), one);
    }
  }
  for (const { key, raw } of DAMAGED) await damage(key, raw);
}

/** Writes bytes under `key` of a SQLite store's file behind its back, as a torn write or a hand edit leaves them. */
export function damageSqlite(file: string) {
  return async (key: string, raw: Buffer) => {
    damageSqliteRow(file, key, raw);
  };
}

/** The same in a Blob Storage container. */
export function damageBlob(connectionString: string, container: string) {
  return async (key: string, raw: Buffer) => {
    await damageBlobDocument(connectionString, container, key, raw);
  };
}
