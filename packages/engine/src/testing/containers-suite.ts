import type { ManualClock } from '@almanac/core';
import { checkCapabilityTable, describeConformance, expectAlmanacError, runWithClock } from '@almanac/core/testing';
import type { ConformanceOptions } from '@almanac/core/testing';
import { expect } from 'vitest';
import { createContainers } from '../facade/create-containers';
import type { Containers, EngineFacadeOptions } from '../facade/types';
import { CONTAINER_CAPABILITY_METHODS, type ContainerServiceProvider, ENGINE_SPECIFICATION_VERSION, type Service } from '../spec';
import { checkFlatCapabilities, expectMetricSeries } from './expectations';

/** What a container conformance `create` hook returns. */
export interface ContainersHarness {
  /** The facade under test. */
  readonly containers: Containers;
  /** Cluster holding `service`. */
  readonly cluster: string;
  /** A service the suite may scale up by one task and back. */
  readonly service: string;
  /** Facade options for the capability-table check. */
  readonly facadeOptions?: EngineFacadeOptions | undefined;
  /** A manual clock the provider runs on (the simulator); absent for real clouds. */
  readonly clock?: ManualClock | undefined;
  /** Longest wait for the service to settle, ms; default 10 minutes. */
  readonly waitTimeoutMs?: number | undefined;
}

/** Options of {@link describeContainerConformance}: core's conformance shape. */
export type ContainerConformanceOptions = ConformanceOptions<ContainersHarness>;

const STATUSES = ['active', 'draining', 'inactive', 'unknown'];

function settle<T>(harness: ContainersHarness, promise: Promise<T>): Promise<T> {
  return harness.clock === undefined ? promise : runWithClock(harness.clock, promise, { stepMs: 1000, maxAdvanceMs: 24 * 3_600_000 });
}

function expectService(service: Service): void {
  expect(service.name.length).toBeGreaterThan(0);
  expect(service.arn.length).toBeGreaterThan(0);
  for (const count of [service.desiredCount, service.runningCount, service.pendingCount]) {
    expect(Number.isInteger(count)).toBe(true);
    expect(count).toBeGreaterThanOrEqual(0);
  }
  expect(STATUSES).toContain(service.status);
  expect(typeof service.rawStatus).toBe('string');
  expect(Array.isArray(service.deployments)).toBe(true);
  for (const d of service.deployments) expect(Number.isInteger(d.desiredCount)).toBe(true);
  expect('raw' in service).toBe(true);
}

/**
 * Registers the container-service conformance suite for one adapter: contract and capability
 * table, full descriptions when listing, not-found, scaling observed until the service settles,
 * validated task definitions, events newest first, service metrics in percent.
 */
export function describeContainerConformance(options: ContainerConformanceOptions): void {
  describeConformance<ContainersHarness>(
    'containers',
    options,
    (suite) => {
      suite.test(
        'declares the v1 contract with flat capabilities',
        ({ containers }) => {
          const provider = containers.provider;
          expect(provider.specificationVersion).toBe(ENGINE_SPECIFICATION_VERSION);
          checkFlatCapabilities(provider.capabilities);
          expect(provider.capabilities.maxDesiredCount).toBeGreaterThan(0);
          expect(provider.capabilities.pollIntervalMs).toBeGreaterThan(0);
        },
        { id: 'contract' },
      );

      suite.test(
        'each capability flag matches the methods, and unsupported ones are refused before the provider is called',
        async (harness) => {
          const ref = { cluster: 'conformance', service: 'conformance' };
          await checkCapabilityTable<ContainerServiceProvider, Containers>({
            provider: harness.containers.provider,
            capabilityMethods: CONTAINER_CAPABILITY_METHODS,
            facade: (provider) => createContainers(provider, harness.facadeOptions ?? {}),
            calls: {
              scale: (c) => c.scaleService({ ...ref, desiredCount: 1 }),
              taskDefinitions: (c) => c.registerTaskDefinition({ family: 'conformance', containers: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:latest' }] }),
              events: (c) => c.serviceEvents(ref),
              metrics: (c) => c.getServiceMetrics({ ...ref, metrics: ['cpu'], range: { start: new Date(0), end: new Date(3_600_000) }, periodSeconds: 60 }),
            },
          });
        },
        { id: 'capability-table' },
      );

      suite.test(
        'lists fully described services of the cluster and gets one; NotFoundError for a missing one',
        async (harness) => {
          const { containers, cluster, service } = harness;
          const failures: unknown[] = [];
          const all = await settle(harness, containers.listServices(cluster, { onFailures: (f) => failures.push(...f) }).toArray());
          for (const s of all) expectService(s);
          const listed = all.find((s) => s.name === service || s.arn === service);
          expect(listed, `service ${service} not listed`).toBeDefined();
          expect(failures).toEqual([]);
          const got = await settle(harness, containers.getService({ cluster, service }));
          expectService(got);
          expect(got.arn).toBe(listed?.arn);
          await expectAlmanacError(settle(harness, containers.getService({ cluster, service: 'almanac-conformance-missing-service' })), { code: 'not_found' });
        },
        { id: 'list' },
      );

      suite.test(
        'scales up by one task, waits until it runs, and scales back',
        async (harness) => {
          const { containers, cluster, service } = harness;
          const timeoutMs = harness.waitTimeoutMs ?? 600_000;
          const before = await settle(harness, containers.getService({ cluster, service }));
          const up = await settle(harness, containers.scaleService({ cluster, service, desiredCount: before.desiredCount + 1 }));
          expect(up.desiredCount).toBe(before.desiredCount + 1);
          const steady = await settle(harness, containers.waitForService({ cluster, service, timeoutMs }));
          expect(steady.runningCount).toBe(before.desiredCount + 1);
          await settle(harness, containers.scaleService({ cluster, service, desiredCount: before.desiredCount }));
          const back = await settle(harness, containers.waitForService({ cluster, service, timeoutMs }));
          expect(back.desiredCount).toBe(before.desiredCount);
          await expectAlmanacError(containers.scaleService({ cluster, service, desiredCount: -1 }), { code: 'validation', field: 'desiredCount' });
        },
        { id: 'scale', needs: ['scale'], timeout: 1_800_000 },
      );

      suite.test(
        'registers a valid task definition and refuses an invalid one naming the field',
        async (harness) => {
          const { containers } = harness;
          const family = 'almanac-conformance';
          const registered = await settle(
            harness,
            containers.registerTaskDefinition({ family, cpu: 256, memoryMiB: 512, networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], containers: [{ name: 'app', image: 'public.ecr.aws/nginx/nginx:latest', portMappings: [{ containerPort: 80 }] }] }),
          );
          expect(registered.family).toBe(family);
          expect(registered.revision).toBeGreaterThanOrEqual(1);
          await expectAlmanacError(containers.registerTaskDefinition({ family: 'bad family!', containers: [] }), { code: 'validation', field: 'definition.family' });
        },
        { id: 'task-definition', needs: ['taskDefinitions'] },
      );

      suite.test(
        'returns service events newest first',
        async (harness) => {
          const events = await settle(harness, harness.containers.serviceEvents({ cluster: harness.cluster, service: harness.service }));
          for (let i = 1; i < events.length; i++) expect((events[i - 1]?.at.getTime() ?? 0) >= (events[i]?.at.getTime() ?? 0)).toBe(true);
          for (const e of events) expect(typeof e.message).toBe('string');
        },
        { id: 'events', needs: ['events'] },
      );

      suite.test(
        'returns service CPU and memory in percent',
        async (harness) => {
          const now = harness.clock?.now() ?? Date.now();
          const range = { start: new Date(now - 3_600_000), end: new Date(now) };
          const series = await settle(harness, harness.containers.getServiceMetrics({ cluster: harness.cluster, service: harness.service, metrics: ['cpu', 'memory'], range, periodSeconds: 60 }));
          expect(series.map((s) => s.metric)).toEqual(['cpu', 'memory']);
          for (const s of series) {
            expect(s.unit).toBe('percent');
            expectMetricSeries(s, range);
          }
        },
        { id: 'metrics', needs: ['metrics'] },
      );
    },
    { supports: (harness, capability) => harness.containers.supports(capability as never) },
  );
}
