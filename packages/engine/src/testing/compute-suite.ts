import type { ManualClock } from '@almanac/core';
import { checkCapabilityTable, describeConformance, expectAlmanacError, runWithClock } from '@almanac/core/testing';
import type { ConformanceOptions } from '@almanac/core/testing';
import { expect } from 'vitest';
import { createCompute } from '../facade/create-compute';
import type { Compute, EngineFacadeOptions } from '../facade/types';
import { COMPUTE_CAPABILITY_METHODS, type ComputeProvider, ENGINE_SPECIFICATION_VERSION, INSTANCE_STATES, type Instance, METRIC_NAMES, type TimeRange } from '../spec';
import { checkFlatCapabilities, expectMetricSeries } from './expectations';

/** What a compute conformance `create` hook returns. */
export interface ComputeHarness {
  /** The facade under test. */
  readonly compute: Compute;
  /** An instance the suite may start, stop, reboot, tag and resize; it is left running. */
  readonly instanceId: string;
  /** Facade options for the capability-table check (e.g. the same clock). */
  readonly facadeOptions?: EngineFacadeOptions | undefined;
  /** A manual clock the provider runs on (the simulator): the suite moves it while it waits. Absent for real clouds. */
  readonly clock?: ManualClock | undefined;
  /** Two sizes the instance can take, `[other, original]`; the resize test goes to the first and back. Absent: no resize test. */
  readonly resizeSizes?: readonly [string, string] | undefined;
  /** A public address (or allocation id) the suite may associate with the instance. Absent: no address test. */
  readonly address?: string | undefined;
  /** An id that does not exist, in the provider's id format. Absent: no not-found test. */
  readonly missingInstanceId?: string | undefined;
  /** A range with metric data for the instance; default the last three hours by the clock. */
  readonly metricsRange?: TimeRange | undefined;
  /** A scale set the suite may set to its current capacity. Absent: scale sets are only listed. */
  readonly scaleSetId?: string | undefined;
  /** Longest wait for a state change, ms; default 10 minutes. */
  readonly waitTimeoutMs?: number | undefined;
}

/** Options of {@link describeComputeConformance}: core's conformance shape. */
export type ComputeConformanceOptions = ConformanceOptions<ComputeHarness>;

/** Settles `promise`, moving the harness's manual clock (if any) while it is pending. */
function settle<T>(harness: ComputeHarness, promise: Promise<T>): Promise<T> {
  return harness.clock === undefined ? promise : runWithClock(harness.clock, promise, { stepMs: 1000, maxAdvanceMs: 24 * 3_600_000 });
}

function expectInstance(instance: Instance, providerName: string): void {
  expect(typeof instance.id).toBe('string');
  expect(instance.id.length).toBeGreaterThan(0);
  expect(instance.provider).toBe(providerName);
  expect(typeof instance.region).toBe('string');
  expect(typeof instance.size).toBe('string');
  expect(INSTANCE_STATES).toContain(instance.state);
  expect(typeof instance.rawState).toBe('string');
  expect(instance.rawState.length).toBeGreaterThan(0);
  expect(typeof instance.tags).toBe('object');
  for (const value of Object.values(instance.tags)) expect(typeof value).toBe('string');
  // Addresses are optional (absent = not read, e.g. Azure's NICs), but when present they are lists of strings.
  for (const ips of [instance.publicIps, instance.privateIps]) {
    if (ips === undefined) continue;
    expect(Array.isArray(ips)).toBe(true);
    for (const ip of ips) expect(typeof ip).toBe('string');
  }
  if (instance.launchedAt !== undefined) expect(instance.launchedAt).toBeInstanceOf(Date);
  if (instance.name !== undefined) expect(typeof instance.name).toBe('string');
  expect('raw' in instance).toBe(true);
}

/**
 * Registers the compute conformance suite for one adapter: contract and capability-table checks,
 * then behaviour (listing and paging, power transitions polled with `waitFor`, deallocation, resize,
 * tags, metrics with honest units, sizes and prices, addresses, scale sets, validation, aborts), each
 * test gated by what the adapter declares. One harness serves the whole suite.
 */
export function describeComputeConformance(options: ComputeConformanceOptions): void {
  describeConformance<ComputeHarness>(
    'compute',
    options,
    (suite) => {
      suite.test(
        'declares the v1 contract with flat, consistent capabilities',
        ({ compute }) => {
          const provider = compute.provider;
          expect(provider.specificationVersion).toBe(ENGINE_SPECIFICATION_VERSION);
          expect(provider.name.length).toBeGreaterThan(0);
          checkFlatCapabilities(provider.capabilities);
          const caps = provider.capabilities;
          expect(caps.pollIntervalMs).toBeGreaterThan(0);
          for (const metric of caps.metricNames) expect(METRIC_NAMES).toContain(metric);
          expect(caps.metricNames.length > 0).toBe(caps.metrics);
          if (caps.prices) expect(caps.sizes).toBe(true);
          if (caps.resizeInPlace) expect(caps.resize).toBe(true);
          if (caps.deallocate) expect(caps.powerControl).toBe(true);
        },
        { id: 'contract' },
      );

      suite.test(
        'each capability flag matches the methods, and unsupported ones are refused before the provider is called',
        async (harness) => {
          await checkCapabilityTable<ComputeProvider, Compute>({
            provider: harness.compute.provider,
            capabilityMethods: COMPUTE_CAPABILITY_METHODS,
            facade: (provider) => createCompute(provider, harness.facadeOptions ?? {}),
            calls: {
              powerControl: (c) => c.start('conformance-id'),
              resize: (c) => c.resize('conformance-id', 'conformance-size'),
              tags: (c) => c.setTags('conformance-id', { conformance: 'yes' }),
              metrics: (c) => c.getMetrics({ ids: ['conformance-id'], metrics: ['cpu'], range: { start: new Date(0), end: new Date(3_600_000) }, periodSeconds: 300 }),
              sizes: (c) => c.listSizes(),
              addresses: (c) => c.associateAddress('conformance-id', '203.0.113.1'),
              scaleSets: (c) => c.setScaleSetCapacity('conformance-id', 1),
            },
          });
        },
        { id: 'capability-table' },
      );

      suite.test(
        'lists well-formed instances, filters by id, state and tag, and pages without duplicates',
        async (harness) => {
          const { compute, instanceId } = harness;
          const all = await settle(harness, compute.listInstances().toArray());
          expect(all.map((i) => i.id)).toContain(instanceId);
          for (const instance of all) expectInstance(instance, compute.name);
          const ids = all.map((i) => i.id);
          expect(new Set(ids).size).toBe(ids.length);
          const paged = await settle(harness, compute.listInstances({ pageSize: 1 }).toArray());
          expect(paged.map((i) => i.id).sort()).toEqual([...ids].sort());
          const byId = await settle(harness, compute.listInstances({ filter: { ids: [instanceId] } }).toArray());
          expect(byId.map((i) => i.id)).toEqual([instanceId]);
          const target = byId[0] as Instance;
          const byState = await settle(harness, compute.listInstances({ filter: { states: [target.state] } }).toArray());
          expect(byState.every((i) => i.state === target.state)).toBe(true);
          expect(byState.map((i) => i.id)).toContain(instanceId);
          const [key, value] = Object.entries(target.tags)[0] ?? [];
          if (key !== undefined && value !== undefined) {
            const byTag = await settle(harness, compute.listInstances({ tags: { [key]: value } }).toArray());
            expect(byTag.every((i) => i.tags[key] === value)).toBe(true);
            expect(byTag.map((i) => i.id)).toContain(instanceId);
          }
        },
        { id: 'list' },
      );

      suite.test(
        'gets one instance as listed, and NotFoundError for a missing id',
        async (harness) => {
          const { compute, instanceId } = harness;
          const instance = await settle(harness, compute.getInstance(instanceId));
          expectInstance(instance, compute.name);
          expect(instance.id).toBe(instanceId);
          if (harness.missingInstanceId !== undefined) await expectAlmanacError(settle(harness, compute.getInstance(harness.missingInstanceId)), { code: 'not_found' });
        },
        { id: 'get' },
      );

      suite.test(
        'validates input naming the field, and honours an aborted signal',
        async (harness) => {
          const { compute, instanceId } = harness;
          await expectAlmanacError(compute.getInstance(''), { code: 'validation', field: 'id' });
          await expectAlmanacError(compute.waitFor(instanceId, 'sleeping' as never), { code: 'validation', field: 'states.0' });
          await expectAlmanacError(
            compute.getMetrics({ ids: [instanceId], metrics: ['cpu'], range: { start: new Date(2_000), end: new Date(1_000) }, periodSeconds: 60 }),
            { code: 'validation', field: 'range.end' },
          );
          const controller = new AbortController();
          controller.abort();
          await expectAlmanacError(compute.getInstance(instanceId, { signal: controller.signal }), { code: 'aborted' });
        },
        { id: 'validation' },
      );

      suite.test(
        'stops and starts, each transition observed by polling waitFor; starting a running instance is a no-op',
        async (harness) => {
          const { compute, instanceId } = harness;
          const wait = { timeoutMs: harness.waitTimeoutMs ?? 600_000 };
          await settle(harness, compute.start(instanceId));
          await settle(harness, compute.waitFor(instanceId, 'running', wait));
          await settle(harness, compute.start(instanceId));
          expect((await settle(harness, compute.getInstance(instanceId))).state).toBe('running');
          await settle(harness, compute.stop(instanceId));
          const stopped = await settle(harness, compute.waitFor(instanceId, 'stopped', wait));
          expect(stopped.state).toBe('stopped');
          await settle(harness, compute.start(instanceId));
          const running = await settle(harness, compute.waitFor(instanceId, ['running'], wait));
          expect(running.state).toBe('running');
          await settle(harness, compute.reboot(instanceId));
          expect((await settle(harness, compute.waitFor(instanceId, 'running', wait))).state).toBe('running');
        },
        { id: 'power', needs: ['powerControl'], timeout: 1_800_000 },
      );

      suite.test(
        'deallocates: the stopped instance no longer bills compute (when the provider says)',
        async (harness) => {
          const { compute, instanceId } = harness;
          const wait = { timeoutMs: harness.waitTimeoutMs ?? 600_000 };
          await settle(harness, compute.stop(instanceId, { deallocate: true }));
          const stopped = await settle(harness, compute.waitFor(instanceId, 'stopped', wait));
          if (stopped.computeBilled !== undefined) expect(stopped.computeBilled).toBe(false);
          await settle(harness, compute.start(instanceId));
          await settle(harness, compute.waitFor(instanceId, 'running', wait));
        },
        { id: 'deallocate', needs: ['powerControl'], gate: ({ compute }) => (compute.capabilities.deallocate ? undefined : 'deallocate is not declared'), timeout: 1_800_000 },
      );

      suite.test(
        'resizes a running instance with allowStop (stop → resize → start) and back, and refuses without it unless resizing in place',
        async (harness) => {
          const { compute, instanceId } = harness;
          const [other, original] = harness.resizeSizes as readonly [string, string];
          const timeoutMs = harness.waitTimeoutMs ?? 600_000;
          await settle(harness, compute.waitFor(instanceId, 'running', { timeoutMs }));
          if (!compute.capabilities.resizeInPlace) await expectAlmanacError(settle(harness, compute.resize(instanceId, other)), { code: 'conflict' });
          const resized = await settle(harness, compute.resize(instanceId, other, { allowStop: true, timeoutMs }));
          expect(resized).toMatchObject({ id: instanceId, size: other, state: 'running' });
          const back = await settle(harness, compute.resize(instanceId, original, { allowStop: true, timeoutMs }));
          expect(back).toMatchObject({ size: original, state: 'running' });
        },
        { id: 'resize', needs: ['resize', 'powerControl'], gate: (h) => (h.resizeSizes === undefined ? 'no resizeSizes in the harness' : undefined), timeout: 3_600_000 },
      );

      suite.test(
        'sets, overwrites and removes tags, keeping the others',
        async (harness) => {
          const { compute, instanceId } = harness;
          const before = await settle(harness, compute.getInstance(instanceId));
          await settle(harness, compute.setTags(instanceId, { 'almanac-conformance': 'one' }));
          await settle(harness, compute.setTags(instanceId, { 'almanac-conformance': 'two' }));
          const tagged = await settle(harness, compute.getInstance(instanceId));
          expect(tagged.tags['almanac-conformance']).toBe('two');
          for (const [key, value] of Object.entries(before.tags)) expect(tagged.tags[key]).toBe(value);
          await settle(harness, compute.setTags(instanceId, {}, { remove: ['almanac-conformance'] }));
          expect((await settle(harness, compute.getInstance(instanceId))).tags).toEqual(before.tags);
        },
        { id: 'tags', needs: ['tags'] },
      );

      suite.test(
        'returns one series per (id, metric) in request order with honest units and sorted points',
        async (harness) => {
          const { compute, instanceId } = harness;
          const now = harness.clock?.now() ?? Date.now();
          const range = harness.metricsRange ?? { start: new Date(now - 3 * 3_600_000), end: new Date(now) };
          const metrics = compute.capabilities.metricNames;
          const series = await settle(harness, compute.getMetrics({ ids: [instanceId], metrics, range, periodSeconds: 300 }));
          expect(series.map((s) => [s.id, s.metric])).toEqual(metrics.map((m) => [instanceId, m]));
          for (const s of series) expectMetricSeries(s, range);
          expect(series.some((s) => s.points.length > 0)).toBe(true);
          const unsupported = METRIC_NAMES.find((m) => !metrics.includes(m));
          if (unsupported !== undefined) {
            await expectAlmanacError(settle(harness, compute.getMetrics({ ids: [instanceId], metrics: [unsupported], range, periodSeconds: 300 })), { code: 'capability' });
          }
        },
        { id: 'metrics', needs: ['metrics'] },
      );

      suite.test(
        'lists sizes with vCPUs and memory (and prices when declared), including the instance’s own',
        async (harness) => {
          const { compute, instanceId } = harness;
          const sizes = await settle(harness, compute.listSizes());
          expect(sizes.length).toBeGreaterThan(0);
          for (const size of sizes) {
            expect(size.vcpus).toBeGreaterThan(0);
            expect(size.memoryGiB).toBeGreaterThan(0);
            if (compute.capabilities.prices) {
              expect(size.hourlyPrice).toBeGreaterThanOrEqual(0);
              expect(size.currency).toMatch(/^[A-Z]{3}$/);
            }
          }
          const instance = await settle(harness, compute.getInstance(instanceId));
          expect(sizes.map((s) => s.name)).toContain(instance.size);
        },
        { id: 'sizes', needs: ['sizes'] },
      );

      suite.test(
        'associates and disassociates a public address; disassociating twice is fine',
        async (harness) => {
          const { compute, instanceId } = harness;
          const address = harness.address as string;
          await settle(harness, compute.associateAddress(instanceId, address));
          expect((await settle(harness, compute.getInstance(instanceId))).publicIps).toContain(address);
          await settle(harness, compute.disassociateAddress(instanceId, address));
          await settle(harness, compute.disassociateAddress(instanceId, address));
          expect((await settle(harness, compute.getInstance(instanceId))).publicIps).not.toContain(address);
        },
        { id: 'addresses', needs: ['addresses'], gate: (h) => (h.address === undefined ? 'no address in the harness' : undefined) },
      );

      suite.test(
        'lists scale sets and sets a capacity',
        async (harness) => {
          const { compute } = harness;
          const sets = await settle(harness, compute.listScaleSets().toArray());
          for (const set of sets) {
            expect(Number.isInteger(set.capacity)).toBe(true);
            expect(set.capacity).toBeGreaterThanOrEqual(0);
          }
          if (harness.scaleSetId !== undefined) {
            const set = sets.find((s) => s.id === harness.scaleSetId);
            expect(set, `scale set ${harness.scaleSetId} not listed`).toBeDefined();
            await settle(harness, compute.setScaleSetCapacity(harness.scaleSetId, set?.capacity ?? 0));
          }
        },
        { id: 'scale-sets', needs: ['scaleSets'] },
      );

      suite.test(
        'waitFor gives up with TimeoutError at its deadline',
        async (harness) => {
          const { compute, instanceId } = harness;
          const current = await settle(harness, compute.getInstance(instanceId));
          const never = current.state === 'terminated' ? 'running' : 'terminated';
          await expectAlmanacError(settle(harness, compute.waitFor(instanceId, never, { timeoutMs: 3_000, pollIntervalMs: 500 })), { code: current.state === 'terminated' ? 'conflict' : 'timeout' });
        },
        { id: 'wait-timeout' },
      );
    },
    { supports: (harness, capability) => harness.compute.supports(capability as never) },
  );
}
