import { ConflictError, NotFoundError, ValidationError } from '@almanac/core';
import {
  type AddressRequest,
  ENGINE_SPECIFICATION_VERSION,
  type ComputeCapabilities,
  type Instance,
  type InstanceRequest,
  type ListInstancesRequest,
  type ListSizesRequest,
  METRIC_NAMES,
  type MetricSeries,
  type MetricsRequest,
  type Page,
  type ResizeRequest,
  type ScaleSet,
  type SetCapacityRequest,
  type SetTagsRequest,
  type SizeInfo,
  type StopRequest,
} from '../spec';
import { beforeCall } from './faults';
import { findInstance, rebootInstance, resizeInstance, settle, startInstance, stopInstance, toInstance } from './instances';
import type { SimScaleSet, WorldState } from './state';
import { emptySeries, instanceSeries } from './synth';
import type { SimulatorComputeProvider, SimulatorWorld } from './types';

const PROVIDER = 'simulator';
/** CloudWatch's cap on data points per `GetMetricData` call; the simulator keeps it. */
const MAX_POINTS = 100_800;
const MAX_TAGS = 50;

/** The simulator supports every compute capability; `resizeInPlace` is false, as for EC2. */
export const SIMULATOR_COMPUTE_CAPABILITIES: ComputeCapabilities = Object.freeze({
  powerControl: true,
  deallocate: true,
  resize: true,
  resizeInPlace: false,
  tags: true,
  metrics: true,
  metricNames: METRIC_NAMES,
  sizes: true,
  prices: true,
  addresses: true,
  scaleSets: true,
  pollIntervalMs: 2_000,
});

function offsetOf(cursor: string | undefined, operation: string): number {
  if (cursor === undefined) return 0;
  const match = /^o(\d+)$/.exec(cursor);
  if (match === null) throw new ValidationError(undefined, [{ path: 'cursor', message: 'is not a cursor this provider returned' }], { provider: PROVIDER, operation });
  return Number(match[1]);
}

function toScaleSet(set: SimScaleSet): ScaleSet {
  return { id: set.id, name: set.name, region: set.region, size: set.size, capacity: set.capacity, tags: { ...set.tags }, raw: { ...set } };
}

/** Builds the compute provider over a world (internal; see `createSimulatorComputeProvider`). */
export function computeProvider(world: WorldState, handle: () => SimulatorWorld): SimulatorComputeProvider {
  const now = () => world.clock.now();
  return {
    name: PROVIDER,
    specificationVersion: ENGINE_SPECIFICATION_VERSION,
    capabilities: SIMULATOR_COMPUTE_CAPABILITIES,
    get world() {
      return handle();
    },

    async listInstancesPage(request: ListInstancesRequest): Promise<Page<Instance>> {
      await beforeCall(world, 'listInstancesPage', undefined, request.signal);
      const offset = offsetOf(request.cursor, 'listInstancesPage');
      const size = request.pageSize ?? world.pageSize;
      const f = request.filter;
      const t = now();
      const matching: Instance[] = [];
      for (const record of world.instances.values()) {
        settle(record, t);
        const instance = toInstance(record);
        if (f?.ids !== undefined && !f.ids.includes(instance.id)) continue;
        if (f?.states !== undefined && !f.states.includes(instance.state)) continue;
        if (f?.sizes !== undefined && !f.sizes.includes(instance.size)) continue;
        if (request.tags !== undefined && Object.entries(request.tags).some(([k, v]) => instance.tags[k] !== v)) continue;
        matching.push(instance);
      }
      const items = matching.slice(offset, offset + size);
      return offset + size < matching.length ? { items, cursor: `o${offset + size}` } : { items };
    },

    async getInstance(request: InstanceRequest): Promise<Instance> {
      await beforeCall(world, 'getInstance', request.id, request.signal);
      return toInstance(findInstance(world, request.id, 'getInstance'));
    },

    async start(request: InstanceRequest): Promise<void> {
      await beforeCall(world, 'start', request.id, request.signal);
      startInstance(world, findInstance(world, request.id, 'start'));
    },

    async stop(request: StopRequest): Promise<void> {
      await beforeCall(world, 'stop', request.id, request.signal);
      stopInstance(world, findInstance(world, request.id, 'stop'), request.deallocate === true);
    },

    async reboot(request: InstanceRequest): Promise<void> {
      await beforeCall(world, 'reboot', request.id, request.signal);
      rebootInstance(world, findInstance(world, request.id, 'reboot'));
    },

    async resizeInstance(request: ResizeRequest): Promise<void> {
      await beforeCall(world, 'resizeInstance', request.id, request.signal);
      resizeInstance(world, findInstance(world, request.id, 'resizeInstance'), request.size);
    },

    async setTags(request: SetTagsRequest): Promise<void> {
      await beforeCall(world, 'setTags', request.id, request.signal);
      const instance = findInstance(world, request.id, 'setTags');
      const next = { ...instance.tags, ...request.tags };
      for (const key of request.remove ?? []) delete next[key];
      if (Object.keys(next).length > MAX_TAGS) {
        throw new ValidationError(undefined, [{ path: 'tags', message: `an instance can carry at most ${MAX_TAGS} tags` }], { provider: PROVIDER, operation: 'setTags' });
      }
      instance.tags = next;
    },

    async getMetrics(request: MetricsRequest): Promise<MetricSeries[]> {
      await beforeCall(world, 'getMetrics', request.ids.length === 1 ? request.ids[0] : undefined, request.signal);
      const period = Math.max(60, Math.ceil(request.periodSeconds / 60) * 60);
      const span = request.range.end.getTime() - request.range.start.getTime();
      const points = Math.ceil(span / (period * 1000)) * request.ids.length * request.metrics.length;
      if (points > MAX_POINTS) {
        throw new ValidationError(undefined, [{ path: 'periodSeconds', message: `would return ${points} points; at most ${MAX_POINTS} per call` }], { provider: PROVIDER, operation: 'getMetrics' });
      }
      const out: MetricSeries[] = [];
      for (const id of request.ids) {
        const record = world.instances.get(id);
        if (record !== undefined) settle(record, now());
        for (const metric of request.metrics) {
          out.push(record === undefined ? emptySeries(id, metric, period) : instanceSeries(world, record, metric, request.range, period));
        }
      }
      return out;
    },

    async listSizes(request: ListSizesRequest): Promise<SizeInfo[]> {
      await beforeCall(world, 'listSizes', request.id, request.signal);
      if (request.id !== undefined) findInstance(world, request.id, 'listSizes');
      return [...world.sizes];
    },

    async associateAddress(request: AddressRequest): Promise<void> {
      await beforeCall(world, 'associateAddress', request.id, request.signal);
      const instance = findInstance(world, request.id, 'associateAddress');
      if (instance.publicIps.includes(request.address)) return;
      for (const other of world.instances.values()) {
        if (other !== instance && other.publicIps.includes(request.address)) {
          throw new ConflictError(`Address ${request.address} is associated with ${other.id}`, { provider: PROVIDER, operation: 'associateAddress' });
        }
      }
      instance.publicIps.push(request.address);
    },

    async disassociateAddress(request: AddressRequest): Promise<void> {
      await beforeCall(world, 'disassociateAddress', request.id, request.signal);
      const instance = findInstance(world, request.id, 'disassociateAddress');
      instance.publicIps = instance.publicIps.filter((ip) => ip !== request.address);
    },

    async listScaleSetsPage(request): Promise<Page<ScaleSet>> {
      await beforeCall(world, 'listScaleSetsPage', undefined, request.signal);
      const offset = offsetOf(request.cursor, 'listScaleSetsPage');
      const all = [...world.scaleSets.values()];
      const items = all.slice(offset, offset + world.pageSize).map(toScaleSet);
      return offset + world.pageSize < all.length ? { items, cursor: `o${offset + world.pageSize}` } : { items };
    },

    async setScaleSetCapacity(request: SetCapacityRequest): Promise<void> {
      await beforeCall(world, 'setScaleSetCapacity', request.id, request.signal);
      const set = world.scaleSets.get(request.id);
      if (set === undefined) throw new NotFoundError(`Scale set ${request.id} not found`, { provider: PROVIDER, operation: 'setScaleSetCapacity' });
      set.capacity = request.capacity;
    },
  };
}
