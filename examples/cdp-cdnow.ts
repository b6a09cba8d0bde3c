/**
 * @almanac/cdp on the CDNOW sample, embedded (no cloud account): raw transactions go through the
 * collector into a DuckDB warehouse, the RFM summary is computed there in SQL, BG/NBD and
 * Gamma-Gamma are fitted on it, predictions are written back, and an audience is built on them.
 *
 *   npx tsx examples/cdp-cdnow.ts
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { audienceMembers, createCollector, createMemoryOutbox, createWarehouseSink, fitCustomerModels, predictCustomers } from '@almanac/cdp';
import { createDuckDbWarehouse } from '@almanac/cdp/duckdb';

const file = resolve(import.meta.dirname, '../datasets/cdnow/CDNOW_sample.txt.gz');
const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split(/\r?\n/);

const warehouse = createDuckDbWarehouse();
await warehouse.ensureSchema();
// A memory outbox is enough for a one-off import; use createFileOutbox for live traffic.
const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [createWarehouseSink(warehouse)], batchSize: 5_000 });
for (const [i, line] of lines.entries()) {
  const [, customer, ymd, cds, dollars] = line.trim().split(/\s+/) as [string, string, string, string, string];
  await collector.track({
    messageId: `cdnow-${i}`, // stable ids: importing twice loads nothing twice
    userId: `cdnow-${customer}`,
    event: 'Order Completed',
    timestamp: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}T12:00:00Z`,
    properties: { revenue: Number(dollars), quantity: Number(cds) },
  });
}
const report = await collector.close();
console.log(`loaded ${report.sinks[0]?.delivered} CDNOW transactions into the embedded warehouse`);

const rfm = { calibrationEnd: '1997-09-30', timeUnit: 'weeks' } as const;
const models = await fitCustomerModels(warehouse, rfm);
const { bgNbd, gammaGamma } = models;
console.log(
  `BG/NBD on ${models.customers} customers: r ${bgNbd.r.toFixed(3)}, α ${bgNbd.alpha.toFixed(3)}, a ${bgNbd.a.toFixed(3)}, b ${bgNbd.b.toFixed(3)} ` +
    '(published: .243, 4.414, .793, 2.426)',
);
console.log(`Gamma-Gamma on ${models.repeatCustomers} repeat customers: p ${gammaGamma.p.toFixed(2)}, q ${gammaGamma.q.toFixed(2)}, γ ${gammaGamma.gamma.toFixed(2)}`);

const { summary } = await predictCustomers(warehouse, models, { ...rfm, horizonMonths: 12, monthlyDiscountRate: 0.01 });
console.log('\nchurn risk of repeat customers (12-month LTV falls as risk rises):');
for (const category of ['low', 'medium', 'high'] as const) {
  const c = summary.churn[category];
  console.log(`  ${category.padEnd(8)} ${String(c.customers).padStart(5)} customers, mean predicted LTV $${c.meanLtv.toFixed(2)}; first action: ${summary.actions[category][0]}`);
}
const once = summary.churn['one-time'];
console.log(`  one-time ${String(once.customers).padStart(5)} customers without a repeat purchase (BG/NBD cannot score them), mean predicted LTV $${once.meanLtv.toFixed(2)}`);
console.log('LTV segments:');
for (const segment of ['top', 'high', 'medium', 'low'] as const) {
  const s = summary.ltv[segment];
  console.log(`  ${segment.padEnd(6)} ${String(s.customers).padStart(5)} customers, $${s.minLtv.toFixed(2)} – $${s.maxLtv.toFixed(2)} (mean $${s.meanLtv.toFixed(2)})`);
}

const atRisk = await audienceMembers(warehouse, {
  name: 'valuable_at_risk',
  where: {
    kind: 'and',
    conditions: [
      { kind: 'prediction', field: 'churnCategory', op: 'in', values: ['medium', 'high'] },
      { kind: 'prediction', field: 'ltvSegment', op: 'in', values: ['top', 'high'] },
    ],
  },
});
console.log(`\naudience valuable_at_risk: ${atRisk.length} customers, e.g. ${atRisk.slice(0, 3).join(', ')}`);
await warehouse.close();
