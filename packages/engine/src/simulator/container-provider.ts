import { ValidationError } from '@almanac/core';
import {
  type ContainerCapabilities,
  ENGINE_SPECIFICATION_VERSION,
  type ListServicesRequest,
  type MetricSeries,
  type RegisterTaskDefinitionRequest,
  type ScaleServiceRequest,
  type Service,
  type ServiceEvent,
  type ServiceEventsRequest,
  type ServiceMetricsRequest,
  type ServicePage,
  type ServiceRequest,
  type TaskDefinition,
} from '../spec';
import { beforeCall } from './faults';
import { clusterOf, findService, nameOf, scale, settleService, toService } from './services';
import { type WorldState, serviceKey } from './state';
import { serviceSeries } from './synth';
import type { SimulatorContainerProvider, SimulatorWorld } from './types';

const PROVIDER = 'simulator';
/** Services per page, as ECS `DescribeServices` takes at most 10. */
const SERVICE_PAGE = 10;

/** Everything but in-place changes of the task definition of a running service. */
export const SIMULATOR_CONTAINER_CAPABILITIES: ContainerCapabilities = Object.freeze({
  scale: true,
  taskDefinitions: true,
  events: true,
  metrics: true,
  maxDesiredCount: 5_000,
  pollIntervalMs: 5_000,
});

/** Builds the container-service provider over a world (internal). */
export function containerProvider(world: WorldState, handle: () => SimulatorWorld): SimulatorContainerProvider {
  const now = () => world.clock.now();
  return {
    name: PROVIDER,
    specificationVersion: ENGINE_SPECIFICATION_VERSION,
    capabilities: SIMULATOR_CONTAINER_CAPABILITIES,
    get world() {
      return handle();
    },

    async listServicesPage(request: ListServicesRequest): Promise<ServicePage> {
      await beforeCall(world, 'listServicesPage', undefined, request.signal);
      const cluster = clusterOf(request.cluster);
      let offset = 0;
      if (request.cursor !== undefined) {
        const match = /^o(\d+)$/.exec(request.cursor);
        if (match === null) throw new ValidationError(undefined, [{ path: 'cursor', message: 'is not a cursor this provider returned' }], { provider: PROVIDER, operation: 'listServicesPage' });
        offset = Number(match[1]);
      }
      const t = now();
      const all = [...world.services.values()].filter((s) => s.cluster === cluster);
      const items = all.slice(offset, offset + SERVICE_PAGE).map((s) => {
        settleService(s, t);
        return toService(s, t);
      });
      return offset + SERVICE_PAGE < all.length ? { items, cursor: `o${offset + SERVICE_PAGE}`, failures: [] } : { items, failures: [] };
    },

    async getService(request: ServiceRequest): Promise<Service> {
      await beforeCall(world, 'getService', serviceKey(clusterOf(request.cluster), nameOf(request.service)), request.signal);
      return toService(findService(world, request.cluster, request.service, 'getService'), now());
    },

    async scaleService(request: ScaleServiceRequest): Promise<Service> {
      await beforeCall(world, 'scaleService', serviceKey(clusterOf(request.cluster), nameOf(request.service)), request.signal);
      const service = findService(world, request.cluster, request.service, 'scaleService');
      if (request.desiredCount > SIMULATOR_CONTAINER_CAPABILITIES.maxDesiredCount) {
        throw new ValidationError(undefined, [{ path: 'desiredCount', message: `must be ≤ ${SIMULATOR_CONTAINER_CAPABILITIES.maxDesiredCount}` }], { provider: PROVIDER, operation: 'scaleService' });
      }
      scale(world, service, request.desiredCount);
      return toService(service, now());
    },

    async registerTaskDefinition(request: RegisterTaskDefinitionRequest): Promise<TaskDefinition> {
      await beforeCall(world, 'registerTaskDefinition', request.definition.family, request.signal);
      const family = request.definition.family;
      const revision = (world.families.get(family) ?? 0) + 1;
      world.families.set(family, revision);
      return {
        arn: `arn:sim:ecs:${world.region}:000000000000:task-definition/${family}:${revision}`,
        family,
        revision,
        raw: { ...request.definition, revision },
      };
    },

    async serviceEvents(request: ServiceEventsRequest): Promise<ServiceEvent[]> {
      await beforeCall(world, 'serviceEvents', serviceKey(clusterOf(request.cluster), nameOf(request.service)), request.signal);
      const service = findService(world, request.cluster, request.service, 'serviceEvents');
      const since = request.since?.getTime();
      return service.events.filter((e) => since === undefined || e.at.getTime() >= since).map((e) => ({ ...e }));
    },

    async getServiceMetrics(request: ServiceMetricsRequest): Promise<MetricSeries[]> {
      await beforeCall(world, 'getServiceMetrics', serviceKey(clusterOf(request.cluster), nameOf(request.service)), request.signal);
      const service = findService(world, request.cluster, request.service, 'getServiceMetrics');
      const period = Math.max(60, Math.ceil(request.periodSeconds / 60) * 60);
      return request.metrics.map((metric) => serviceSeries(world, service, metric, request.range, period));
    },
  };
}
