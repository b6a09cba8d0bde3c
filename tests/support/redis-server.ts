// Starts a throwaway redis-server (Debian package redis-server) on a free loopback port in a
// temporary directory, for tests and benches that need real Redis. Nothing is persisted and the
// directory is removed on stop.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DebianPackageStatus, ensureDebianPackage } from './debian';
import { freePort, waitForPort } from './ports';

/** A running redis-server. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGKILL when `hard`, to simulate a crash) and keeps the port for `start()`. */
  stop(options?: { hard?: boolean }): Promise<void>;
  /** Starts it again on the same port (after `stop`). */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

/** Whether redis-server can run here; the `reason` names the Debian package when not. */
export function redisServerStatus(): DebianPackageStatus {
  return ensureDebianPackage('redis-server', 'redis-server');
}

/** Starts redis-server; throws when the package is missing (check {@link redisServerStatus} first). */
export async function startRedisServer(): Promise<RedisServer> {
  const status = redisServerStatus();
  if (!status.available) throw new Error(status.reason);
  const dir = mkdtempSync(join(tmpdir(), 'almanac-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';

  const launch = async () => {
    output = '';
    const proc = spawn(
      status.path,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'yes'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    proc.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2000);
    });
    proc.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-2000);
    });
    await waitForPort(port, 20_000, () => (proc.exitCode !== null ? `redis-server exited (${proc.exitCode}): ${output}` : undefined));
  };

  const halt = async (hard: boolean) => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(hard ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: (options) => halt(options?.hard ?? false),
    start: launch,
    async close() {
      await halt(true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
