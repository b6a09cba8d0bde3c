/**
 * @almanac/aetherium demo: the FOCUS sample (1,000 real charges from AWS, GCP, Microsoft and
 * Oracle, September 2024) aggregated with DuckDB and combined with a FOCUS specification example
 * (a commitment discount), then anomalies, a forecast, budgets and savings (with the compute and
 * storage inventory read through the engine simulator and library memory storage), rendered into
 * a self-contained `cost-report.html`. Runs offline.
 *
 *   npm run build && npx tsx examples/aetherium-report.ts [output.html]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBudgets, collectComputeUsage, collectCosts, collectStorageUsage, combineSources, detectCostAnomalies, forecast, parseFocusCsv, recommendSavings, renderCostReport } from '@almanac/aetherium';
import { createFocusCostSource } from '@almanac/aetherium/focus';
import { createManualClock } from '@almanac/core';
import { createSimulatorCompute } from '@almanac/engine/simulator';
import { createMemoryStorage } from '@almanac/library/memory';

const out = (line: string) => process.stdout.write(`${line}\n`);
const datasets = new URL('../datasets/focus/', import.meta.url).pathname;
const sample = join(datasets, 'focus_1.0_sample_1000rows.csv');
const commitmentExample = join(datasets, 'spec_v1.2_examples', 'commitment_discount_flexibility__zero_percent_utilization_without_commitment_discount_flexibility.csv');

// 1. One model over two exports: the multi-provider sample and a spec example without BillingCurrency.
const costs = combineSources([createFocusCostSource({ files: [sample] }), createFocusCostSource({ files: [commitmentExample], defaultCurrency: 'USD', name: 'focus-spec-example' })]);
const range = { start: '2024-09-01', end: '2024-10-01' };
const daily = await collectCosts(costs.query({ range, granularity: 'daily', groupBy: ['ServiceName'] }));
const [month] = await collectCosts(costs.query({ range, granularity: 'monthly', groupBy: [] }));
out('== FOCUS sample, September 2024 (DuckDB)');
out(`billed ${month?.billedCost.toFixed(2)} ${month?.currency}, effective ${month?.effectiveCost.toFixed(2)}, ${daily.length} service-days`);
const byCategory = await collectCosts(costs.query({ range, granularity: 'monthly', groupBy: ['ServiceCategory'] }));
for (const row of byCategory.sort((a, b) => b.billedCost - a.billedCost).slice(0, 5)) out(`  ${row.groups['ServiceCategory'] ?? '(none)'}: ${row.billedCost.toFixed(2)} ${row.currency}`);

// 2. Anomalies per service and a 14-day forecast.
const { anomalies } = await detectCostAnomalies(costs, { range, sensitivity: 0.2, minImpact: 0.05 });
out(`== anomalies: ${anomalies.length}`);
for (const a of anomalies.slice(0, 10)) out(`  ${a.date} ${a.group}: ${a.cost.toFixed(2)} vs ${a.expected.toFixed(2)} expected (impact ${a.impact.toFixed(2)} ${a.currency})`);
const [usd] = await forecast(costs, { horizonDays: 14, asOf: '2024-10-01', historyDays: 30 });
out(`== forecast: ${usd?.expectedTotal.toFixed(2)} ${usd?.currency} expected over the next 14 days`);

// 3. A budget checked on the 20th, with forecast-based early warning.
const budgets = await checkBudgets(costs, [{ name: 'September', amount: 1000, currency: 'USD' }], { asOf: '2024-09-20' });
for (const b of budgets) out(`== budget ${b.name}: ${b.state} (actual ${b.actual.toFixed(2)}, projected ${b.projected.toFixed(2)} of ${b.amount} ${b.currency})`);

// 4. Savings: commitment utilisation from the FOCUS rows; rightsizing and storage tiering from
// the inventory, read through @almanac/engine's compute and @almanac/library's storage interfaces
// (here their simulator and memory adapters; createAwsCompute and createS3Storage on AWS).
const now = Date.UTC(2024, 9, 1);
const fleet = createSimulatorCompute({
  clock: createManualClock(now),
  seed: 7,
  instances: [
    { id: 'i-batch-idle', size: 'm5.xlarge', load: 'idle' },
    { id: 'i-web-oversized', size: 'm5.2xlarge', load: 'light' },
    { id: 'i-api-busy', size: 't3.medium', load: 'busy' },
  ],
});
const compute = await collectComputeUsage(fleet, { range: { start: new Date(now - 7 * 86_400_000), end: new Date(now) } });
out(`== inventory: ${compute.instances} instances, ${compute.usage.length} measured in ${compute.metricCalls} metrics call(s)`);
const bucketClock = createManualClock(now - 500 * 86_400_000);
const bucket = createMemoryStorage({ clock: bucketClock, storageClasses: ['STANDARD', 'STANDARD_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] });
for (const day of ['01', '02', '03']) await bucket.write(`logs/2023-05-${day}.log.gz`, new Uint8Array(16 * 2 ** 20), { storageClass: 'STANDARD' });
bucketClock.set(now - 86_400_000);
await bucket.write('app/config.json', '{"feature":true}', { storageClass: 'STANDARD' });
// Access data usually comes from S3 server access logs; unknown access is never read as "never read".
const storage = await collectStorageUsage(bucket, { now: new Date(now), bucket: 'acme-logs', accessStats: (key) => (key.startsWith('logs/') ? { daysSinceLastAccess: 420, readsPerMonth: 0 } : undefined) });
out(`== storage inventory: ${storage.objects} objects, ${(storage.bytes / 2 ** 20).toFixed(0)} MiB, posture ${storage.posture?.map((f) => f.rule).join(', ') ?? 'not checked'}`);
for (const g of storage.tiering) out(`  ${g.resourceId}: ${g.objects} objects ${g.currentClass} -> ${g.targetClass} after ${g.minAgeDays} days, ${g.monthlySaving.toFixed(4)} ${g.currency}/month`);
const savings = recommendSavings({
  costs: [...parseFocusCsv(readFileSync(commitmentExample, 'utf8'), { defaultCurrency: 'USD' }), ...parseFocusCsv(readFileSync(sample, 'utf8'))],
  compute: compute.usage,
  // The demo bucket holds megabytes (savings below a cent are left out); a real log archive of 8 TiB:
  storage: [{ resourceId: 's3://acme-logs/2023/', provider: 'aws', object: { sizeBytes: 8 * 2 ** 40, ageDays: 500, currentClass: 'STANDARD', daysSinceLastAccess: 420, readsPerMonth: 0, bytesReadPerMonth: 0 } }],
  storageGroups: storage.tiering,
});
out(`== savings: ${savings.length}`);
for (const s of savings) out(`  ${s.kind} ${s.resourceId}: ${s.monthlySaving.toFixed(2)} ${s.currency}/month`);

// 5. The report.
const file = process.argv[2] ?? join(tmpdir(), 'cost-report.html');
writeFileSync(file, renderCostReport({ title: 'FOCUS sample: September 2024', currency: 'USD', daily, anomalies, forecast: usd, budgets, savings }));
out(`== report written to ${file}`);
