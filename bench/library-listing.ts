// Listing 100,000 keys through the storage facade, on memory and on local disk: throughput
// and RSS growth while iterating (the facade holds one page at a time). Baselines measured in
// the same run: iterating a plain sorted array of the keys (memory) and a raw recursive
// `opendir` walk of the same tree (fs).
// Targets: memory >= 200,000 entries/s; fs <= 3x the raw walk; RSS growth < 50 MB on both.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
    start = performance.now();
    let walked = 0;
    for await (const dir of await opendir(root)) {
      if (!dir.isDirectory()) continue;
      for await (const file of await opendir(join(root, dir.name))) if (file.isFile()) walked++;
    }
    const walkMs = performance.now() - start;
    const fs = await timeListing(createFsStorage({ root }));
    console.log(`  fs: ${fs.count} entries in ${fs.ms.toFixed(0)} ms = ${Math.round(fs.count / (fs.ms / 1000)).toLocaleString('en-US')} entries/s; raw opendir walk of ${walked} files ${walkMs.toFixed(0)} ms (ratio ${(fs.ms / walkMs).toFixed(2)}x); RSS growth ${fs.rssGrowthMb.toFixed(1)} MB`);
    const ratio = fs.ms / walkMs;
    console.log(`  ${fs.count === KEYS ? 'PASS' : 'MISS'} fs lists every key; ${ratio <= 3 ? 'PASS' : 'MISS'} fs listing <= 3x the raw opendir walk (${ratio.toFixed(2)}x); ${fs.rssGrowthMb < 50 ? 'PASS' : 'MISS'} fs RSS growth < 50 MB`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
