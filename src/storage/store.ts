// What the bot needs from a store: small JSON documents by key, with an eTag so that two turns racing
// on one conversation cannot silently overwrite each other.

export interface Stored<T> {
  value: T;
  etag: string;
}

export interface KeyValueStore {
  /** Throws {@link DamagedValueError} when what is stored under `key` is not a JSON document. */
  read<T>(key: string): Promise<Stored<T> | undefined>;
  /**
   * Writes `value` under `key` and returns the new eTag. With `expectedEtag` a string, the write only
   * happens if the stored eTag still matches; with `null`, only if nothing is stored yet.
   * Without it, the last writer wins. A failed condition throws {@link EtagConflictError}.
   */
  write<T>(key: string, value: T, expectedEtag?: string | null): Promise<string>;
  /** With `expectedEtag`, deletes only if the stored eTag still matches ({@link EtagConflictError} otherwise). */
  delete(key: string, expectedEtag?: string): Promise<void>;
  /** Keys that start with `prefix`, in key order: how the escalation outbox finds what is still to send. */
  keys(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

export class EtagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Someone else changed "${key}" since it was read; read it again and retry the change.`);
    this.name = 'EtagConflictError';
  }
}

export class StorageUnavailableError extends Error {
  constructor(what: string, options?: { cause?: unknown }) {
    super(`The conversation store could not ${what}; check that the store is reachable and writable.`, options);
    this.name = 'StorageUnavailableError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The document stored as `raw` under `key`: JSON in UTF-8, or else a {@link DamagedValueError} with the bytes as they are. */
export function parseDocument<T>(key: string, raw: Buffer, etag: string): Stored<T> {
  try {
    // Strict UTF-8: a lenient decode would turn broken bytes into U+FFFD and pass an altered document off as whole.
    return { value: JSON.parse(utf8.decode(raw)) as T, etag };
  } catch {
    throw new DamagedValueError(key, raw, etag);
  }
}

/**
 * What is stored under `key` cannot be read as JSON (a torn write, a hand edit, a failing disk). Carries the
 * stored bytes and their eTag, so the caller can set them aside for the operator instead of failing forever.
 */
export class DamagedValueError extends Error {
  constructor(
    readonly key: string,
    readonly raw: Buffer,
    readonly etag: string,
  ) {
    super(`The document "${key}" is damaged (${raw.length} bytes that are not JSON); it is kept aside for the operator.`);
    this.name = 'DamagedValueError';
  }
}
