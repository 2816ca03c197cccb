// Azurite, Microsoft's Azure Storage emulator, started by the tests themselves on a free loopback port.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, portOpen, waitFor } from './net';

const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  connectionString: string;
  /** The account's blob endpoint, for a client that signs in with Microsoft Entra ID. */
  accountUrl: string;
  stop(): Promise<void>;
}

/**
 * `tls`: Azurite over https with this certificate, taking Microsoft Entra ID bearer tokens too (`--oauth basic`:
 * it checks a token's issuer, audience and lifetime, not its signature), which it takes over https only.
 */
export async function startAzurite(tls?: { certFile: string; keyFile: string }): Promise<Azurite> {
  const port = (await freePort())!;
  const location = mkdtempSync(path.join(os.tmpdir(), 'azurite-'));
  // The binary itself, not npx: killing npx would leave Azurite running.
  const child = spawn(
    path.resolve(__dirname, '../../node_modules/.bin/azurite-blob'),
    [
      ...['--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', location, '--silent', '--disableTelemetry', '--skipApiVersionCheck'],
      ...(tls ? ['--oauth', 'basic', '--cert', tls.certFile, '--key', tls.keyFile] : []),
    ],
    { stdio: 'ignore' },
  );
  try {
    // A busy machine (two cores, several test processes) can take Azurite well past 20 s to listen.
    await waitFor(
      `Azurite on port ${port}`,
      () => {
        if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode} before listening`);
        return portOpen(port);
      },
      60_000,
    );
  } catch (error) {
    // Never leave an emulator behind for a start that failed.
    child.kill('SIGKILL');
    rmSync(location, { recursive: true, force: true });
    throw error;
  }
  const accountUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${port}/devstoreaccount1`;
  return {
    connectionString: `DefaultEndpointsProtocol=${tls ? 'https' : 'http'};AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};BlobEndpoint=${accountUrl};`,
    accountUrl,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(location, { recursive: true, force: true });
    },
  };
}
