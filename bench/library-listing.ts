// Listing 100,000 keys through the storage facade, on memory and on local disk: throughput
// and RSS growth while iterating (the facade holds one page at a time). Baselines measured in
// the same run: iterating a plain sorted array of the keys (memory) and a raw recursive
// `opendir` walk of the same tree (fs). The raw walk only reads names and types; the listing
// also stats every file, because it returns each object's size, lastModified and etag: that
// stat is most of the difference and is counted against the listing, not left out.
// fs rounds are interleaved (walk then list, then list then walk, …) and the verdict is the
// median of the per-round ratios, in wall time and in CPU time (process.cpuUsage, every thread),
// so a burst of load on the shared machine lands in one round instead of deciding the result.
// Targets: memory >= 200,000 entries/s; fs median wall ratio <= 3x the raw walk; RSS growth < 50 MB on both.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, type Storage } from '@almanac/library';
import { createFsStorage } from '@almanac/library/fs';
import { createMemoryStorageProvider } from '@almanac/library/memory';

const KEYS = 100_000;
const DIRECTORIES = 100;
const keyOf = (i: number) => `d${String(i % DIRECTORIES).padStart(3, '0')}/k${String(i).padStart(6, '0')}`;

async function timeListing(storage: Storage): Promise<{ ms: number; count: number; rssGrowthMb: number }> {
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  gc();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  let count = 0;
  const start = performance.now();
  for await (const entry of storage.list({ pageSize: 1_000 })) {
    if (entry.type === 'object') count++;
    if ((count & 4095) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const ms = performance.now() - start;
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, count, rssGrowthMb: (peak - rssBefore) / 1e6 };
}

export async function run(): Promise<void> {
  console.log(`library listing: ${KEYS.toLocaleString('en-US')} keys in ${DIRECTORIES} directories, pages of 1,000`);
  const keys = Array.from({ length: KEYS }, (_, i) => keyOf(i)).sort();

  // Memory: seed through the provider (setup, not timed), list through the facade.
  const provider = createMemoryStorageProvider();
  const empty = new Uint8Array(0);
  for (const key of keys) await provider.write({ key, body: empty, size: 0 });
  const memoryStorage = createStorage(provider);
  let start = performance.now();
  let sink = 0;
  for (const key of keys) sink += key.length;
  const baselineMs = Math.max(performance.now() - start, 0.001);
  const mem = await timeListing(memoryStorage);
  const memRate = mem.count / (mem.ms / 1000);
  console.log(`  memory: ${mem.count} entries in ${mem.ms.toFixed(0)} ms = ${Math.round(memRate).toLocaleString('en-US')} entries/s; baseline array walk ${baselineMs.toFixed(1)} ms (ratio ${(mem.ms / baselineMs).toFixed(0)}x); RSS growth ${mem.rssGrowthMb.toFixed(1)} MB (sink ${sink % 7})`);
  console.log(`  ${memRate >= 200_000 ? 'PASS' : 'MISS'} memory >= 200,000 entries/s; ${mem.rssGrowthMb < 50 ? 'PASS' : 'MISS'} memory RSS growth < 50 MB`);

  // Local disk: the fs adapter's natural layout (the key `d000/k000000` is the file
  // `<root>/d000/k000000`), written directly because 100,000 fsynced writes would dominate;
  // files written this way have no sidecar, like a folder the adapter is pointed at.
  const root = mkdtempSync(join(tmpdir(), 'almanac-listing-'));
  try {
    for (let d = 0; d < DIRECTORIES; d++) mkdirSync(join(root, `d${String(d).padStart(3, '0')}`));
    for (const key of keys) writeFileSync(join(root, key), '');
    const walk = async (): Promise<{ count: number; ms: number; cpuMs: number }> => {
      const cpu = process.cpuUsage();
      const begin = performance.now();
      let count = 0;
      for await (const dir of await opendir(root)) {
        if (!dir.isDirectory()) continue;
        for await (const file of await opendir(join(root, dir.name))) if (file.isFile()) count++;
      }
      const ms = performance.now() - begin;
      const used = process.cpuUsage(cpu);
      return { count, ms, cpuMs: (used.user + used.system) / 1000 };
    };
    const listFs = async () => {
      const cpu = process.cpuUsage();
      const result = await timeListing(createFsStorage({ root }));
      const used = process.cpuUsage(cpu);
      return { ...result, cpuMs: (used.user + used.system) / 1000 };
    };
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const middle = Math.floor(sorted.length / 2);
      return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
    };
    // One warm-up of each (page cache, JIT), not counted.
    await walk();
    await listFs();
    const ROUNDS = 9;
    const wall: number[] = [];
    const cpu: number[] = [];
    let counted = 0;
    let walked = 0;
    let rss = 0;
    const load = [loadavg()[0] ?? 0];
    for (let round = 0; round < ROUNDS; round++) {
      const walkFirst = round % 2 === 0;
      const before = walkFirst ? await walk() : undefined;
      const fs = await listFs();
      const raw = before ?? (await walk());
      wall.push(fs.ms / raw.ms);
      cpu.push(fs.cpuMs / raw.cpuMs);
      counted = fs.count;
      walked = raw.count;
      rss = Math.max(rss, fs.rssGrowthMb);
      console.log(`  fs round ${round + 1}: list ${fs.ms.toFixed(0)} ms (cpu ${fs.cpuMs.toFixed(0)} ms), raw opendir walk ${raw.ms.toFixed(0)} ms (cpu ${raw.cpuMs.toFixed(0)} ms): wall ${(fs.ms / raw.ms).toFixed(2)}x, cpu ${(fs.cpuMs / raw.cpuMs).toFixed(2)}x`);
    }
    load.push(loadavg()[0] ?? 0);
    const ratio = median(wall);
    const cpuRatio = median(cpu);
    console.log(`  fs: ${counted} entries listed, ${walked} files walked; median of ${ROUNDS} interleaved rounds: wall ${ratio.toFixed(2)}x (range ${Math.min(...wall).toFixed(2)}–${Math.max(...wall).toFixed(2)}), cpu ${cpuRatio.toFixed(2)}x (range ${Math.min(...cpu).toFixed(2)}–${Math.max(...cpu).toFixed(2)}); load average ${load.map((value) => value.toFixed(1)).join(' → ')}; RSS growth ${rss.toFixed(1)} MB`);
    console.log(`  ${counted === KEYS ? 'PASS' : 'MISS'} fs lists every key; ${ratio <= 3 ? 'PASS' : 'MISS'} fs listing <= 3x the raw opendir walk (median wall ${ratio.toFixed(2)}x, cpu ${cpuRatio.toFixed(2)}x); ${rss < 50 ? 'PASS' : 'MISS'} fs RSS growth < 50 MB`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
