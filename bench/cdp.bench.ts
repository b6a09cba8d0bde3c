// Benchmarks of @almanac/cdp. Run: npx tsx bench/cdp.bench.ts [events] [customers]
// 1. Ingest: `events` (default 1,000,000) track calls through the collector into the file outbox
//    (group-commit fsync), delivered to the embedded DuckDB warehouse by the warehouse sink.
//    Prints events/s (target ≥ 50,000) and the process RSS and JS heap every 10 % (the JS heap
//    stays flat: nothing is kept per event once its outbox segment is acknowledged and deleted;
//    the RSS also holds DuckDB's in-memory database, which grows with the rows loaded).
// 2. Intelligence: `customers` (default 1,000,000) synthetic customers' purchases generated
//    inside DuckDB, then the RFM summary in SQL and the BG/NBD + Gamma-Gamma fits on its
//    aggregates (target < 30 s), and the predictions written back (reported, no target).
// Prints PASS/MISS per target (wall clock, as the issue states them), the CPU time and the load
// average (on a shared machine the wall time includes waiting for other processes), and always exits 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDuckDbWarehouse } from '../packages/cdp/src/adapters/duckdb/index';
import { mulberry32 } from '../packages/oracle/src/math';
import type { EventRow, Warehouse } from '../packages/cdp/src/index';
import { createCollector, createFileOutbox, createWarehouseSink, fitCustomerModels, predictCustomers } from '../packages/cdp/src/index';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const ONLY = process.argv[4]; // `ingest` or `intelligence` runs one part
const CUSTOMERS = Number(process.argv[3] ?? 1_000_000);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

// 1. Ingest through the file outbox into DuckDB.
if (ONLY !== 'intelligence') {
  const dir = mkdtempSync(join(tmpdir(), 'cdp-bench-'));
  // DuckDB parses and loads each batch on its own thread while the JS thread collects the next
  // calls: one DuckDB thread leaves the other core to collection (a second one mostly adds
  // coordination work on batches of this size).
  const warehouse = createDuckDbWarehouse({ config: { threads: process.env['CDP_BENCH_DUCKDB_THREADS'] ?? '1' } });
  await warehouse.ensureSchema();
  const outbox = await createFileOutbox({ dir: join(dir, 'outbox'), fsync: 'batch' });
  const collector = await createCollector({ outbox, sinks: [createWarehouseSink(warehouse, { maxBatchSize: 20_000 })], batchSize: 20_000 });
  const rss: string[] = [];
  const cpu0 = process.cpuUsage();
  const load0 = loadavg()[0] as number;
  const started = performance.now();
  const window = 10_000; // calls in flight: their fsyncs are combined (group commit)
  const step = EVENTS / 10;
  // Delivery runs alongside collection, as the collector's flushIntervalMs loop does in service:
  // DuckDB loads on its own threads while the next calls are validated and written.
  let collecting = true;
  const delivering = (async () => {
    while (collecting) {
      const report = await collector.flush();
      if ((report.sinks[0]?.delivered ?? 0) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  for (let sent = 0; sent < EVENTS; ) {
    const batch: Promise<unknown>[] = [];
    for (let k = 0; k < window && sent < EVENTS; k++, sent++) {
      batch.push(collector.track({ userId: `u${sent % 50_000}`, event: sent % 5 === 0 ? 'Order Completed' : 'Product Viewed', properties: { revenue: sent % 97, sku: `sku-${sent % 1000}` } }));
    }
    await Promise.all(batch);
    if (sent % step === 0) {
      const memory = process.memoryUsage();
      rss.push(`${mb(memory.rss)} (JS heap ${mb(memory.heapUsed)})`);
    }
  }
  const collectMs = performance.now() - started;
  collecting = false;
  await delivering;
  await collector.flush();
  const totalMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const [count] = await warehouse.query({ sql: 'SELECT COUNT(*) AS n FROM events', params: {} });
  const rate = EVENTS / (totalMs / 1000);
  console.log(
    `${rate >= 50_000 ? 'PASS' : 'MISS'} ingest ${EVENTS.toLocaleString('en')} events file outbox → DuckDB: ${Math.round(rate).toLocaleString('en')} events/s end to end ` +
      `(target ≥ 50,000; collected and durable in ${(collectMs / 1000).toFixed(1)} s, all in DuckDB at ${(totalMs / 1000).toFixed(1)} s; rows in warehouse ${count?.['n']}; outbox segments left ${outbox.stats().segments})`,
  );
  console.log(
    `     CPU ${cpuS.toFixed(1)} s (all threads) = ${Math.round(EVENTS / cpuS).toLocaleString('en')} events per CPU-second; ` +
      `load average ${load0.toFixed(1)} → ${(loadavg()[0] as number).toFixed(1)} on ${cpus().length} cores (a load above the core count means the wall time includes waiting for other processes)`,
  );
  // RSS includes DuckDB's in-memory database, which grows with the rows loaded; the JS heap is what stays flat.
  console.log(`     RSS every 10 %: ${rss.join(', ')}`);
  await collector.close();
  await warehouse.close();
  rmSync(dir, { recursive: true, force: true });
}

// 2. RFM + fit for synthetic customers, inside DuckDB.
if (ONLY !== 'ingest') {
  const warehouse = createDuckDbWarehouse({ config: { threads: '2' } });
  await warehouse.ensureSchema();
  const t0 = performance.now();
  const purchases = await loadSyntheticCustomers(warehouse, CUSTOMERS);
  console.log(`     generated ${purchases.toLocaleString('en')} purchases of ${CUSTOMERS.toLocaleString('en')} customers in ${((performance.now() - t0) / 1000).toFixed(1)} s (setup, not timed)`);
  const options = { calibrationEnd: '1997-09-30', timeUnit: 'weeks' } as const;
  const t1 = performance.now();
  const fitCpu0 = process.cpuUsage();
  const fitLoad0 = loadavg()[0] as number;
  const models = await fitCustomerModels(warehouse, options);
  const fitMs = performance.now() - t1;
  const fitCpu = process.cpuUsage(fitCpu0);
  console.log(
    `${fitMs < 30_000 ? 'PASS' : 'MISS'} RFM in SQL + BG/NBD + Gamma-Gamma fit, ${models.customers.toLocaleString('en')} customers: ${(fitMs / 1000).toFixed(1)} s (target < 30 s); ` +
      `r ${models.bgNbd.r.toFixed(3)} α ${models.bgNbd.alpha.toFixed(3)} a ${models.bgNbd.a.toFixed(3)} b ${models.bgNbd.b.toFixed(3)}, converged ${models.bgNbd.converged}; ` +
      `Gamma-Gamma p ${models.gammaGamma.p.toFixed(2)} q ${models.gammaGamma.q.toFixed(2)} γ ${models.gammaGamma.gamma.toFixed(2)}`,
  );
  console.log(
    `     CPU ${((fitCpu.user + fitCpu.system) / 1e6).toFixed(1)} s (all threads, SQL included); load average ${fitLoad0.toFixed(1)} → ${(loadavg()[0] as number).toFixed(1)} on ${cpus().length} cores`,
  );
  const t2 = performance.now();
  const { summary } = await predictCustomers(warehouse, models, options);
  console.log(
    `     predictions for ${summary.customers.toLocaleString('en')} customers written back in ${((performance.now() - t2) / 1000).toFixed(1)} s; ` +
      `churn low/medium/high ${summary.churn.low.customers}/${summary.churn.medium.customers}/${summary.churn.high.customers}; RSS ${mb(process.memoryUsage().rss)}`,
  );
  await warehouse.close();
}

/**
 * Synthetic customers drawn from the models themselves (seeded): BG/NBD purchases with CDNOW's
 * published parameters (λ ~ Gamma(r = 0.243, α = 4.414) per week, dropout p ~ Beta(0.793, 2.426)
 * after each purchase) and Gamma-Gamma spend (p = 6.25, q = 3.74, γ = 15.44), first purchases
 * in the first 12 weeks of 1997, calibration to 1997-09-30; loaded in batches.
 */
async function loadSyntheticCustomers(warehouse: Warehouse, customers: number): Promise<number> {
  const random = mulberry32(20261203);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const gamma = (shape: number, scale: number): number => {
    if (shape < 1) return gamma(shape + 1, scale) * random() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v > 0 && Math.log(1 - random()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
    }
  };
  const beta = (a: number, b: number) => {
    const x = gamma(a, 1);
    return x / (x + gamma(b, 1));
  };
  const DAY = 86_400_000;
  const start = Date.UTC(1997, 0, 1);
  const endWeek = (Date.UTC(1997, 8, 30) - start) / (7 * DAY);
  let total = 0;
  let batch: EventRow[] = [];
  for (let i = 0; i < customers; i++) {
    const lambda = gamma(0.243, 1 / 4.414);
    const dropout = beta(0.793, 2.426);
    const nu = gamma(3.74, 1 / 15.44);
    let week = Math.floor(random() * 84) / 7;
    for (let j = 0; week <= endWeek; j++) {
      batch.push({
        messageId: `syn-${i}-${j}`,
        type: 'track',
        event: 'Order Completed',
        profileId: `c${i}`,
        userId: `c${i}`,
        anonymousId: null,
        timestampMs: start + Math.floor(week * 7) * DAY + 12 * 3_600_000,
        revenue: Math.round(gamma(6.25, 1 / nu) * 100) / 100,
        properties: '{}',
      });
      total++;
      if (random() < dropout && j > 0) break; // BG/NBD: dropout happens right after a repeat purchase
      week += -Math.log(1 - random()) / lambda;
    }
    if (batch.length >= 200_000) {
      await warehouse.load({ events: batch });
      batch = [];
    }
  }
  await warehouse.load({ events: batch });
  return total;
}
