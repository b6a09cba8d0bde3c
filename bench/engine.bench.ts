// Autoscaler throughput over 1,000 container services on the simulator.
//
// Scenario: one simulated cluster with 1,000 services (2–9 tasks, seeded demand, 50 rps per task),
// one autoscaler per service (cpu, target 60 %, dry run off), evaluated round after round with the
// virtual clock moved 15 s between rounds; a third of the services get a 3× load spike. Each
// evaluation reads the service and its last minutes of CPU through the `Containers` facade, runs
// the oracle's HPA recommender, applies cooldowns, scales when needed and reports the decision.
//
// Baseline (same run, same world): the same data path without the engine around it — the bare
// provider's getService and getServiceMetrics, then the oracle recommender — so the ratio is what
// the autoscaler's validation, deadlines, spans, audit and events cost on top.
// Prints evaluations per second for both and the ratio (median of runs). Always exits 0.
// Run: npm run bench -- engine
import { createManualClock } from '@almanac/core';
import { createAutoscaler } from '@almanac/engine';
import { createSimulatorCompute } from '@almanac/engine/simulator';
import { createHpaRecommender } from '@almanac/oracle';

const SERVICES = 1_000;
const ROUNDS = 4;
const RUNS = 5;
const STEP_MS = 15_000;
const START = Date.UTC(2026, 2, 2, 9, 0);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;

function world() {
  const clock = createManualClock(START);
  const sim = createSimulatorCompute({
    clock,
    seed: 42,
    services: Array.from({ length: SERVICES }, (_, i) => ({
      cluster: 'bench',
      name: `svc-${i}`,
      desiredCount: 2 + (i % 8),
      load: { baseRps: 40 + (i % 8) * 30, amplitude: 0.3, noise: 0.05, rpsPerTask: 50 },
    })),
  });
  for (let i = 0; i < SERVICES; i += 3) {
    sim.world.injectIncident({ target: `bench/svc-${i}`, metric: 'load', start: new Date(START + 60_000), end: new Date(START + 3_600_000), effect: { multiply: 3 } });
  }
  return { clock, sim };
}

async function autoscalerRun(): Promise<{ perSecond: number; decisions: number }> {
  const { clock, sim } = world();
  const scalers = Array.from({ length: SERVICES }, (_, i) =>
    createAutoscaler({ target: { provider: sim.containers, cluster: 'bench', service: `svc-${i}` }, metric: 'cpu', targetValue: 60, minReplicas: 1, maxReplicas: 50, dryRun: false, clock }),
  );
  let decisions = 0;
  let elapsed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    await clock.advance(STEP_MS);
    const t0 = performance.now();
    for (const scaler of scalers) if ((await scaler.evaluate()).decision !== 'hold') decisions++;
    elapsed += performance.now() - t0;
  }
  return { perSecond: (SERVICES * ROUNDS) / (elapsed / 1000), decisions };
}

async function baselineRun(): Promise<number> {
  const { clock, sim } = world();
  const provider = sim.world.containers;
  const recommenders = Array.from({ length: SERVICES }, () => createHpaRecommender());
  let elapsed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    await clock.advance(STEP_MS);
    const t0 = performance.now();
    for (let i = 0; i < SERVICES; i++) {
      const now = clock.now();
      const service = await provider.getService({ cluster: 'bench', service: `svc-${i}` });
      const [cpu] = await provider.getServiceMetrics({
        cluster: 'bench',
        service: `svc-${i}`,
        metrics: ['cpu'],
        range: { start: new Date(now - 180_000), end: new Date(now + 1) },
        periodSeconds: 60,
      });
      const value = cpu?.points.at(-1)?.value;
      if (value === undefined || service.runningCount === 0) continue;
      const rec = (recommenders[i] as ReturnType<typeof createHpaRecommender>).recommend({
        now,
        currentReplicas: service.desiredCount,
        readyPods: Math.min(service.runningCount, service.desiredCount),
        metrics: [{ currentValue: value, targetValue: 60 }],
        minReplicas: 1,
        maxReplicas: 50,
      });
      if (rec.replicas !== service.desiredCount) await provider.scaleService({ cluster: 'bench', service: `svc-${i}`, desiredCount: rec.replicas });
    }
    elapsed += performance.now() - t0;
  }
  return (SERVICES * ROUNDS) / (elapsed / 1000);
}

async function main(): Promise<void> {
  const ours: number[] = [];
  const bare: number[] = [];
  let decisions = 0;
  // Alternate, so drift on a shared machine hits both sides alike.
  for (let run = 0; run < RUNS; run++) {
    const result = await autoscalerRun();
    ours.push(result.perSecond);
    decisions = result.decisions;
    bare.push(await baselineRun());
  }
  const a = median(ours);
  const b = median(bare);
  process.stdout.write(
    `autoscaler: ${SERVICES} services × ${ROUNDS} rounds: ${a.toFixed(0)} evaluations/s (median of ${RUNS}); ${decisions} scaling decisions per run\n` +
      `baseline (bare provider calls + oracle recommender, same world): ${b.toFixed(0)} evaluations/s\n` +
      `ratio baseline/autoscaler: ${(b / a).toFixed(2)}× (the cost of validation, deadlines, spans, audit and events per evaluation)\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`engine bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
