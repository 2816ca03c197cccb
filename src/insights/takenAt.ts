// When the help desk first took an escalated case, added to that case's facts so the lead's report can say how
// long escalations waited. The case file notes it (src/escalation), long after the admin's turn wrote the facts:
// it changes nothing else in them, and a turn writing the facts later keeps it (caseFacts).
import type { CaseFacts } from './caseFacts';
import { isCaseFacts } from './readCases';
import { DamagedValueError, EtagConflictError, type KeyValueStore } from '../storage/store';

/** What became of a take: noted, noted before, or facts that are not there to note it in (left as they are). */
export type TakenNote = 'noted' | 'alreadyNoted' | 'missing' | 'damaged';

// A turn of the admin's racing the note: the loser reads the winner's facts and adds to those.
const ATTEMPTS = 3;

/**
 * Adds `takenAt` to the facts under `key`, read first and written with their eTag, so that nothing newer a turn
 * wrote meanwhile is overwritten. The first take noted stays. Facts that are missing or not readable as facts
 * are left alone: setting them aside is the next turn's job, not a help-desk click's.
 */
export async function noteTaken(store: KeyValueStore, key: string, takenAt: string): Promise<TakenNote> {
  for (let attempt = 1; ; attempt++) {
    const stored = await store.read<unknown>(key).catch((error: unknown) => {
      if (error instanceof DamagedValueError) return 'damaged' as const;
      throw error;
    });
    if (stored === 'damaged') return 'damaged';
    if (!stored) return 'missing';
    if (!isCaseFacts(stored.value)) return 'damaged';
    if (stored.value.takenAt !== undefined) return 'alreadyNoted';
    try {
      await store.write<CaseFacts>(key, { ...stored.value, takenAt }, stored.etag);
      return 'noted';
    } catch (error) {
      if (!(error instanceof EtagConflictError) || attempt === ATTEMPTS) throw error;
    }
  }
}
