/**
 * @almanac/aetherium demo: the FOCUS sample (1,000 real charges from AWS, GCP, Microsoft and
 * Oracle, September 2024) aggregated with DuckDB and combined with a FOCUS specification example
 * (a commitment discount), then anomalies, a forecast, budgets and savings, rendered into a
 * self-contained `cost-report.html`. Runs offline.
 *
 *   npm run build && npx tsx examples/aetherium-report.ts [output.html]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBudgets, collectCosts, combineSources, detectCostAnomalies, forecast, parseFocusCsv, recommendSavings, renderCostReport } from '@almanac/aetherium';
import { createFocusCostSource } from '@almanac/aetherium/focus';

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

// 4. Savings: commitment utilisation from the FOCUS rows, rightsizing and storage tiering.
const savings = recommendSavings({
  costs: [...parseFocusCsv(readFileSync(commitmentExample, 'utf8'), { defaultCurrency: 'USD' }), ...parseFocusCsv(readFileSync(sample, 'utf8'))],
  compute: [
    {
      resourceId: 'i-0a1b2c3d4e5f',
      currentSize: 'm7i.2xlarge',
      sizes: [
        { name: 'm7i.2xlarge', vcpu: 8, memoryGiB: 32, monthlyPrice: 294.34 },
        { name: 'm7i.xlarge', vcpu: 4, memoryGiB: 16, monthlyPrice: 147.17 },
        { name: 'm7i.large', vcpu: 2, memoryGiB: 8, monthlyPrice: 73.58 },
      ],
      cpuPercentiles: { p95: 1.2 },
      memoryPercentiles: { p95: 5.5 },
    },
  ],
  storage: [{ resourceId: 's3://acme-logs/2023/', provider: 'aws', object: { sizeBytes: 8 * 2 ** 40, ageDays: 500, currentClass: 'STANDARD', daysSinceLastAccess: 420, readsPerMonth: 0, bytesReadPerMonth: 0 } }],
});
out(`== savings: ${savings.length}`);
for (const s of savings) out(`  ${s.kind} ${s.resourceId}: ${s.monthlySaving.toFixed(2)} ${s.currency}/month`);

// 5. The report.
const file = process.argv[2] ?? join(tmpdir(), 'cost-report.html');
writeFileSync(file, renderCostReport({ title: 'FOCUS sample: September 2024', currency: 'USD', daily, anomalies, forecast: usd, budgets, savings }));
out(`== report written to ${file}`);
