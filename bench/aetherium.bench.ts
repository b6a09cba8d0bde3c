// FOCUS aggregation: 10,000,000 synthetic charges summed by day × service.
//
// Data: 10 M rows over 90 days, 40 services, two currencies (98 % USD), written once by DuckDB
// to a CSV (`NULL` literals for a missing ListCost, like real exports), then converted once to
// Parquet (timed on its own: what a CSV export costs before it can be queried at Parquet speed).
// Measured in the same run:
// - DuckDB: `createFocusCostSource({ files })` from @almanac/aetherium/focus, one daily query grouped
//   by ServiceName (all the package's validation, parameter binding and row mapping included),
//   on the CSV and on the Parquet file;
// - baseline: a streaming JavaScript aggregation of the same CSV (node:fs stream, line split,
//   fields located with indexOf, a Map keyed by day, service and currency): what a user without an
//   embedded engine would write.
// - floor: the same aggregation as one bare DuckDB statement over the CSV with every column type
//   declared (`read_csv(file, columns = {...}, header = true, nullstr = 'NULL')`): the source's time
//   over it is the source's own overhead.
// All must agree on the totals. Prints the times, the ratios and the load average (target: ≥ 10×
// and DuckDB < 10 s). Always exits 0. Run: npm run bench -- aetherium (or `npx tsx
// bench/aetherium.bench.ts 1000000` for fewer rows).
//
// Measured on the shared 2-core machine, 2026-12-03 (load average 16-19 during the runs: every
// thread got a fraction of a core, so DuckDB's second thread bought little):
// - 10,000,000 rows: streaming JS 71.6 s; DuckDB over CSV 29.0 s (2.5×, target missed); bare SQL
//   over the CSV 26.6 s (2.7×; the source takes 1.09× its time); DuckDB over Parquet 4.3 s (16.5×,
//   target met: ≥ 10× and < 10 s).
// - 1,000,000 rows: JS 9.5 s; CSV 6.7 s (1.4×); bare SQL 4.8 s (2.0×; source 1.40×: its fixed cost,
//   one probe of the first row and a sniff per statement, weighs more on a small file); Parquet 1.3 s
//   (7.2×).
// The CSV path is within ~10 % of the bare statement at 10 M rows, so what keeps it under 10× is
// DuckDB's CSV parsing itself: measured as process CPU time at 1 M rows, the bare statement needs
// ~0.6-0.8 s of CPU and the JS baseline ~1.6-2.1 s (≈ 2.5-3×); more cores raise DuckDB's share
// (it parses in parallel, the baseline cannot), two shared cores cannot give 10×. A CSV export
// converted to Parquet once (the one-time cost printed above) is then queried at Parquet speed.
// Before this bench's source changes (every column read as text, costs cast and timestamps
// classified per row in SQL, ICU casts): CSV 89 s vs JS 162 s at load 20-50, ~1.3-1.75× the bare
// statement's CPU.
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { collectCosts } from '@almanac/aetherium';
import { createFocusCostSource } from '@almanac/aetherium/focus';

const ROWS = Number(process.argv[2] ?? 10_000_000);
const dir = mkdtempSync(join(tmpdir(), 'aetherium-bench-'));
const csv = join(dir, 'focus.csv');
const parquet = join(dir, 'focus.parquet');
// The files are large: remove them on Ctrl-C or a timeout's SIGTERM too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}

async function generate(): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  // Deterministic: every column is a function of the row number.
  const select = `SELECT
      strftime(TIMESTAMP '2024-07-01 00:00:00' + to_minutes(CAST((i * 7919) % (90 * 1440) AS BIGINT)), '%Y-%m-%d %H:%M:%S') AS ChargePeriodStart,
      strftime(TIMESTAMP '2024-07-01 01:00:00' + to_minutes(CAST((i * 7919) % (90 * 1440) AS BIGINT)), '%Y-%m-%d %H:%M:%S') AS ChargePeriodEnd,
      'Service ' || lpad(CAST(i % 40 AS VARCHAR), 2, '0') AS ServiceName,
      'acct-' || CAST(i % 7 AS VARCHAR) AS SubAccountId,
      round(((i * 2654435761) % 1000000) / 100000.0, 6) AS BilledCost,
      round(((i * 2654435761) % 1000000) / 125000.0, 6) AS EffectiveCost,
      CASE WHEN i % 10 = 0 THEN NULL ELSE round(((i * 2654435761) % 1000000) / 90000.0, 6) END AS ListCost,
      CASE WHEN i % 50 = 0 THEN 'EUR' ELSE 'USD' END AS BillingCurrency
    FROM range(${ROWS}) t(i)`;
  await connection.run(`COPY (${select}) TO '${csv}' (FORMAT csv, HEADER, NULLSTR 'NULL')`);
  connection.closeSync();
  instance.closeSync();
}

/** The one-time conversion a CSV export needs to be queried at Parquet speed (timed on its own). */
async function convertToParquet(): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`COPY (SELECT * REPLACE (CAST(ChargePeriodStart AS TIMESTAMP) AS ChargePeriodStart, CAST(ChargePeriodEnd AS TIMESTAMP) AS ChargePeriodEnd) FROM read_csv('${csv}', header = true, nullstr = 'NULL')) TO '${parquet}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
}

/** The baseline: one pass over the CSV, aggregating billed cost per day, service and currency. */
async function streamingJs(): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  let header: string[] | undefined;
  let iStart = 0;
  let iService = 0;
  let iBilled = 0;
  let iCurrency = 0;
  let rest = '';
  const line = (text: string) => {
    if (!header) {
      header = text.split(',');
      iStart = header.indexOf('ChargePeriodStart');
      iService = header.indexOf('ServiceName');
      iBilled = header.indexOf('BilledCost');
      iCurrency = header.indexOf('BillingCurrency');
      return;
    }
    // No field of this file is quoted, so commas split fields (a general reader must handle quotes).
    const fields = text.split(',');
    const key = `${fields[iStart]!.slice(0, 10)}|${fields[iService]}|${fields[iCurrency]}`;
    totals.set(key, (totals.get(key) ?? 0) + Number(fields[iBilled]));
  };
  for await (const chunk of createReadStream(csv, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + chunk;
    let from = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', from)) {
      if (at > from) line(text.slice(from, at));
      from = at + 1;
    }
    rest = text.slice(from);
  }
  if (rest) line(rest);
  return totals;
}

async function duckdb(file: string): Promise<Map<string, number>> {
  const source = createFocusCostSource({ files: [file], timeoutMs: 600_000 });
  const rows = await collectCosts(source.query({ range: { start: '2024-07-01', end: '2024-10-01' }, granularity: 'daily', groupBy: ['ServiceName'] }));
  return new Map(rows.map((r) => [`${r.periodStart.slice(0, 10)}|${r.groups['ServiceName']}|${r.currency}`, r.billedCost]));
}

/**
 * The floor for the CSV: the same aggregation as one bare DuckDB statement with every column
 * type declared (no validation, no probe, offsets not handled). The source's time over this one
 * is its own overhead; what remains is DuckDB's CSV parsing.
 */
async function bareCsv(): Promise<Map<string, number>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const columns = "{'ChargePeriodStart': 'TIMESTAMP', 'ChargePeriodEnd': 'TIMESTAMP', 'ServiceName': 'VARCHAR', 'SubAccountId': 'VARCHAR', 'BilledCost': 'DOUBLE', 'EffectiveCost': 'DOUBLE', 'ListCost': 'DOUBLE', 'BillingCurrency': 'VARCHAR'}";
  const result = await connection.runAndReadAll(
    `SELECT strftime(date_trunc('day', ChargePeriodStart), '%Y-%m-%d') AS day, ServiceName, BillingCurrency, SUM(BilledCost) AS billed
     FROM read_csv('${csv}', columns = ${columns}, header = true, nullstr = 'NULL')
     WHERE ChargePeriodStart >= TIMESTAMP '2024-07-01' AND ChargePeriodStart < TIMESTAMP '2024-10-01'
     GROUP BY ALL`,
  );
  connection.closeSync();
  instance.closeSync();
  return new Map(result.getRowObjectsJS().map((r) => [`${r['day']}|${r['ServiceName']}|${r['BillingCurrency']}`, Number(r['billed'])]));
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

function agree(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (Math.abs((b.get(key) ?? Number.NaN) - value) > 1e-6 * Math.max(1, Math.abs(value))) return false;
  return true;
}

try {
  const gen = await timed(generate);
  const conversion = await timed(convertToParquet);
  process.stdout.write(`generated ${ROWS.toLocaleString('en-US')} rows in ${(gen.ms / 1000).toFixed(1)} s: CSV ${(statSync(csv).size / 2 ** 20).toFixed(0)} MiB; converted once to Parquet in ${(conversion.ms / 1000).toFixed(1)} s: ${(statSync(parquet).size / 2 ** 20).toFixed(0)} MiB\n`);
  const loadBefore = loadavg()[0]!;
  const js = await timed(streamingJs);
  const onCsv = await timed(() => duckdb(csv));
  const bare = await timed(bareCsv);
  const onParquet = await timed(() => duckdb(parquet));
  process.stdout.write(`groups: ${js.value.size} (day × service × currency); results agree: CSV ${agree(js.value, onCsv.value)}, bare SQL ${agree(js.value, bare.value)}, Parquet ${agree(js.value, onParquet.value)}\n`);
  process.stdout.write(`streaming JS over CSV:   ${(js.ms / 1000).toFixed(2)} s\n`);
  process.stdout.write(`DuckDB over CSV:         ${(onCsv.ms / 1000).toFixed(2)} s  (${(js.ms / onCsv.ms).toFixed(1)}× faster)\n`);
  process.stdout.write(`  bare SQL, same CSV:    ${(bare.ms / 1000).toFixed(2)} s  (${(js.ms / bare.ms).toFixed(1)}× faster; the source takes ${(onCsv.ms / bare.ms).toFixed(2)}× its time)\n`);
  process.stdout.write(`DuckDB over Parquet:     ${(onParquet.ms / 1000).toFixed(2)} s  (${(js.ms / onParquet.ms).toFixed(1)}× faster)\n`);
  process.stdout.write(`load average (1 min) ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${availableParallelism()} cores\n`);
  const best = Math.max(js.ms / onCsv.ms, js.ms / onParquet.ms);
  process.stdout.write(`target ≥ 10× and < 10 s: CSV ${js.ms / onCsv.ms >= 10 && onCsv.ms < 10_000 ? 'MET' : 'MISS'}, Parquet ${js.ms / onParquet.ms >= 10 && onParquet.ms < 10_000 ? 'MET' : 'MISS'} (best ratio ${best.toFixed(1)}×)\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
