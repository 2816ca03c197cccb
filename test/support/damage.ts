// A stored document damaged behind the store's back, as a torn write, a bad disk or a hand edit leaves it:
// the bytes go in as they are (not UTF-8, not JSON), and an existing document keeps its eTag.
import { DatabaseSync } from 'node:sqlite';
import { BlobServiceClient } from '@azure/storage-blob';

/** Writes `raw` under `key` in a SQLite store's file; returns the document's eTag. */
export function damageSqliteRow(file: string, key: string, raw: Buffer): string {
  const db = new DatabaseSync(file);
  try {
    // CAST keeps the bytes as they are, even where they are not UTF-8.
    const [row] = db
      .prepare('INSERT INTO documents (key, value, etag) VALUES (?, CAST(? AS TEXT), 1) ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING etag')
      .all(key, raw);
    return String(row!.etag);
  } finally {
    db.close();
  }
}

/** The same in a Blob Storage container (blob names are the keys, encoded as BlobStore encodes them). */
export async function damageBlob(connectionString: string, container: string, key: string, raw: Buffer): Promise<string> {
  const blobs = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
  return (await blobs.getBlockBlobClient(encodeURIComponent(key)).upload(raw, raw.length)).etag!;
}
