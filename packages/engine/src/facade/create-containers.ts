import { ValidationError, compact, paginate, parse } from '@almanac/core';
import type { Paginated } from '@almanac/core';
import { CONTAINER_CAPABILITY_METHODS, type ContainerServiceProvider, type Service, type ServiceFailure, type TaskDefinitionInput } from '../spec';
import { createEngineRunner } from './engine-runner';
import { pollUntil } from './poll';
import {
  callOptions,
  listServicesSchema,
  scaleServiceSchema,
  serviceEventsSchema,
  serviceMetricsSchema,
  serviceSchema,
  taskDefinitionSchema,
  waitForServiceSchema,
} from './schemas';
import type { Containers, EngineFacadeOptions } from './types';


/**
 * Wraps a container-service provider in the {@link Containers} facade, with the same guarantees
 * as `createCompute`: validation naming the field, capability checks, deadlines, error mapping,
 * one span and one audit event per operation, polling on the injected clock.
 */
export function createContainers(provider: ContainerServiceProvider, options: EngineFacadeOptions = {}): Containers {
  const { runner, waitTimeoutMs, maxPollMs } = createEngineRunner('createContainers', 'containers', provider, CONTAINER_CAPABILITY_METHODS, options);
  const logger = runner.logger;

  const reportFailures = (cluster: string, failures: readonly ServiceFailure[] | undefined, listener: ((f: readonly ServiceFailure[]) => void) | undefined) => {
    if (failures === undefined || failures.length === 0) return;
    if (listener === undefined) {
      logger.warn('containers: services listed but not described', { provider: provider.name, cluster, failures: failures.map((f) => `${f.arn}: ${f.reason}`) });
      return;
    }
    try {
      listener(failures);
    } catch (error) {
      logger.warn('containers onFailures listener threw; ignored', { provider: provider.name, error });
    }
  };

  const containers: Containers = {
    name: provider.name,
    provider,
    capabilities: provider.capabilities,
    supports: (capability) => runner.supports(capability),

    listServices(cluster, listOptions): Paginated<Service, string> {
      const parsed = runner.prepare('listServices', { cluster, ...listOptions }, listServicesSchema);
      return paginate<Service, string>(
        ({ cursor }) =>
          runner.run(
            'listServices',
            undefined,
            undefined,
            async (_input, context) => {
              const page = await provider.listServicesPage({ cluster: parsed.cluster, ...(cursor === undefined ? {} : { cursor }), signal: context.signal });
              context.annotate({ items: page.items.length, failures: page.failures?.length ?? 0 });
              reportFailures(parsed.cluster, page.failures, listOptions?.onFailures);
              return { items: [...page.items], nextCursor: page.cursor };
            },
            { signal: parsed.signal, idempotent: true, attributes: { cluster: parsed.cluster } },
          ),
        { signal: parsed.signal },
      );
    },

    getService: (input) =>
      runner.run('getService', input, serviceSchema, (parsed, context) => provider.getService({ cluster: parsed.cluster, service: parsed.service, signal: context.signal }), {
        idempotent: true,
        attributes: { cluster: input?.cluster, service: input?.service },
      }),

    scaleService: (input) =>
      runner.run(
        'scaleService',
        input,
        scaleServiceSchema,
        async (parsed, context) => {
          const max = provider.capabilities.maxDesiredCount;
          if (parsed.desiredCount > max) {
            throw new ValidationError(undefined, [{ path: 'desiredCount', message: `must be ≤ ${max} for ${provider.name}` }], { provider: provider.name, operation: 'scaleService' });
          }
          return runner
            .require('scale', 'scaleService')
            .scaleService({ cluster: parsed.cluster, service: parsed.service, desiredCount: parsed.desiredCount, signal: context.signal });
        },
        { capability: 'scale', idempotent: true, attributes: { cluster: input?.cluster, service: input?.service, desiredCount: input?.desiredCount } },
      ),

    registerTaskDefinition: (definition, callOpts) =>
      runner.run(
        'registerTaskDefinition',
        definition,
        taskDefinitionSchema,
        (parsed, context) => {
          parse(callOptions, callOpts, { provider: provider.name, operation: 'registerTaskDefinition', path: 'options' });
          const def = compact({
            ...parsed,
            containers: parsed.containers.map((c) => compact(c)),
          }) as TaskDefinitionInput;
          return runner.require('taskDefinitions', 'registerTaskDefinition').registerTaskDefinition({ definition: def, signal: context.signal });
        },
        { capability: 'taskDefinitions', idempotent: false, signal: callOpts?.signal, path: 'definition', attributes: { family: definition?.family } },
      ),

    serviceEvents: (input) =>
      runner.run(
        'serviceEvents',
        input,
        serviceEventsSchema,
        (parsed, context) =>
          runner
            .require('events', 'serviceEvents')
            .serviceEvents({ cluster: parsed.cluster, service: parsed.service, ...(parsed.since === undefined ? {} : { since: parsed.since }), signal: context.signal }),
        { capability: 'events', idempotent: true },
      ),

    getServiceMetrics: (input) =>
      runner.run(
        'getServiceMetrics',
        input,
        serviceMetricsSchema,
        (parsed, context) =>
          runner.require('metrics', 'getServiceMetrics').getServiceMetrics({
            cluster: parsed.cluster,
            service: parsed.service,
            metrics: parsed.metrics,
            range: parsed.range,
            periodSeconds: parsed.periodSeconds,
            signal: context.signal,
          }),
        { capability: 'metrics', idempotent: true },
      ),

    waitForService: (input) =>
      runner.run(
        'waitForService',
        input,
        waitForServiceSchema,
        (parsed, context) =>
          pollUntil(
            runner.clock,
            context.signal,
            { firstMs: parsed.pollIntervalMs ?? provider.capabilities.pollIntervalMs, maxMs: maxPollMs },
            () => provider.getService({ cluster: parsed.cluster, service: parsed.service, signal: context.signal }),
            (service) => service.runningCount === service.desiredCount && service.pendingCount === 0,
          ),
        { timeoutMs: input?.timeoutMs ?? waitTimeoutMs, idempotent: true },
      ),
  };
  return Object.freeze(containers);
}
