// A document that cannot be read any more is moved out of the way, byte for byte, so that one bad row
// neither blocks the conversation, the user or the outbox it belongs to, nor is lost to the operator.
import { DamagedValueError, EtagConflictError, type KeyValueStore, type Stored } from './store';

export const DAMAGED_PREFIX = 'damaged/';

/** What the operator finds under `damaged/<key>@<etag>`: the stored bytes as they were, in base64. */
export interface DamagedDocument {
  key: string;
  etag: string;
  foundAt: string;
  size: number;
  base64: string;
}

/**
 * Keeps the damaged bytes aside and removes them from `key`, unless someone rewrote `key` meanwhile.
 * Returns true for the instance that set it aside first, so the finding is logged once.
 */
export async function setAside(store: KeyValueStore, damaged: DamagedValueError, now: Date): Promise<boolean> {
  const document: DamagedDocument = {
    key: damaged.key,
    etag: damaged.etag,
    foundAt: now.toISOString(),
    size: damaged.raw.length,
    base64: damaged.raw.toString('base64'),
  };
  let first = true;
  try {
    await store.write(`${DAMAGED_PREFIX}${damaged.key}@${damaged.etag}`, document, null);
  } catch (error) {
    if (!(error instanceof EtagConflictError)) throw error;
    first = false;
  }
  try {
    await store.delete(damaged.key, damaged.etag);
  } catch (error) {
    if (!(error instanceof EtagConflictError)) throw error;
  }
  return first;
}

export async function damagedCount(store: KeyValueStore): Promise<number> {
  return (await store.keys(DAMAGED_PREFIX)).length;
}

/**
 * Reads `key`; a damaged document is set aside and read as absent (its bytes are returned for salvage).
 * `firstFound` is called by the one instance that set it aside, so the operator hears of it once.
 */
export async function readOrSetAside<T>(
  store: KeyValueStore,
  key: string,
  now: Date,
  firstFound: (damaged: DamagedValueError) => void,
): Promise<{ stored?: Stored<T>; damaged?: DamagedValueError }> {
  try {
    return { stored: await store.read<T>(key) };
  } catch (error) {
    if (!(error instanceof DamagedValueError)) throw error;
    if (await setAside(store, error, now)) firstFound(error);
    return { damaged: error };
  }
}
