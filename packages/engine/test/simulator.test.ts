import { ValidationError, createManualClock } from '@almanac/core';
import { expectAlmanacError, runWithClock } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { createSimulatorCompute } from '../src/simulator/index';

const START = Date.UTC(2024, 0, 1, 0, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const drive = <T>(clock: ReturnType<typeof createManualClock>, promise: Promise<T>) => runWithClock(clock, promise, { stepMs: 1000 });

describe('simulator: instances', () => {
  it('moves through pending → running and stopping → stopped only as the clock advances', async () => {
    const clock = createManualClock(START);
    const sim = createSimulatorCompute({ clock, instances: [{ id: 'i-1', state: 'stopped' }] });
    await sim.start('i-1');
    expect((await sim.getInstance('i-1')).state).toBe('pending');
    await clock.advance(14_999);
    expect((await sim.getInstance('i-1')).state).toBe('pending');
    await clock.advance(1);
    expect((await sim.getInstance('i-1')).state).toBe('running');
    await sim.stop('i-1', { deallocate: true });
    const stopping = await sim.getInstance('i-1');
    expect(stopping).toMatchObject({ state: 'stopping', rawState: 'deallocating' });
    const stopped = await drive(clock, sim.waitFor('i-1', 'stopped'));
    expect(stopped).toMatchObject({ state: 'stopped', rawState: 'deallocated', computeBilled: false });
  });

  it('keeps a powered-off instance billed, unlike a deallocated one', async () => {
    const clock = createManualClock(START);
    const sim = createSimulatorCompute({ clock, delays: { stopMs: 0 }, instances: [{ id: 'i-1' }] });
    await sim.stop('i-1');
    expect(await sim.getInstance('i-1')).toMatchObject({ state: 'stopped', rawState: 'stopped', computeBilled: true });
  });

  it('refuses transitions the state forbids', async () => {
    const clock = createManualClock(START);
    const sim = createSimulatorCompute({ clock, instances: [{ id: 'i-1', state: 'stopped' }, { id: 'i-2', state: 'terminated' }] });
    await expectAlmanacError(sim.reboot('i-1'), { code: 'conflict' });
    await expectAlmanacError(sim.start('i-2'), { code: 'conflict' });
    await expectAlmanacError(sim.getInstance('i-404'), { code: 'not_found' });
  });

  it('resizes a running instance with allowStop by stop → resize → start, polled on the clock', async () => {
    const clock = createManualClock(START);
    const sim = createSimulatorCompute({ clock, instances: [{ id: 'i-1', size: 't3.large' }] });
    await expectAlmanacError(sim.resize('i-1', 'm5.large'), { code: 'conflict' });
    const resized = await drive(clock, sim.resize('i-1', 'm5.large', { allowStop: true }));
    expect(resized).toMatchObject({ size: 'm5.large', state: 'running' });
    const calls = sim.world.callCounts();
    expect(calls['stop']).toBe(1);
    expect(calls['resizeInstance']).toBe(1);
    expect(calls['start']).toBe(1);
    // Polls, not one sleep: getInstance was read several times while waiting.
    expect(calls['getInstance']).toBeGreaterThan(3);
  });

  it('rejects an unknown size naming the field', async () => {
    const sim = createSimulatorCompute({ clock: createManualClock(START), instances: [{ id: 'i-1', state: 'stopped' }] });
    await expectAlmanacError(sim.resize('i-1', 'x9.huge'), { code: 'validation', field: 'size' });
  });

  it('times out a wait on the clock', async () => {
    const clock = createManualClock(START);
    const sim = createSimulatorCompute({ clock, instances: [{ id: 'i-1', state: 'stopped' }] });
    await expectAlmanacError(drive(clock, sim.waitFor('i-1', 'running', { timeoutMs: 30_000 })), { code: 'timeout' });
  });

  it('injects faults: throttling fails the call and then clears', async () => {
    const sim = createSimulatorCompute({ clock: createManualClock(START), instances: [{ id: 'i-1' }] });
    sim.world.injectFault({ operation: 'getInstance', error: 'throttled', times: 1 });
    await expectAlmanacError(sim.getInstance('i-1'), { code: 'rate_limited' });
    await expect(sim.getInstance('i-1')).resolves.toMatchObject({ id: 'i-1' });
  });
});

describe('simulator: metrics', () => {
  it('has daily seasonality, honest units, and is deterministic for a seed', async () => {
    const clock = createManualClock(START + 3 * 24 * HOUR);
    const make = () => createSimulatorCompute({ clock, seed: 42, instances: [{ id: 'i-1', load: { cpuBase: 10, cpuAmplitude: 50, peakHourUtc: 14 } }] });
    const a = make();
    const range = { start: new Date(START + 2 * 24 * HOUR), end: new Date(START + 3 * 24 * HOUR) };
    const [cpu, net] = await a.getMetrics({ ids: ['i-1'], metrics: ['cpu', 'networkIn'], range, periodSeconds: 3600 });
    expect(cpu).toMatchObject({ unit: 'percent', statistic: 'average', measure: 'used', periodSeconds: 3600 });
    expect(net).toMatchObject({ unit: 'bytes', statistic: 'sum', measure: 'transferred' });
    expect(cpu?.points).toHaveLength(24);
    const at = (hour: number) => cpu?.points.find((p) => p.at.getUTCHours() === hour)?.value ?? Number.NaN;
    expect(at(14)).toBeGreaterThan(50);
    expect(at(2)).toBeLessThan(20);
    const again = await make().getMetrics({ ids: ['i-1'], metrics: ['cpu'], range, periodSeconds: 3600 });
    expect(again[0]?.points).toEqual(cpu?.points);
  });

  it('reports nothing for the future, for stopped time, or inside a `missing` incident', async () => {
    const clock = createManualClock(START + 2 * HOUR);
    const sim = createSimulatorCompute({ clock, instances: [{ id: 'i-1', launchedAt: new Date(START) }] });
    sim.world.injectIncident({ target: 'i-1', start: new Date(START), end: new Date(START + HOUR), effect: 'missing' });
    const [cpu] = await sim.getMetrics({ ids: ['i-1'], metrics: ['cpu'], range: { start: new Date(START), end: new Date(START + 5 * HOUR) }, periodSeconds: 600 });
    const times = cpu?.points.map((p) => p.at.getTime()) ?? [];
    expect(Math.min(...times)).toBe(START + HOUR);
    expect(Math.max(...times)).toBeLessThanOrEqual(START + 2 * HOUR);
  });
});

describe('simulator: container services', () => {
  it('starts new tasks only after their start time and reports a steady state', async () => {
    const clock = createManualClock(START);
    const sim = createSimulatorCompute({ clock, services: [{ cluster: 'prod', name: 'api', desiredCount: 2, taskStartMs: 30_000 }] });
    const scaled = await sim.containers.scaleService({ cluster: 'prod', service: 'api', desiredCount: 5 });
    expect(scaled).toMatchObject({ desiredCount: 5, runningCount: 2, pendingCount: 3 });
    const steady = await drive(clock, sim.containers.waitForService({ cluster: 'prod', service: 'api' }));
    expect(steady).toMatchObject({ runningCount: 5, pendingCount: 0 });
    expect(clock.now() - START).toBeGreaterThanOrEqual(24_000);
    const events = await sim.containers.serviceEvents({ cluster: 'prod', service: 'api' });
    expect(events[0]?.message).toMatch(/steady state/);
  });

  it('validates task definitions naming the field', async () => {
    const sim = createSimulatorCompute({ clock: createManualClock(START) });
    const error = await sim.containers
      .registerTaskDefinition({ family: 'web', requiresCompatibilities: ['FARGATE'], containers: [{ name: 'app', image: 'nginx', portMappings: [{ containerPort: 70_000 }] }] })
      .catch((e: unknown) => e);
    expect(ValidationError.isInstance(error)).toBe(true);
    const paths = (error as ValidationError).issues.map((i) => i.path).sort();
    expect(paths).toEqual(['definition.containers.0.portMappings.0.containerPort', 'definition.cpu', 'definition.memoryMiB']);
    const ok = await sim.containers.registerTaskDefinition({ family: 'web', containers: [{ name: 'app', image: 'nginx' }] });
    expect(ok).toMatchObject({ family: 'web', revision: 1 });
  });
});

describe('capability tables', () => {
  it('name only boolean capabilities, all of which the simulator declares with their methods', async () => {
    const { COMPUTE_CAPABILITY_METHODS, CONTAINER_CAPABILITY_METHODS } = await import('../src/spec');
    const sim = createSimulatorCompute({ clock: createManualClock(START) });
    for (const [capability, methods] of Object.entries(COMPUTE_CAPABILITY_METHODS)) {
      expect(sim.provider.capabilities[capability as keyof typeof sim.provider.capabilities]).toBe(true);
      for (const method of methods) expect(typeof sim.provider[method]).toBe('function');
    }
    for (const [capability, methods] of Object.entries(CONTAINER_CAPABILITY_METHODS)) {
      expect(sim.containers.provider.capabilities[capability as keyof typeof sim.containers.provider.capabilities]).toBe(true);
      for (const method of methods) expect(typeof sim.containers.provider[method]).toBe('function');
    }
  });
});
