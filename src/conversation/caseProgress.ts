// An open case as it stands now, for the help-desk lead's report. Its document holds what was known when it
// began; every later step is in its conversation, written by every turn anyway (caseFiling), so the report reads
// it there rather than every turn writing the case's document too.
import { type CaseFacts, withEarlierTimes } from '../insights/caseFacts';
import type { ProgressReader } from '../insights/readCases';
import { DamagedValueError, type KeyValueStore } from '../storage/store';
import { lastMoved } from './caseFiling';
import { factsOfTurn } from './caseKeeping';
import { type ConversationRecord, restore } from './record';

/**
 * Reads an open case's progress from the conversation its document points to. The document as written stands
 * when the conversation holds another case now (it was left, and its last write failed), or none, or cannot be
 * read as this flow's (damaged, or from an older flow): a report never writes, and never fails on one case.
 */
export function progressIn(store: KeyValueStore): ProgressReader {
  return async (begun: CaseFacts): Promise<CaseFacts> => {
    const key = begun.conversation;
    if (key === undefined) return begun;
    const stored = await store.read<ConversationRecord>(key).catch((error: unknown) => {
      if (error instanceof DamagedValueError) return undefined;
      throw error;
    });
    const record = stored?.value;
    if (!record || record.case?.id !== begun.caseId) return begun;
    const restored = restore(record);
    if (restored.restarted || !restored.case) return begun;
    const now = lastMoved(restored.case, new Date(begun.updatedAt));
    const facts = factsOfTurn({ case: { id: begun.caseId, startedAt: begun.startedAt }, snapshot: restored.snapshot, rev: restored.rev, language: restored.case.language ?? begun.language, tenantId: begun.tenantId, now });
    return withEarlierTimes(facts, begun);
  };
}
