// Signals benchmarks of @almanac/oracle part 2, each printing ratios against a baseline
// measured in the same run: NAB anomaly score (at the default threshold, and leave-one-series-out
// cross-validated) and scoreAnomalies throughput in points/s against the residual method, login-risk
// scoring over a stream, and content classification throughput.
// Run: npm run bench -- oracle-signals
import { run as classify } from './signals/classify';
import { run as forecast } from './signals/forecast';
import { run as risk } from './signals/risk';

async function main(): Promise<void> {
  for (const section of [forecast, risk, classify]) await section();
}

main().catch((error: unknown) => {
  console.error('oracle-signals bench failed:', error);
  process.exitCode = 1;
});
