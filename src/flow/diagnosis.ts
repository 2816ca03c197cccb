// What a settings check concluded, as the flow keeps it: small, and free of what was pasted.
import type { CheckpointId } from './types';

// Long pastes are cut here: a whole Format-List of every connector is well under this.
export const PASTE_LIMIT = 20_000;

export interface Diagnosis {
  source: string;
  /** A stable name for what was found; its sentence lives in the locales (`diagnosis.<finding>`). */
  finding: string;
  /** The step whose fix applies, or null when nothing wrong was shown (or nothing could be read). */
  checkpoint: CheckpointId | null;
  values: Record<string, string>;
}
