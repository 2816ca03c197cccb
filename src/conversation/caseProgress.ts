// An open case as it stands now, for the help-desk lead's report. Its document holds what was known when it
// began; every later step is in its conversation, written by every turn anyway (caseFiling), so the report reads
// it there rather than every turn writing the case's document too.
import { caseFacts, type CaseFacts } from '../insights/caseFacts';
import type { ProgressReader } from '../insights/readCases';
import { DamagedValueError, type KeyValueStore } from '../storage/store';
import { type ConversationRecord, restore, stateName } from './record';

const isTime = (value: string | undefined): value is string => value !== undefined && !Number.isNaN(Date.parse(value));

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
    const ref = record?.case;
    if (!record || ref?.id !== begun.caseId) return begun;
    const restored = restore(record);
    if (restored.restarted) return begun;
    const moment = {
      caseId: begun.caseId,
      rev: restored.rev,
      startedAt: begun.startedAt,
      now: new Date(isTime(ref.at) ? ref.at : begun.updatedAt),
      language: restored.case?.language ?? begun.language,
      tenantId: begun.tenantId,
      before: begun,
    };
    return caseFacts(stateName(restored.snapshot), restored.snapshot.context, moment);
  };
}
