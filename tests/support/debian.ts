// Real servers for tests come from Debian packages (redis-server, rabbitmq-server, chromium).
// When one is missing and the tests run as root on Debian (as CI does), it is installed here
// with apt-get; otherwise the caller skips with a title naming the package. Under CI
// (`ALMANAC_REQUIRE_SERVERS=1`, set by .ci/run) a server that cannot be made available is an
// error, never a silent skip.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What `ensureDebianPackage` found. */
export type DebianPackageStatus = { available: true; path: string } | { available: false; reason: string };

const SEARCH_PATH = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/bin', '/sbin'];
const LOCK_DIR = join(tmpdir(), 'almanac-apt.lock');
const LOCK_STALE_MS = 15 * 60_000;
const known = new Map<string, DebianPackageStatus>();

/** True when a missing server must fail the run instead of skipping (CI). */
export function serversRequired(): boolean {
  return process.env.ALMANAC_REQUIRE_SERVERS === '1';
}

function findBinary(binary: string): string | undefined {
  for (const dir of SEARCH_PATH) {
    const candidate = join(dir, binary);
    if (existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', `command -v ${JSON.stringify(binary)}`], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return which.status === 0 && found !== '' ? found : undefined;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// apt-get holds dpkg's lock; two vitest workers installing at once would make one fail, so
// installs are serialised across processes with a directory lock (mkdir is atomic).
function withAptLock<T>(fn: () => T): T {
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK_DIR).mtimeMs > LOCK_STALE_MS) rmSync(LOCK_DIR, { recursive: true, force: true });
      } catch {
        // Lock vanished between the two calls: try again.
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK_DIR}`);
      sleepSync(500);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function canInstall(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (!existsSync('/etc/debian_version')) return 'not Debian';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not running as root';
  if (!existsSync('/usr/bin/apt-get')) return 'apt-get not found';
  return undefined;
}

function install(pkg: string): string | undefined {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args: string[]) => spawnSync('apt-get', args, { env, encoding: 'utf8', timeout: 20 * 60_000 });
  let result = run(['install', '-y', '-qq', '--no-install-recommends', pkg]);
  if (result.status !== 0) {
    // The package lists may be absent on a fresh machine.
    run(['update', '-qq']);
    result = run(['install', '-y', '-qq', '--no-install-recommends', pkg]);
  }
  return result.status === 0 ? undefined : `apt-get install ${pkg} failed: ${(result.stderr || result.stdout).trim().slice(-400)}`;
}

/**
 * Makes sure the Debian package `pkg` providing `binary` is installed, installing it with
 * apt-get when this process is root on Debian. Throws under `ALMANAC_REQUIRE_SERVERS=1` when it
 * cannot; otherwise returns the reason so the caller can skip with a title naming `pkg`.
 */
export function ensureDebianPackage(pkg: string, binary: string): DebianPackageStatus {
  const key = `${pkg}:${binary}`;
  const cached = known.get(key);
  if (cached) return cached;
  let status: DebianPackageStatus;
  const present = findBinary(binary);
  if (present) {
    status = { available: true, path: present };
  } else {
    const refusal = canInstall();
    if (refusal) {
      status = { available: false, reason: `needs Debian package ${pkg} (${binary} not found; cannot install: ${refusal})` };
    } else {
      const failure = withAptLock(() => (findBinary(binary) ? undefined : install(pkg)));
      const installed = findBinary(binary);
      status = installed
        ? { available: true, path: installed }
        : { available: false, reason: `needs Debian package ${pkg}: ${failure ?? `${binary} still not found after install`}` };
    }
  }
  if (!status.available && serversRequired()) {
    throw new Error(`${status.reason} (ALMANAC_REQUIRE_SERVERS=1: a missing server fails the run)`);
  }
  known.set(key, status);
  return status;
}
