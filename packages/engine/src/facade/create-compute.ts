import { CapabilityError, ConflictError, ValidationError, compact, paginate } from '@almanac/core';
import type { Paginated } from '@almanac/core';
import { COMPUTE_CAPABILITY_METHODS, type ComputeProvider, type Instance, type InstanceState, type MetricName, type ScaleSet, type SizeInfo } from '../spec';
import { createEngineRunner } from './engine-runner';
import { pollUntil } from './poll';
import {
  addressSchema,
  capacitySchema,
  instanceSchema,
  listInstancesSchema,
  listSizesSchema,
  metricsSchema,
  resizeSchema,
  setTagsSchema,
  signal as signalSchema,
  stopSchema,
  waitForSchema,
} from './schemas';
import type { Compute, EngineFacadeOptions } from './types';
import * as z from '@almanac/core/schema';

const RUNNING_LIKE: readonly InstanceState[] = ['running', 'pending', 'rebooting'];

const listScaleSetsSchema = z.object({ signal: signalSchema }).optional();

/**
 * Wraps a compute provider in the {@link Compute} facade (on core's operation runner: validation,
 * capability checks, deadlines, error mapping, one span and one audit event per operation).
 * Waiting (`waitFor`, `resize`) polls on the injected clock; nothing sleeps a fixed time.
 *
 * @throws `ConfigError` when `provider` is not an engine provider of specification `v1`;
 * `ValidationError` for bad options.
 */
export function createCompute(provider: ComputeProvider, options: EngineFacadeOptions = {}): Compute {
  const { runner, waitTimeoutMs, maxPollMs } = createEngineRunner('createCompute', 'compute', provider, COMPUTE_CAPABILITY_METHODS, options);
  const clock = runner.clock;
  const capabilities = provider.capabilities;

  /** Polls until the instance is in one of `states` (shared by waitFor and resize). */
  const waitUntil = (id: string, states: readonly InstanceState[], signal: AbortSignal, firstMs?: number): Promise<Instance> =>
    pollUntil(
      clock,
      signal,
      { firstMs: firstMs ?? capabilities.pollIntervalMs, maxMs: maxPollMs },
      () => provider.getInstance({ id, signal }),
      (instance) => states.includes(instance.state),
      (instance) =>
        instance.state === 'terminated'
          ? new ConflictError(`Instance ${id} is terminated; it will never be ${states.join(' or ')}`, { provider: provider.name, operation: 'waitFor' })
          : undefined,
    );

  /**
   * Refuses a size the provider does not offer before anything is stopped. Without in-place
   * resize, the instance's own list (`listSizes({ id })`) says what it can take. With it, that
   * list only holds the sizes the instance can take where it runs now (Azure
   * `listAvailableSizes`), so sizes that need a stop (deallocation) would be refused: the check
   * uses the region's list instead, and is skipped when the provider cannot list without an id
   * (Azure without `location`); the provider then refuses an unknown size itself.
   */
  const checkOffered = async (id: string, size: string, signal: AbortSignal): Promise<void> => {
    const p = runner.require('sizes', 'resize');
    let offered: SizeInfo[];
    if (capabilities.resizeInPlace) {
      try {
        offered = await p.listSizes({ signal });
      } catch (error) {
        if (ValidationError.isInstance(error)) return;
        throw error;
      }
    } else {
      offered = await p.listSizes({ id, signal });
    }
    if (!offered.some((s) => s.name === size)) {
      const where = capabilities.resizeInPlace ? 'in its region' : `for instance ${id}`;
      throw new ValidationError(undefined, [{ path: 'size', message: `"${size}" is not offered ${where}` }], { provider: provider.name, operation: 'resize' });
    }
  };

  const checkMetrics = (metrics: readonly string[], operation: string) => {
    for (const metric of metrics) {
      if (!capabilities.metricNames.includes(metric as MetricName)) throw new CapabilityError(`metric ${metric}`, { provider: provider.name, operation });
    }
  };

  const compute: Compute = {
    name: provider.name,
    provider,
    capabilities,
    supports: (capability) => runner.supports(capability),

    listInstances(listOptions): Paginated<Instance, string> {
      const parsed = runner.prepare('listInstances', listOptions, listInstancesSchema, undefined, { path: 'options' });
      const request = compact({ filter: parsed?.filter === undefined ? undefined : compact(parsed.filter), tags: parsed?.tags, pageSize: parsed?.pageSize });
      return paginate<Instance, string>(
        ({ cursor }) =>
          runner.run(
            'listInstances',
            undefined,
            undefined,
            async (_input, context) => {
              const page = await provider.listInstancesPage({ ...request, ...(cursor === undefined ? {} : { cursor }), signal: context.signal });
              context.annotate({ items: page.items.length });
              return { items: [...page.items], nextCursor: page.cursor };
            },
            { signal: parsed?.signal, idempotent: true },
          ),
        { signal: parsed?.signal },
      );
    },

    getInstance: (id, callOptions) =>
      runner.run('getInstance', { id, ...callOptions }, instanceSchema, (input, context) => provider.getInstance({ id: input.id, signal: context.signal }), {
        idempotent: true,
        attributes: { id },
      }),

    start: (id, callOptions) =>
      runner.run(
        'start',
        { id, ...callOptions },
        instanceSchema,
        (input, context) => runner.require('powerControl', 'start').start({ id: input.id, signal: context.signal }),
        { capability: 'powerControl', idempotent: true, attributes: { id } },
      ),

    stop: (id, stopOptions) =>
      runner.run(
        'stop',
        { id, ...stopOptions },
        stopSchema,
        (input, context) =>
          runner.require('powerControl', 'stop').stop({ id: input.id, ...(input.deallocate === undefined ? {} : { deallocate: input.deallocate }), signal: context.signal }),
        { capability: 'powerControl', idempotent: true, attributes: { id, deallocate: stopOptions?.deallocate } },
      ),

    reboot: (id, callOptions) =>
      runner.run(
        'reboot',
        { id, ...callOptions },
        instanceSchema,
        (input, context) => runner.require('powerControl', 'reboot').reboot({ id: input.id, signal: context.signal }),
        { capability: 'powerControl', idempotent: false, attributes: { id } },
      ),

    resize: (id, size, resizeOptions) =>
      runner.run(
        'resize',
        { id, size, ...resizeOptions },
        resizeSchema,
        async (input, context) => {
          const p = runner.require('resize', 'resize');
          const signal = context.signal;
          if (runner.supports('sizes')) await checkOffered(input.id, input.size, signal);
          const before = await p.getInstance({ id: input.id, signal });
          context.annotate({ from: before.size, to: input.size, state: before.state });
          if (before.size === input.size) return before;
          if (before.state === 'terminated') throw new ConflictError(`Instance ${input.id} is terminated`, { provider: provider.name, operation: 'resize' });
          if (before.state === 'stopped') {
            await p.resizeInstance({ id: input.id, size: input.size, signal });
            return p.getInstance({ id: input.id, signal });
          }
          if (before.state === 'stopping') {
            // Already on its way down: let it finish, resize, and leave it stopped as the caller had it.
            await waitUntil(input.id, ['stopped'], signal);
            await p.resizeInstance({ id: input.id, size: input.size, signal });
            return p.getInstance({ id: input.id, signal });
          }
          if (capabilities.resizeInPlace) {
            try {
              await p.resizeInstance({ id: input.id, size: input.size, signal });
              return await waitUntil(input.id, ['running'], signal);
            } catch (error) {
              // The provider needs a stop for this size (e.g. Azure outside listAvailableSizes).
              if (!ConflictError.isInstance(error)) throw error;
              if (input.allowStop !== true) {
                const how = capabilities.deallocate ? 'deallocate' : 'stop';
                throw new ConflictError(`${error.message}; pass allowStop: true and resize will ${how} it, resize it and start it again`, {
                  provider: provider.name,
                  operation: 'resize',
                  cause: error,
                });
              }
            }
          }
          if (input.allowStop !== true) {
            throw new ConflictError(`Instance ${input.id} is ${before.state}; resizing it needs a stop: pass allowStop: true`, { provider: provider.name, operation: 'resize' });
          }
          const power = runner.require('powerControl', 'resize');
          const wasRunning = RUNNING_LIKE.includes(before.state);
          await power.stop({ id: input.id, ...(capabilities.deallocate ? { deallocate: true } : {}), signal });
          await waitUntil(input.id, ['stopped'], signal);
          try {
            await p.resizeInstance({ id: input.id, size: input.size, signal });
          } catch (error) {
            // Leave the instance as we found it: running, at its old size.
            if (wasRunning) await power.start({ id: input.id, signal }).catch(() => undefined);
            throw error;
          }
          if (!wasRunning) return p.getInstance({ id: input.id, signal });
          await power.start({ id: input.id, signal });
          return waitUntil(input.id, ['running'], signal);
        },
        { capability: 'resize', timeoutMs: resizeOptions?.timeoutMs ?? waitTimeoutMs, idempotent: false, attributes: { id } },
      ),

    setTags: (id, tags, tagOptions) =>
      runner.run(
        'setTags',
        { id, tags, ...tagOptions },
        setTagsSchema,
        (input, context) =>
          runner.require('tags', 'setTags').setTags({ id: input.id, tags: input.tags, ...(input.remove === undefined ? {} : { remove: input.remove }), signal: context.signal }),
        { capability: 'tags', idempotent: true, attributes: { id } },
      ),

    getMetrics: (input) =>
      runner.run(
        'getMetrics',
        input,
        metricsSchema,
        async (parsed, context) => {
          checkMetrics(parsed.metrics, 'getMetrics');
          context.annotate({ ids: parsed.ids.length, metrics: parsed.metrics.length });
          return runner.require('metrics', 'getMetrics').getMetrics({
            ids: parsed.ids,
            metrics: parsed.metrics as MetricName[],
            range: parsed.range,
            periodSeconds: parsed.periodSeconds,
            signal: context.signal,
          });
        },
        { capability: 'metrics', idempotent: true },
      ),

    listSizes: (sizeOptions) =>
      runner.run(
        'listSizes',
        sizeOptions,
        listSizesSchema,
        (parsed, context) => runner.require('sizes', 'listSizes').listSizes({ ...(parsed?.id === undefined ? {} : { id: parsed.id }), signal: context.signal }),
        { capability: 'sizes', idempotent: true, path: 'options' },
      ),

    associateAddress: (id, address, callOptions) =>
      runner.run(
        'associateAddress',
        { id, address, ...callOptions },
        addressSchema,
        (input, context) => runner.require('addresses', 'associateAddress').associateAddress({ id: input.id, address: input.address, signal: context.signal }),
        { capability: 'addresses', idempotent: true, attributes: { id } },
      ),

    disassociateAddress: (id, address, callOptions) =>
      runner.run(
        'disassociateAddress',
        { id, address, ...callOptions },
        addressSchema,
        (input, context) =>
          runner.require('addresses', 'disassociateAddress').disassociateAddress({ id: input.id, address: input.address, signal: context.signal }),
        { capability: 'addresses', idempotent: true, attributes: { id } },
      ),

    listScaleSets(callOptions): Paginated<ScaleSet, string> {
      const parsed = runner.prepare('listScaleSets', callOptions, listScaleSetsSchema, undefined, { capability: 'scaleSets', path: 'options' });
      return paginate<ScaleSet, string>(
        ({ cursor }) =>
          runner.run(
            'listScaleSets',
            undefined,
            undefined,
            async (_input, context) => {
              const page = await runner.require('scaleSets', 'listScaleSets').listScaleSetsPage({ ...(cursor === undefined ? {} : { cursor }), signal: context.signal });
              return { items: [...page.items], nextCursor: page.cursor };
            },
            { signal: parsed?.signal, idempotent: true, capability: 'scaleSets' },
          ),
        { signal: parsed?.signal },
      );
    },

    setScaleSetCapacity: (id, capacity, callOptions) =>
      runner.run(
        'setScaleSetCapacity',
        { id, capacity, ...callOptions },
        capacitySchema,
        (input, context) => runner.require('scaleSets', 'setScaleSetCapacity').setScaleSetCapacity({ id: input.id, capacity: input.capacity, signal: context.signal }),
        { capability: 'scaleSets', idempotent: true, attributes: { id, capacity } },
      ),

    waitFor: (id, state, waitOptions) =>
      runner.run(
        'waitFor',
        { id, states: typeof state === 'string' ? [state] : state, ...waitOptions },
        waitForSchema,
        async (input, context) => {
          const instance = await waitUntil(input.id, input.states as InstanceState[], context.signal, input.pollIntervalMs);
          context.annotate({ state: instance.state });
          return instance;
        },
        { timeoutMs: waitOptions?.timeoutMs ?? waitTimeoutMs, idempotent: true, attributes: { id } },
      ),
  };
  return Object.freeze(compute);
}
