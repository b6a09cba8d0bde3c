import { createManualClock } from '@almanac/core';
import type { ManualClock } from '@almanac/core';
import { expectAlmanacError } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { type AutoscalerDecision, type AutoscalerEvent, type AutoscalerOptions, createAutoscaler } from '../src/index';
import { createSimulatorCompute } from '../src/simulator/index';

const START = Date.UTC(2024, 0, 1, 9, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const STEP = 15 * SECOND;

/** A service at 4 tasks serving 120 rps at 50 rps per task: 60 % CPU, flat (no daily swing). */
function scenario(options: { desiredCount?: number; baseRps?: number } = {}) {
  const clock = createManualClock(START);
  const sim = createSimulatorCompute({
    clock,
    seed: 11,
    services: [{ cluster: 'prod', name: 'api', desiredCount: options.desiredCount ?? 4, taskStartMs: 30 * SECOND, load: { baseRps: options.baseRps ?? 120, amplitude: 0, noise: 0.02, rpsPerTask: 50 } }],
  });
  return { clock, sim, target: { provider: sim.containers, cluster: 'prod', service: 'api' } };
}

/** Evaluates every 15 s of virtual time for `durationMs`. */
async function drive(clock: ManualClock, autoscaler: { evaluate(): Promise<AutoscalerDecision> }, durationMs: number): Promise<AutoscalerDecision[]> {
  const decisions: AutoscalerDecision[] = [];
  for (let t = 0; t < durationMs; t += STEP) {
    await clock.advance(STEP);
    decisions.push(await autoscaler.evaluate());
  }
  return decisions;
}

const desiredCount = async (sim: ReturnType<typeof scenario>['sim']) => (await sim.containers.getService({ cluster: 'prod', service: 'api' })).desiredCount;

describe('autoscaler on the simulator', () => {
  it('scales a load spike up within the policy limits, then back down after the stabilization window', async () => {
    const { clock, sim, target } = scenario();
    const autoscaler = createAutoscaler({ target, metric: 'cpu', targetValue: 60, minReplicas: 2, maxReplicas: 30, dryRun: false, clock });
    sim.world.injectIncident({ target: 'prod/api', metric: 'load', start: new Date(START + 6 * MINUTE), end: new Date(START + 36 * MINUTE), effect: { multiply: 4 } });

    const before = await drive(clock, autoscaler, 5 * MINUTE);
    expect(before.every((d) => d.decision === 'hold')).toBe(true);

    const spike = await drive(clock, autoscaler, 31 * MINUTE);
    const ups = spike.filter((d) => d.decision === 'scale_up');
    expect(ups.length).toBeGreaterThan(1);
    for (const d of ups) {
      // Default scale-up policy: max(4 pods, 100 %) per 15 s.
      expect(d.desired - d.current).toBeLessThanOrEqual(Math.max(4, d.current));
      expect(d.applied).toBe(true);
    }
    // 480 rps at 60 % of 50 rps per task needs 16 tasks; reached within 6 minutes of the spike (which starts 1 min in).
    const reached = spike.findIndex((d) => d.desired >= 16);
    expect(reached).toBeGreaterThanOrEqual(0);
    expect(reached * STEP).toBeLessThanOrEqual(7 * MINUTE);
    expect(spike.some((d) => d.decision === 'scale_down')).toBe(false);
    expect(await desiredCount(sim)).toBeGreaterThanOrEqual(16);

    const after = await drive(clock, autoscaler, 15 * MINUTE);
    const firstDown = after.findIndex((d) => d.decision === 'scale_down');
    // Not before the 300 s scale-down stabilization window has passed.
    expect(firstDown * STEP).toBeGreaterThanOrEqual(4 * MINUTE);
    expect(await desiredCount(sim)).toBeLessThanOrEqual(5);
    expect(after.at(-1)?.reasons.join(' ')).toMatch(/cpu/);
  });

  it('does not thrash on flapping load (and a configuration without damping does, so the load really flaps)', async () => {
    const count = async (options: Partial<AutoscalerOptions>) => {
      const { clock, sim, target } = scenario();
      // Load alternates between 1× and 1.6× every minute for an hour.
      for (let m = 0; m < 60; m += 2) {
        sim.world.injectIncident({ target: 'prod/api', metric: 'load', start: new Date(START + (m + 1) * MINUTE), end: new Date(START + (m + 2) * MINUTE), effect: { multiply: 1.6 } });
      }
      const autoscaler = createAutoscaler({ target, metric: 'cpu', targetValue: 60, minReplicas: 2, maxReplicas: 30, dryRun: false, clock, ...options });
      const decisions = await drive(clock, autoscaler, 60 * MINUTE);
      return decisions.filter((d) => d.decision !== 'hold').length;
    };
    const damped = await count({});
    const undamped = await count({ behavior: { scaleDown: { stabilizationWindowSeconds: 0 } }, cooldown: { scaleUpSeconds: 0, scaleDownSeconds: 0 } });
    expect(undamped).toBeGreaterThanOrEqual(20);
    expect(damped).toBeLessThanOrEqual(3);
  });

  it('never scales down while metrics are missing (incident or failing metric calls), and does once they return', async () => {
    const { clock, sim, target } = scenario({ desiredCount: 8, baseRps: 60 });
    const autoscaler = createAutoscaler({ target, metric: 'cpu', targetValue: 60, minReplicas: 2, maxReplicas: 30, dryRun: false, clock });
    const outage = sim.world.injectIncident({ target: 'prod/api', metric: 'cpu', start: new Date(START - 10 * MINUTE), end: new Date(START + 11 * MINUTE), effect: 'missing' });
    const gap = await drive(clock, autoscaler, 10 * MINUTE);
    expect(gap.every((d) => d.decision === 'hold' && d.code === 'metrics-unavailable' && d.metric.value === null)).toBe(true);
    outage.remove();

    const failing = sim.world.injectFault({ operation: 'getServiceMetrics', error: 'unavailable', times: Number.POSITIVE_INFINITY });
    const errors = await drive(clock, autoscaler, 10 * MINUTE);
    expect(errors.every((d) => d.decision === 'hold' && d.reasons.some((r) => /failed \(provider\)/.test(r)))).toBe(true);
    expect(await desiredCount(sim)).toBe(8);
    failing.remove();

    // 60 rps on 8 tasks is 15 % CPU: with metrics back it scales down after the window.
    const back = await drive(clock, autoscaler, 10 * MINUTE);
    expect(back.some((d) => d.decision === 'scale_down')).toBe(true);
    expect(await desiredCount(sim)).toBeLessThan(8);
  });

  it('does not scale down at its first evaluation: a (re)started autoscaler waits one stabilization window', async () => {
    const { clock, target } = scenario({ desiredCount: 8, baseRps: 60 });
    const autoscaler = createAutoscaler({ target, metric: 'cpu', targetValue: 60, minReplicas: 2, maxReplicas: 30, dryRun: false, clock });
    const decisions = await drive(clock, autoscaler, 8 * MINUTE);
    const firstDown = decisions.findIndex((d) => d.decision === 'scale_down');
    expect(firstDown).toBeGreaterThan(0);
    expect((firstDown + 1) * STEP).toBeGreaterThanOrEqual(5 * MINUTE);
  });

  it('keeps the desired count within [min, max] under extreme load and no load', async () => {
    const { clock, sim, target } = scenario();
    const autoscaler = createAutoscaler({ target, metric: 'cpu', targetValue: 50, minReplicas: 3, maxReplicas: 10, dryRun: false, clock });
    sim.world.injectIncident({ target: 'prod/api', metric: 'load', start: new Date(START), end: new Date(START + 20 * MINUTE), effect: { multiply: 20 } });
    sim.world.injectIncident({ target: 'prod/api', metric: 'load', start: new Date(START + 20 * MINUTE), end: new Date(START + 61 * MINUTE), effect: { set: 0 } });
    const decisions = await drive(clock, autoscaler, 60 * MINUTE);
    for (const d of decisions) {
      expect(d.desired).toBeGreaterThanOrEqual(3);
      expect(d.desired).toBeLessThanOrEqual(10);
    }
    expect(Math.max(...decisions.map((d) => d.desired))).toBe(10);
    expect(decisions.at(-1)?.desired).toBe(3);
  });

  it('changes nothing in dry run (the default) while reporting what it would do', async () => {
    const { clock, sim, target } = scenario();
    const events: AutoscalerEvent[] = [];
    const logged: string[] = [];
    const logger = { debug() {}, info: (message: string) => void logged.push(message), warn() {}, error() {} };
    const autoscaler = createAutoscaler({ target, metric: 'cpu', targetValue: 60, minReplicas: 2, maxReplicas: 30, clock, logger, onEvent: (e) => events.push(e) });
    expect(autoscaler.dryRun).toBe(true);
    sim.world.injectIncident({ target: 'prod/api', metric: 'load', start: new Date(START), end: new Date(START + 10 * MINUTE), effect: { multiply: 3 } });
    const decisions = await drive(clock, autoscaler, 10 * MINUTE);
    expect(decisions.some((d) => d.decision === 'scale_up' && d.applied === false && d.dryRun)).toBe(true);
    expect(sim.world.callCounts()['scaleService']).toBeUndefined();
    expect(await desiredCount(sim)).toBe(4);
    expect(events).toHaveLength(decisions.length);
    expect(logged).toHaveLength(decisions.length);
  });

  it('reports every evaluation as an audit event and a span', async () => {
    const { clock, target } = scenario();
    const spans: { name: string; attributes: Record<string, unknown> }[] = [];
    const tracer = {
      startSpan(name: string, options?: { attributes?: Record<string, unknown> }) {
        const record = { name, attributes: { ...(options?.attributes ?? {}) } };
        spans.push(record);
        return {
          spanContext: () => ({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }),
          isRecording: () => true,
          setAttribute(key: string, value: unknown) {
            record.attributes[key] = value;
            return this;
          },
          setAttributes() {
            return this;
          },
          recordException() {},
          setStatus() {
            return this;
          },
          end() {},
        };
      },
    };
    const audits: { operation: string; attributes: Record<string, unknown> }[] = [];
    const autoscaler = createAutoscaler({ target, metric: 'cpu', targetValue: 60, minReplicas: 2, maxReplicas: 30, clock, tracer: tracer as never, onAudit: (e) => audits.push(e) });
    await clock.advance(STEP);
    const decision = await autoscaler.evaluate();
    const span = spans.find((s) => s.name === 'autoscaler.evaluate');
    expect(span?.attributes['almanac.autoscaler.decision']).toBe(decision.decision);
    expect(audits).toEqual([expect.objectContaining({ operation: 'evaluate', attributes: expect.objectContaining({ decision: decision.decision, desired: decision.desired }) })]);
  });

  it('run() evaluates on the clock until aborted and keeps going after a failed evaluation', async () => {
    const { clock, sim, target } = scenario();
    const events: AutoscalerEvent[] = [];
    const autoscaler = createAutoscaler({ target, metric: 'cpu', targetValue: 60, minReplicas: 2, maxReplicas: 30, clock, onEvent: (e) => events.push(e) });
    sim.world.injectFault({ operation: 'getService', error: 'throttled', times: 1 });
    const controller = new AbortController();
    const running = autoscaler.run({ intervalMs: 15_000, signal: controller.signal });
    for (let i = 0; i < 8; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      await clock.advance(15_000);
    }
    controller.abort();
    const summary = await running;
    expect(summary.errors).toBe(1);
    expect(summary.evaluations).toBeGreaterThanOrEqual(7);
    expect(events.filter((e) => e.type === 'error')).toHaveLength(1);
  });

  it('scales ahead of a daily peak with predictive scaling', async () => {
    const clock = createManualClock(Date.UTC(2024, 0, 8, 6, 0));
    const sim = createSimulatorCompute({
      clock,
      seed: 5,
      services: [{ cluster: 'prod', name: 'web', desiredCount: 4, taskStartMs: 30 * SECOND, load: { baseRps: 200, amplitude: 0.6, peakHourUtc: 12, noise: 0.02, rpsPerTask: 50 } }],
    });
    const options = {
      target: { provider: sim.containers, cluster: 'prod', service: 'web' },
      metric: 'cpu' as const,
      targetValue: 70,
      minReplicas: 2,
      maxReplicas: 40,
      clock,
    };
    const predictive = createAutoscaler({
      ...options,
      predictive: {
        perReplicaCapacity: 50,
        targetUtilization: 0.7,
        historyMs: 3 * 24 * 3_600_000,
        leadTimeMs: 30 * MINUTE,
        load: async (range) => sim.world.serviceLoad({ cluster: 'prod', service: 'web', range, stepMs: 15 * MINUTE }),
      },
    });
    const reactive = createAutoscaler(options);
    // At 06:00, the load is rising towards the 12:00 peak; the forecast wants more than the HPA does now.
    await clock.advance(STEP);
    const [p, r] = [await predictive.evaluate(), await reactive.evaluate()];
    expect(p.predicted).toBeDefined();
    expect(p.desired).toBeGreaterThan(r.desired);
    expect(p.code).toBe('predictive');
    // The forecast comes from the oracle's automatic model choice, named in its reason.
    expect(p.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^ETS\([AM],(N|A|Ad),[NAM]\) forecast load up to/)]));
  });

  it('validates its options naming the field', async () => {
    const { clock, target } = scenario();
    await expectAlmanacError(
      Promise.resolve().then(() => createAutoscaler({ target, metric: 'cpu', targetValue: 60, minReplicas: 5, maxReplicas: 2, clock })),
      { code: 'validation', field: 'options.maxReplicas' },
    );
    await expectAlmanacError(
      Promise.resolve().then(() => createAutoscaler({ target, metric: 'cpu', targetValue: -1, minReplicas: 1, maxReplicas: 2, clock })),
      { code: 'validation', field: 'options.targetValue' },
    );
  });
});
