import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../../../../tests/support/ports';

/** Azurite's well-known development account (public, documented by Microsoft). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
/** Key of {@link AZURITE_ACCOUNT}. */
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A running azurite blob service. */
export interface Azurite {
  /** `http://127.0.0.1:<port>/devstoreaccount1`. */
  readonly blobEndpoint: string;
  /** Connection string for the development account. */
  readonly connectionString: string;
  /** Connection string with another key, for authentication failures. */
  connectionStringWithKey(key: string): string;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`azurite exited with code ${child.exitCode}`);
    try {
      // Any HTTP answer (even 400/403) means the blob service is listening.
      await fetch(url, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`azurite did not answer within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Starts azurite's blob service on 127.0.0.1 on a free port with a fresh data directory.
 * `--skipApiVersionCheck` is required: current `@azure/storage-blob` sends a newer API
 * version than azurite 3.35 knows.
 */
export async function startAzurite(): Promise<Azurite> {
  const require = createRequire(import.meta.url);
  const main = join(dirname(require.resolve('azurite/package.json')), 'dist/src/blob/main.js');
  const location = await mkdtemp(join(tmpdir(), 'almanac-azurite-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      '--location',
      location,
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
      '--silent',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  const connectionStringWithKey = (key: string) =>
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${key};BlobEndpoint=${blobEndpoint};`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      // Azurite waits for open keep-alive connections before exiting; do not wait for them.
      const forced = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(forced);
    }
    await rm(location, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(`${blobEndpoint}?comp=list`, child, 20_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { blobEndpoint, connectionString: connectionStringWithKey(AZURITE_KEY), connectionStringWithKey, stop };
}
