import { createManualClock } from '@almanac/core';
import { expectAlmanacError } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { type ComputeProvider, ENGINE_SPECIFICATION_VERSION, type Instance, advise } from '../src/index';
import { createSimulatorCompute } from '../src/simulator/index';

const DAY = 86_400_000;
const START = Date.UTC(2024, 2, 1);
const NOW = START + 14 * DAY;

function fleet() {
  const clock = createManualClock(NOW);
  const patched = { PatchGroup: 'default' };
  return createSimulatorCompute({
    clock,
    seed: 3,
    instances: [
      { id: 'i-idle', name: 'forgotten', size: 'm5.large', load: 'idle', tags: patched },
      { id: 'i-over', name: 'oversized', size: 'm5.2xlarge', load: 'light', tags: patched },
      { id: 'i-under', name: 'hot', size: 't3.small', load: { cpuBase: 70, cpuAmplitude: 25, cpuNoise: 2, memoryBase: 80, memoryAmplitude: 10 }, tags: patched },
      { id: 'i-right', name: 'fine', size: 't3.large', load: { cpuBase: 35, cpuAmplitude: 25, memoryBase: 55, memoryAmplitude: 10 }, tags: patched },
      {
        id: 'i-public',
        name: 'bastion',
        size: 't3.large',
        load: { cpuBase: 35, cpuAmplitude: 25, memoryBase: 55, memoryAmplitude: 10 },
        publicIps: ['203.0.113.7'],
        ingress: [
          { protocol: 'tcp', fromPort: 443, toPort: 443, source: '0.0.0.0/0' },
          { protocol: 'tcp', fromPort: 22, toPort: 22, source: '0.0.0.0/0' },
        ],
      },
      { id: 'i-off', name: 'parked', size: 'm5.large', state: 'deallocated', tags: patched, disks: [{ id: 'vol-1', sizeGiB: 500, type: 'gp3', billedWhenStopped: true }] },
      { id: 'i-poweroff', name: 'half-stopped', size: 'm5.xlarge', state: 'stopped', tags: patched, disks: [] },
    ],
  });
}

const range = { start: new Date(START), end: new Date(NOW) };

describe('advise on the simulator', () => {
  it('finds idle, oversized and undersized instances with evidence and savings from the price list', async () => {
    const sim = fleet();
    const advice = await advise(sim, { range, anomalies: false });
    const byRule = (rule: string, id: string) => advice.findings.find((f) => f.rule === rule && f.instanceId === id);

    const idle = byRule('idle', 'i-idle');
    expect(idle?.estimatedMonthlySaving).toBeCloseTo(0.096 * 730, 2);
    expect(idle?.evidence['cpuPercentiles']).toMatchObject({ p95: expect.any(Number) });

    const over = byRule('downsize', 'i-over');
    expect(over?.estimatedMonthlySaving).toBeGreaterThan(100);
    expect(over?.evidence['recommended']).toMatchObject({ size: expect.any(String) });
    expect(over?.currency).toBe('USD');

    const under = byRule('upsize', 'i-under');
    expect(under?.estimatedMonthlySaving).toBeLessThan(0);

    // Right-sized instances get no rightsizing finding; idle ones are not also "oversized".
    expect(advice.findings.filter((f) => f.instanceId === 'i-right' && f.category === 'rightsizing')).toEqual([]);
    expect(byRule('downsize', 'i-idle')).toBeUndefined();
    expect(advice.totalMonthlySaving).toBeGreaterThan((idle?.estimatedMonthlySaving ?? 0) + (over?.estimatedMonthlySaving ?? 0) - 0.01);
    // Sorted by saving.
    const savings = advice.findings.map((f) => f.estimatedMonthlySaving);
    expect(savings).toEqual([...savings].sort((a, b) => b - a));
  });

  it('reports security and billing findings', async () => {
    const advice = await advise(fleet(), { range, anomalies: false, rightsizing: false, idle: false });
    const open = advice.findings.find((f) => f.rule === 'open-ingress');
    expect(open).toMatchObject({ instanceId: 'i-public', severity: 'high' });
    expect(open?.title).toMatch(/SSH \(22\)/);
    expect(open?.title).not.toMatch(/443/);
    expect(advice.findings.filter((f) => f.rule === 'missing-patch-tag').map((f) => f.instanceId)).toEqual(['i-public']);
    expect(advice.findings.find((f) => f.rule === 'stopped-with-billed-disks')).toMatchObject({ instanceId: 'i-off', estimatedMonthlySaving: 40 });
    const halfStopped = advice.findings.find((f) => f.rule === 'powered-off-still-billed');
    expect(halfStopped).toMatchObject({ instanceId: 'i-poweroff', severity: 'high' });
    expect(halfStopped?.estimatedMonthlySaving).toBeCloseTo(0.192 * 730, 2);
    expect(advice.findings.some((f) => f.instanceId === 'i-off' && f.rule === 'powered-off-still-billed')).toBe(false);
  });

  it('flags an injected CPU incident as an anomaly at the right time, and nothing on a quiet fleet member', async () => {
    const sim = fleet();
    const at = NOW - 3 * DAY + 5 * 3_600_000;
    sim.world.injectIncident({ target: 'i-right', metric: 'cpu', start: new Date(at), end: new Date(at + 40 * 60_000), effect: { add: 45 } });
    const advice = await advise(sim, { range, rightsizing: false, idle: false, security: false, anomalies: { metrics: ['cpu'] } });
    const found = advice.findings.filter((f) => f.rule === 'metric-anomaly' && f.instanceId === 'i-right');
    expect(found.length).toBeGreaterThanOrEqual(1);
    const starts = found.map((f) => (f.evidence['start'] as Date).getTime());
    expect(starts.some((s) => s >= at && s <= at + 15 * 60_000)).toBe(true);
    expect(advice.findings.filter((f) => f.rule === 'metric-anomaly' && f.instanceId === 'i-over')).toHaveLength(0);
  });

  it('rejects a bad range naming the field', async () => {
    await expectAlmanacError(advise(fleet(), { range: { start: new Date(NOW), end: new Date(START) } }), { code: 'validation', field: 'options.range.end' });
  });
});

describe('advise with a caller-supplied price list', () => {
  it('uses options.sizes for savings when the provider lists no prices', async () => {
    const sim = fleet();
    const { SIMULATOR_SIZES } = await import('../src/simulator/index');
    const doubled = SIMULATOR_SIZES.map((s) => ({ ...s, hourlyPrice: (s.hourlyPrice ?? 0) * 2, currency: 'EUR' }));
    const advice = await advise(sim, { range, anomalies: false, security: false, sizes: doubled });
    const idle = advice.findings.find((f) => f.rule === 'idle' && f.instanceId === 'i-idle');
    expect(idle?.estimatedMonthlySaving).toBeCloseTo(0.096 * 2 * 730, 2);
    expect(advice.currency).toBe('EUR');
  });
});

describe('advise when a provider does not report addresses', () => {
  it('says exposure was not checked instead of treating unknown addresses as none', async () => {
    const unknown = (id: string): Instance => ({ id, provider: 'no-nics', region: 'westeurope', size: 'Standard_B2s', state: 'running', rawState: 'PowerState/running', tags: {}, raw: {} });
    const provider: ComputeProvider = {
      name: 'no-nics',
      specificationVersion: ENGINE_SPECIFICATION_VERSION,
      capabilities: {
        powerControl: false,
        deallocate: false,
        resize: false,
        resizeInPlace: false,
        tags: false,
        metrics: false,
        metricNames: [],
        sizes: false,
        prices: false,
        addresses: false,
        scaleSets: false,
        pollIntervalMs: 1000,
      },
      listInstancesPage: async () => ({ items: [unknown('vm-a'), unknown('vm-b')] }),
      getInstance: async ({ id }) => unknown(id),
    };
    const advice = await advise(provider, { range, anomalies: false, rightsizing: false, idle: false });
    expect(advice.findings.filter((f) => f.rule === 'open-ingress')).toEqual([]);
    expect(advice.notes).toContain('2 instance(s) whose addresses no-nics does not report: public exposure not checked');
  });
});
