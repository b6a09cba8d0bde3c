// Benchmarks of @almanac/oracle churn models. Run: npx tsx bench/oracle-churn.bench.ts
// Prints medians and ratios against baselines measured in the same run, PASS/MISS per
// target, and always exits 0. Bounded to well under a minute.
import {
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  fitBgNbd,
  type RfmCustomer,
} from '../packages/oracle/src/churn';
import { mulberry32 } from '../packages/oracle/src/math';
import { readDataset } from './signals/datasets';


function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function time(fn: () => void, runs: number, budgetMs: number): number {
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < runs && (i < 3 || performance.now() - start < budgetMs); i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

function report(name: string, ms: number, baselineName: string, baselineMs: number, targetMs: number): void {
  const verdict = ms < targetMs ? 'PASS' : 'MISS';
  console.log(
    `${verdict} ${name}: median ${ms.toFixed(1)} ms (target < ${targetMs} ms); ` +
      `${(ms / baselineMs).toFixed(1)}x ${baselineName} (${baselineMs.toFixed(3)} ms)`,
  );
}

let sink = 0;

// 1. fitBgNbd on CDNOW, against one full log-likelihood evaluation over the same customers.
{
  const customers: RfmCustomer[] = readDataset('cdnow/cdnow_customers_summary.csv')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [, x, tx, T] = line.split(',').map(Number) as [number, number, number, number];
      return { frequency: x, recency: tx, T };
    });
  const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  for (let i = 0; i < 3; i++) sink += fitBgNbd(customers).logLikelihood;
  const baseline = time(() => {
    sink += bgNbdLogLikelihood(params, customers);
  }, 200, 5_000);
  const fit = time(() => {
    sink += fitBgNbd(customers).logLikelihood;
  }, 21, 20_000);
  report(`fitBgNbd on CDNOW (${customers.length} customers)`, fit, 'one log-likelihood evaluation', baseline, 100);
}

// 2. P(alive) + conditional expectation over 1,000,000 synthetic customers (seeded).
{
  const n = 1_000_000;
  const uniform = mulberry32(2024);
  const customers: RfmCustomer[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const T = 1 + uniform() * 51;
    const frequency = Math.floor(-Math.log(1 - uniform()) * 3 * uniform());
    customers[i] = { frequency, recency: frequency === 0 ? 0 : T * uniform(), T };
  }
  const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const baseline = time(() => {
    let s = 0;
    for (const c of customers) s += (c.frequency + c.recency) / (c.T + 1);
    sink += s;
  }, 15, 5_000);
  const scored = time(() => {
    let s = 0;
    for (const c of customers) s += bgNbdProbabilityAlive(params, c) + bgNbdExpectedPurchases(params, c, 52);
    sink += s;
  }, 3, 30_000);
  report(`P(alive) + E[purchases in 52 weeks] for ${n.toLocaleString('en-US')} customers`, scored, 'trivial per-customer loop', baseline, 1000);
}

if (!Number.isFinite(sink)) console.log('(unexpected non-finite checksum)');
