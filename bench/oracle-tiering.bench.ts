/**
 * Benchmark: `recommendStorageClasses` over 1,000,000 synthetic objects from a seeded generator.
 *
 * Targets: under 2 s wall time and under 200 MB peak RSS. The baseline, measured in the same run,
 * iterates the same generator summing sizes, so the printed ratio is the recommender's cost per
 * object relative to just producing the objects. Exits 0 even on a miss.
 *
 * Run: npx tsx bench/oracle-tiering.bench.ts [count]
 */
import { recommendStorageClasses, type StorageObject } from '../packages/oracle/src/tiering';

const COUNT = Number(process.argv[2] ?? 1_000_000);
const TIME_TARGET_MS = 2000;
const RSS_TARGET_MB = 200;
const DEADLINE_MS = 60_000;
const AWS_CLASSES = ['STANDARD', 'STANDARD', 'STANDARD', 'STANDARD_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'];

/** mulberry32: small seeded PRNG so every run sees the same objects. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function* objects(count: number, seed: number): Generator<StorageObject> {
  const rnd = prng(seed);
  for (let i = 0; i < count; i++) {
    const u = rnd();
    const sizeBytes = Math.floor(2 ** (rnd() * 34)); // 1 B … 16 GiB, log-uniform
    const ageDays = Math.floor(rnd() * 2000);
    const currentClass = AWS_CLASSES[Math.floor(rnd() * AWS_CLASSES.length)]!;
    // A third with known reads, a third with only last access, a third unknown.
    if (u < 1 / 3) yield { sizeBytes, ageDays, currentClass, readsPerMonth: rnd() < 0.5 ? 0 : rnd() * 100 };
    else if (u < 2 / 3) yield { sizeBytes, ageDays, currentClass, daysSinceLastAccess: Math.floor(rnd() * ageDays) };
    else yield { sizeBytes, ageDays, currentClass };
  }
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

function baseline(): { ms: number; bytes: number } {
  const start = performance.now();
  let bytes = 0;
  for (const o of objects(COUNT, 42)) bytes += o.sizeBytes;
  return { ms: performance.now() - start, bytes };
}

async function measured(): Promise<{ ms: number; peakRss: number; startRss: number; moved: number; timedOut: boolean }> {
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  let moved = 0;
  let n = 0;
  let timedOut = false;
  const start = performance.now();
  const run = recommendStorageClasses(objects(COUNT, 42), { provider: 'aws' });
  for await (const r of run) {
    if (r.storageClass !== r.currentClass) moved++;
    // Timers do not fire inside a microtask-only loop, so sample RSS in-line.
    if ((++n & 0x3fff) === 0) {
      const rss = process.memoryUsage().rss;
      if (rss > peakRss) peakRss = rss;
      if (performance.now() - start > DEADLINE_MS) {
        timedOut = true;
        break;
      }
    }
  }
  const ms = performance.now() - start;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const s = run.summary();
  console.log(`  summary: ${s.objects} objects, ${(s.bytes / 1e12).toFixed(2)} TB, monthly savings $${s.monthlySavings.toFixed(2)}, moved ${moved}`);
  for (const [cls, t] of Object.entries(s.byTargetClass)) console.log(`    ${cls.padEnd(20)} ${String(t.objects).padStart(8)} objects, moved ${t.moved}`);
  return { ms, peakRss, startRss, moved, timedOut };
}

async function main(): Promise<void> {
  console.log(`oracle-tiering: recommendStorageClasses over ${COUNT.toLocaleString('en-US')} generated objects (Node ${process.version})`);
  baseline(); // warm-up of the generator
  const base = baseline();
  console.log(`  baseline (generate + sum sizes): ${base.ms.toFixed(0)} ms`);
  const m = await measured();
  const ratio = m.ms / base.ms;
  console.log(`  recommend: ${m.ms.toFixed(0)} ms (${((m.ms * 1e6) / COUNT).toFixed(0)} ns/object), ratio vs baseline ${ratio.toFixed(2)}x`);
  console.log(`  RSS: start ${mb(m.startRss)} MB, peak ${mb(m.peakRss)} MB, delta ${mb(m.peakRss - m.startRss)} MB`);
  if (m.timedOut) console.log(`  stopped at the ${DEADLINE_MS / 1000} s bound`);
  console.log(`${m.ms < TIME_TARGET_MS && !m.timedOut ? 'PASS' : 'MISS'} time < ${TIME_TARGET_MS} ms (${m.ms.toFixed(0)} ms)`);
  console.log(`${m.peakRss < RSS_TARGET_MB * 1024 * 1024 ? 'PASS' : 'MISS'} peak RSS < ${RSS_TARGET_MB} MB (${mb(m.peakRss)} MB)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 0;
});
