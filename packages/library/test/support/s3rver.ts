// Starts s3rver (a local S3 implementation) as a child process so tests and the bench speak the
// real S3 wire protocol without the network. A child process rather than in-process because
// s3rver needs `--openssl-legacy-provider` (without it paged listings fail with 500).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../tests/support/ports';

/** A running s3rver. */
export interface S3rver {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Where s3rver keeps buckets and pending multipart parts. */
  readonly directory: string;
  /** Client settings that work against it (path style, fixed credentials). */
  readonly clientConfig: {
    readonly endpoint: string;
    readonly region: 'us-east-1';
    readonly forcePathStyle: true;
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  };
  /** The server process's id (benchmarks pin it to a core of its own). */
  readonly pid: number | undefined;
  /** Kills the server and removes its directory. */
  stop(): Promise<void>;
}

async function waitUntilUp(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`s3rver exited with code ${child.exitCode}`);
    try {
      const response = await fetch(endpoint, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`s3rver did not answer on ${endpoint} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Starts s3rver on a free port of 127.0.0.1 with a fresh temp directory (under `parentDir`, e.g.
 * `/dev/shm` for a tmpfs in benchmarks; the OS temp directory by default); rejects if it does not
 * answer in time.
 */
export async function startS3rver(options: { timeoutMs?: number; parentDir?: string } = {}): Promise<S3rver> {
  const require = createRequire(import.meta.url);
  const script = join(require.resolve('s3rver/package.json'), '..', 'bin', 's3rver.js');
  const directory = await mkdtemp(join(options.parentDir ?? tmpdir(), 'almanac-s3rver-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', script, '-d', directory, '-a', '127.0.0.1', '-p', String(port), '--silent'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await rm(directory, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(endpoint, child, options.timeoutMs ?? 15_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}${stderr ? `: ${stderr}` : ''}`);
  }
  return {
    endpoint,
    directory,
    clientConfig: {
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    },
    pid: child.pid,
    stop,
  };
}
