// Storage data path against the raw SDK and peer libraries, on one s3rver (data on tmpfs
// /dev/shm when available), in interleaved rounds.
//
// Libraries: raw `@aws-sdk/client-s3`, `@almanac/library/s3` (the facade, as users call it),
// flydrive 1.3 (S3 driver, through its `Disk`), unstorage 1.17 (S3 driver, aws4fetch over fetch).
// The SDK-based ones (raw, Almanac, flydrive) each get their own client with the same settings,
// including `requestChecksumCalculation`/`responseChecksumValidation: WHEN_REQUIRED` (Almanac's
// default), so none skips work another does.
// With `taskset` and at least two cores, s3rver is pinned to the last core and this process to the
// others, so the server and the client under test do not preempt each other mid-run (the header
// says whether they were pinned).
// Per round, per operation, every library runs twice, in one order and then in its reverse
// (A B C D D C B A, so a load change during the round weighs on every library alike). The orders
// of successive rounds are the rows of a Williams square (carryover-balanced): over every
// `libraries` rounds each library runs right after every other one equally often, so no library
// is always timed after, say, a lighter one. Each run starts on a collected heap (`gc()` outside
// the timing; `npm run bench` passes --expose-gc), so the garbage one library leaves is not
// collected during the next one's run. Operations: upload
// 200 × 256 KiB (concurrency 8), download them, stat them, list 2,000 keys. A library's round
// time is the sum of its two runs and its ratio is that over raw's in the same round; the table
// prints the median time of one run and the median of the per-round ratios, and the verdict lines
// give the spread of Almanac's ratios (interquartile range, min–max) so a noisy machine shows.
// A second table gives each library's client CPU (this process's user + system time, s3rver
// excluded) the same way: informational, as targets are on wall time, but far less noisy when
// the server dominates (s3rver reads every listed key's metadata file) or the cores are shared.
// Results are checked (bytes read back equal what was written, stat sizes, listed counts) and a
// library that did less is reported as such, not timed as an equal: unstorage's S3 driver lists
// the whole bucket with one unpaginated request (ListObjects v1, at most 1,000 keys, prefix
// ignored), and its `getMeta` returns user metadata only, no size.
// Almanac's listing reads one page ahead (its next ListObjectsV2 request goes out while the SDK
// parses the current page): the same requests as the raw SDK's loop, sent earlier.
// Targets (issue 20): Almanac ≤ 1.03× raw on upload, download and stat, ≤ 1.00× on list.
// ALMANAC_BENCH_ROUNDS overrides the 16 rounds; ALMANAC_BENCH_OPERATIONS (comma-separated, e.g.
// `list`) runs only those operations, every library still measured and checked the same way;
// ALMANAC_BENCH_LIBRARIES (comma-separated of raw, almanac, flydrive, unstorage) runs only those
// libraries, the raw SDK always included as the baseline.
// Always resolves; prints a skip line without s3rver.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Disk } from 'flydrive';
import { S3Driver } from 'flydrive/drivers/s3';
import { createStorage as createUnstorage } from 'unstorage';
import unstorageS3 from 'unstorage/drivers/s3';
// The built package, as users import it (`npm run bench` builds first): run from source through
// tsx, every closure would also pay esbuild's `keepNames` wrapper, which the published build has not.
import { createS3Storage } from '@almanac/library/s3';
import { startS3rver } from '../packages/library/test/support/s3rver';

const OBJECTS = 200;
const OBJECT_BYTES = 256 * 1024;
const LIST_KEYS = 2_000;
const CONCURRENCY = 8;
const ROUNDS = Number(process.env['ALMANAC_BENCH_ROUNDS'] ?? 16);
const TARGETS = { upload: 1.03, download: 1.03, stat: 1.03, list: 1.0 } as const;
type Operation = keyof typeof TARGETS;
const ALL_OPERATIONS: readonly Operation[] = ['upload', 'download', 'stat', 'list'];
const OPERATIONS: readonly Operation[] = (() => {
  const wanted = process.env['ALMANAC_BENCH_OPERATIONS'];
  if (wanted === undefined || wanted.trim() === '') return ALL_OPERATIONS;
  const names = wanted.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(ALL_OPERATIONS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`ALMANAC_BENCH_OPERATIONS: unknown operation(s) ${unknown.join(', ')} (known: ${ALL_OPERATIONS.join(', ')})`);
  return ALL_OPERATIONS.filter((operation) => names.includes(operation));
})();

/** One library's calls; each returns what it saw so the bench can check it did the whole job. */
interface Contender {
  readonly name: string;
  upload(key: string, body: Uint8Array): Promise<void>;
  download(key: string): Promise<Uint8Array>;
  /** Size in bytes, or `undefined` when the library does not report one. */
  stat(key: string): Promise<number | undefined>;
  /** Keys listed under `list/`. */
  list(): Promise<number>;
  /** What this library does differently, printed under the table. */
  readonly notes: string[];
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await fn(item);
      }
    }),
  );
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

function pattern(seed: number): Uint8Array {
  const bytes = new Uint8Array(OBJECT_BYTES);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + seed * 7) & 0xff;
  return bytes;
}

/** The value at fraction `f` of the sorted values (nearest rank). */
const quantile = (values: readonly number[], f: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(f * (sorted.length - 1))))] as number;
};

/**
 * Row `round` of a Williams square of `n` treatments: 0, 1, n-1, 2, n-2, … shifted by `round`.
 * Across `n` successive rows every ordered pair (a then b) is adjacent exactly once for even `n`
 * (for odd `n` once each way once the reversed second half of an ABBA round is counted).
 */
export function williamsRow(n: number, round: number): number[] {
  // Position j of the first row: 0 at j = 0, (j + 1) / 2 at odd j, n - j / 2 at even j.
  return Array.from({ length: n }, (_, j) => ((j === 0 ? 0 : j % 2 === 1 ? (j + 1) / 2 : n - j / 2) + round) % n);
}

/**
 * Pins s3rver (all its threads) to the last core and this process to the others; returns what
 * was done, for the header. Without `taskset` or with one core nothing is pinned.
 */
function pinProcesses(serverPid: number | undefined): string {
  const cores = cpus().length;
  if (serverPid === undefined || cores < 2) return 'not pinned (one core)';
  const clientCores = cores === 2 ? '0' : `0-${cores - 2}`;
  try {
    execFileSync('taskset', ['-a', '-c', '-p', String(cores - 1), String(serverPid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-a', '-c', '-p', clientCores, String(process.pid)], { stdio: 'ignore' });
    return `s3rver pinned to core ${cores - 1}, the client to ${clientCores}`;
  } catch (error) {
    return `not pinned (taskset: ${(error as Error).message.split('\n')[0]})`;
  }
}

/** Collects garbage before a timed run when the process was started with --expose-gc. */
const collectGarbage: () => void = (globalThis as { gc?: () => void }).gc ?? (() => {});

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;

/** Runs the benchmark and prints its table. */
export async function run(): Promise<void> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  const tmpfs = existsSync('/dev/shm') ? '/dev/shm' : undefined;
  let server: Awaited<ReturnType<typeof startS3rver>>;
  try {
    server = await startS3rver(tmpfs ? { parentDir: tmpfs } : {});
  } catch (error) {
    process.stdout.write(`storage-peers: SKIP (s3rver could not start: ${(error as Error).message})\n`);
    return;
  }
  const pinning = pinProcesses(server.pid);
  const bucket = 'peers';
  const sdkConfig = { ...server.clientConfig, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const;
  const clients: S3Client[] = [];
  const client = () => {
    const built = new S3Client(sdkConfig);
    clients.push(built);
    return built;
  };
  try {
    const setup = client();
    await setup.send(new CreateBucketCommand({ Bucket: bucket }));
    await mapLimit(
      Array.from({ length: LIST_KEYS }, (_, i) => `list/${String(i).padStart(5, '0')}`),
      32,
      (key) => setup.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' })),
    );

    const raw = client();
    const rawContender: Contender = {
      name: 'raw @aws-sdk/client-s3',
      notes: [],
      upload: async (key, body) => {
        await raw.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.byteLength }));
      },
      download: async (key) => {
        const output = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await output.Body?.transformToByteArray()) ?? new Uint8Array(0);
      },
      stat: async (key) => (await raw.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength,
      list: async () => {
        let token: string | undefined;
        let count = 0;
        do {
          const page = await raw.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', ...(token && { ContinuationToken: token }) }));
          count += page.Contents?.length ?? 0;
          token = page.NextContinuationToken;
        } while (token);
        return count;
      },
    };

    // Almanac builds its own client (maxAttempts 1, checksums when required), as users get it.
    const almanac = createS3Storage({ bucket, ...server.clientConfig });
    const almanacContender: Contender = {
      name: '@almanac/library/s3',
      notes: [],
      upload: async (key, body) => {
        await almanac.write(key, body);
      },
      download: (key) => almanac.readBytes(key),
      stat: async (key) => (await almanac.stat(key)).size,
      list: async () => {
        let count = 0;
        for await (const page of almanac.list({ prefix: 'list/', pageSize: 1000 }).pages()) count += page.entries.length;
        return count;
      },
    };

    const disk = new Disk(new S3Driver({ ...sdkConfig, client: client(), bucket, visibility: 'private', supportsACL: false }));
    const flydriveContender: Contender = {
      name: 'flydrive 1.3 (S3 driver)',
      notes: [],
      upload: (key, body) => disk.put(key, body),
      download: (key) => disk.getBytes(key),
      stat: async (key) => (await disk.getMetaData(key)).contentLength,
      list: async () => {
        let token: string | undefined;
        let count = 0;
        do {
          const page = await disk.listAll('list/', { recursive: true, ...(token && { paginationToken: token }) });
          for (const _ of page.objects) count++;
          token = page.paginationToken;
        } while (token);
        return count;
      },
    };

    const unstorage = createUnstorage({
      driver: unstorageS3({
        accessKeyId: server.clientConfig.credentials.accessKeyId,
        secretAccessKey: server.clientConfig.credentials.secretAccessKey,
        endpoint: server.endpoint,
        region: 'us-east-1',
        bucket,
      }),
    });
    const unstorageContender: Contender = {
      name: 'unstorage 1.17 (S3 driver)',
      notes: [],
      upload: (key, body) => unstorage.setItemRaw(key, body),
      download: async (key) => {
        const value = await unstorage.getItemRaw(key);
        return value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer);
      },
      stat: async (key) => {
        const meta = (await unstorage.getMeta(key)) as { size?: unknown };
        return typeof meta.size === 'number' ? meta.size : undefined;
      },
      list: async () => (await unstorage.getKeys('list')).length,
    };

    const byId = { raw: rawContender, almanac: almanacContender, flydrive: flydriveContender, unstorage: unstorageContender };
    const wantedLibraries = process.env['ALMANAC_BENCH_LIBRARIES']?.split(',').map((name) => name.trim()).filter((name) => name !== '');
    const unknownLibraries = (wantedLibraries ?? []).filter((name) => !(name in byId));
    if (unknownLibraries.length > 0) throw new Error(`ALMANAC_BENCH_LIBRARIES: unknown library(ies) ${unknownLibraries.join(', ')} (known: ${Object.keys(byId).join(', ')})`);
    // The raw SDK stays first: every ratio is to it.
    const contenders = (Object.keys(byId) as (keyof typeof byId)[])
      .filter((id) => id === 'raw' || wantedLibraries === undefined || wantedLibraries.length === 0 || wantedLibraries.includes(id))
      .map((id) => byId[id]);
    const ids = Array.from({ length: OBJECTS }, (_, i) => i);
    const bodies = ids.map(pattern);
    const keyOf = (contender: number, i: number) => `c${contender}/obj-${String(i).padStart(4, '0')}`;
    const times = new Map<string, number[]>();
    const ratios = new Map<string, number[]>();
    // Client CPU (user + system of this process; s3rver runs in its own), per run and per round.
    const cpuTimes = new Map<string, number[]>();
    const cpuRatios = new Map<string, number[]>();
    const problems = new Map<string, Set<string>>();
    const problem = (name: string, text: string) => {
      if (!problems.has(name)) problems.set(name, new Set());
      problems.get(name)?.add(text);
    };

    const loadBefore = loadavg()[0] as number;
    for (let round = 0; round < ROUNDS; round++) {
      for (const operation of OPERATIONS) {
        const row = williamsRow(contenders.length, round);
        const order = [...row, ...[...row].reverse()];
        const roundTimes = new Map<number, number>();
        const roundCpu = new Map<number, number>();
        for (const index of order) {
          const contender = contenders[index] as Contender;
          let downloaded: Uint8Array[] = [];
          let sizes: (number | undefined)[] = [];
          let listed = 0;
          collectGarbage();
          const cpuStart = process.cpuUsage();
          const start = performance.now();
          if (operation === 'upload') await mapLimit(ids, CONCURRENCY, (i) => contender.upload(keyOf(index, i), bodies[i] as Uint8Array));
          else if (operation === 'download') {
            downloaded = new Array(OBJECTS);
            await mapLimit(ids, CONCURRENCY, async (i) => {
              downloaded[i] = await contender.download(keyOf(index, i));
            });
          } else if (operation === 'stat') {
            sizes = new Array(OBJECTS);
            await mapLimit(ids, CONCURRENCY, async (i) => {
              sizes[i] = await contender.stat(keyOf(index, i));
            });
          } else listed = await contender.list();
          const elapsed = performance.now() - start;
          const cpu = process.cpuUsage(cpuStart);
          roundTimes.set(index, (roundTimes.get(index) ?? 0) + elapsed);
          roundCpu.set(index, (roundCpu.get(index) ?? 0) + (cpu.user + cpu.system) / 1000);
          // Checked outside the timing.
          if (operation === 'download' && !ids.every((i) => sameBytes(downloaded[i] as Uint8Array, bodies[i] as Uint8Array))) problem(contender.name, 'download: bytes differ');
          if (operation === 'stat' && sizes.some((size) => size === undefined)) problem(contender.name, 'stat: reports no size (not timed as an equal)');
          else if (operation === 'stat' && sizes.some((size) => size !== OBJECT_BYTES)) problem(contender.name, 'stat: wrong size');
          if (operation === 'list' && listed !== LIST_KEYS) problem(contender.name, `list: returned ${listed} of ${LIST_KEYS} keys (not timed as an equal)`);
        }
        const rawTime = roundTimes.get(0) as number;
        for (const [index, elapsed] of roundTimes) {
          const name = (contenders[index] as Contender).name;
          const id = `${name}|${operation}`;
          // Per run: the round's time is two runs.
          times.set(id, [...(times.get(id) ?? []), elapsed / 2]);
          ratios.set(id, [...(ratios.get(id) ?? []), elapsed / rawTime]);
          const cpu = roundCpu.get(index) as number;
          cpuTimes.set(id, [...(cpuTimes.get(id) ?? []), cpu / 2]);
          cpuRatios.set(id, [...(cpuRatios.get(id) ?? []), cpu / (roundCpu.get(0) as number)]);
        }
      }
    }

    const incomparable = (name: string, operation: Operation) => [...(problems.get(name) ?? [])].some((text) => text.startsWith(`${operation}:`));
    process.stdout.write(
      `storage-peers: s3rver data on ${tmpfs ?? 'the OS temp directory (no /dev/shm)'}, ${ROUNDS} interleaved ABBA rounds; ${OBJECTS} × ${OBJECT_BYTES / 1024} KiB objects, ${LIST_KEYS}-key listing; median ms of one run (median per-round ratio to raw); 1-min load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] as number).toFixed(1)} after; ${pinning}\n`,
    );
    process.stdout.write(`storage-peers: ${'library'.padEnd(28)}${OPERATIONS.map((op) => op.padStart(20)).join('')}\n`);
    for (const contender of contenders) {
      const cells = OPERATIONS.map((operation) => {
        const id = `${contender.name}|${operation}`;
        const cell = `${median(times.get(id) ?? [0]).toFixed(0)} ms (${median(ratios.get(id) ?? [0]).toFixed(2)}×)${incomparable(contender.name, operation) ? '*' : ''}`;
        return cell.padStart(20);
      });
      process.stdout.write(`storage-peers: ${contender.name.padEnd(28)}${cells.join('')}\n`);
    }
    for (const contender of contenders) {
      for (const text of problems.get(contender.name) ?? []) process.stdout.write(`storage-peers: * ${contender.name}: ${text}\n`);
    }
    // Informational: the client's own CPU, far less noisy than wall time when the server dominates
    // (s3rver's listing reads every key's metadata file) or other processes share the cores.
    process.stdout.write(`storage-peers: client CPU (user + system of this process, s3rver excluded): median ms of one run (median per-round ratio to raw)\n`);
    for (const contender of contenders) {
      const cells = OPERATIONS.map((operation) => {
        const id = `${contender.name}|${operation}`;
        return `${median(cpuTimes.get(id) ?? [0]).toFixed(0)} ms (${median(cpuRatios.get(id) ?? [0]).toFixed(2)}×)`.padStart(20);
      });
      process.stdout.write(`storage-peers: ${`${contender.name} CPU`.padEnd(28)}${cells.join('')}\n`);
    }
    for (const operation of contenders.includes(almanacContender) ? OPERATIONS : []) {
      const values = ratios.get(`${almanacContender.name}|${operation}`) ?? [Number.POSITIVE_INFINITY];
      const ratio = median(values);
      const spread = `IQR ${quantile(values, 0.25).toFixed(2)}–${quantile(values, 0.75).toFixed(2)}, range ${quantile(values, 0).toFixed(2)}–${quantile(values, 1).toFixed(2)}, ${values.length} rounds`;
      const verified = !incomparable(almanacContender.name, operation);
      const pass = verified && ratio <= TARGETS[operation];
      process.stdout.write(
        `storage-peers: Almanac ${operation} ${ratio.toFixed(3)}× raw (${spread}; target <= ${TARGETS[operation].toFixed(2)}×${verified ? ', results verified' : ', RESULTS WRONG'}) ${pass ? 'PASS' : 'MISS'}\n`,
      );
    }
  } finally {
    for (const built of clients) built.destroy();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((error: unknown) => {
    process.stderr.write(`storage-peers bench failed: ${String(error)}\n`);
    process.exitCode = 1;
  });
}
