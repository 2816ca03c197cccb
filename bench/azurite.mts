// Azurite, Microsoft's Azure Storage emulator (blob service only), on a free loopback port, for the bot
// instances that share one store in the escalation step. Started as test/support/azurite.ts starts it for
// the tests (which bench/ cannot import: jest compiles them as CommonJS).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnListening } from './child.mts';

// Azurite's fixed development account; not a secret.
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  connectionString: string;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  const location = mkdtempSync(path.join(os.tmpdir(), 'popimap-bench-azurite-'));
  const bin = path.resolve(import.meta.dirname, '../node_modules/.bin/azurite-blob');
  const flags = ['--blobHost', '127.0.0.1', '--blobPort', '0', '--location', location, '--silent', '--disableTelemetry', '--skipApiVersionCheck'];
  const azurite = await spawnListening('Azurite', [bin, ...flags], (line) => /successfully listens on (http:\/\/\S+)/.exec(line)?.[1]).catch((error: unknown) => {
    rmSync(location, { recursive: true, force: true });
    throw error;
  });
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};BlobEndpoint=${azurite.url}/devstoreaccount1;`,
    stop: async () => {
      await azurite.kill();
      rmSync(location, { recursive: true, force: true });
    },
  };
}
