// Azure Blob Storage, for several bot instances behind one load balancer: every document is a block
// blob, and its ETag is the store's eTag. Uses the Azure SDK directly because botbuilder-azure-blobs'
// BlobsStorage can neither create a document only if it is absent nor list keys, and the conversation
// and the escalation outbox need both.
import type { TokenCredential } from '@azure/identity';
import { type BlockBlobClient, type ContainerClient, BlobServiceClient, RestError } from '@azure/storage-blob';
import { EtagConflictError, type KeyValueStore, type Stored, StorageUnavailableError, parseDocument } from './store';

function blobName(key: string): string {
  // Encoded as a whole so that the "/" in our keys stays inside one blob name and any key is a valid name.
  return encodeURIComponent(key);
}

function isStatus(error: unknown, ...codes: number[]): boolean {
  return error instanceof RestError && error.statusCode !== undefined && codes.includes(error.statusCode);
}

/** The account's connection string (its key, or Azurite's), or its URL and a Microsoft Entra ID credential. */
export type BlobAccount = { connectionString: string } | { accountUrl: string; credential: TokenCredential };

export class BlobStore implements KeyValueStore {
  private readonly container: ContainerClient;
  private ready?: Promise<unknown>;

  constructor(account: BlobAccount, containerName: string) {
    // A few quick retries rather than the SDK's half a minute: an admin is waiting on the turn, a load
    // balancer on the readiness route, and an outbox lease (renewed every few seconds) on each write.
    const retryOptions = { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2_000, tryTimeoutInMs: 5_000 };
    const service =
      'connectionString' in account
        ? BlobServiceClient.fromConnectionString(account.connectionString, { retryOptions })
        : new BlobServiceClient(account.accountUrl, account.credential, { retryOptions });
    this.container = service.getContainerClient(containerName);
  }

  private async blob(key: string): Promise<BlockBlobClient> {
    this.ready ??= this.container.createIfNotExists().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    await this.ready;
    return this.container.getBlockBlobClient(blobName(key));
  }

  async read<T>(key: string): Promise<Stored<T> | undefined> {
    let raw: Buffer;
    let etag: string;
    try {
      // One download gives the body and the ETag it belongs to, so the pair cannot tear.
      const response = await (await this.blob(key)).download();
      const chunks: Buffer[] = [];
      for await (const chunk of response.readableStreamBody ?? []) chunks.push(Buffer.from(chunk as Buffer));
      raw = Buffer.concat(chunks);
      etag = response.etag ?? '';
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw new StorageUnavailableError(`read "${key}" from Azure Blob Storage`, { cause: error });
    }
    return parseDocument(key, raw, etag);
  }

  async write<T>(key: string, value: T, expectedEtag?: string | null): Promise<string> {
    const body = JSON.stringify(value);
    const conditions = expectedEtag === undefined ? {} : expectedEtag === null ? { ifNoneMatch: '*' } : { ifMatch: expectedEtag };
    try {
      const blob = await this.blob(key);
      const result = await blob.upload(body, Buffer.byteLength(body), {
        conditions,
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return result.etag ?? '';
    } catch (error) {
      if (isStatus(error, 409, 412)) throw new EtagConflictError(key);
      throw new StorageUnavailableError(`write "${key}" to Azure Blob Storage`, { cause: error });
    }
  }

  async delete(key: string, expectedEtag?: string): Promise<void> {
    try {
      const blob = await this.blob(key);
      if (expectedEtag === undefined) await blob.deleteIfExists();
      else await blob.delete({ conditions: { ifMatch: expectedEtag } });
    } catch (error) {
      if (isStatus(error, 404, 409, 412)) throw new EtagConflictError(key);
      throw new StorageUnavailableError(`delete "${key}" from Azure Blob Storage`, { cause: error });
    }
  }

  async keys(prefix: string): Promise<string[]> {
    try {
      await this.blob(prefix || 'any');
      const names: string[] = [];
      for await (const item of this.container.listBlobsFlat({ prefix: blobName(prefix) })) names.push(decodeURIComponent(item.name));
      return names.filter((name) => name.startsWith(prefix)).sort();
    } catch (error) {
      throw new StorageUnavailableError('list keys in Azure Blob Storage', { cause: error });
    }
  }

  async close(): Promise<void> {
    // The SDK keeps no connection open between calls.
  }
}
