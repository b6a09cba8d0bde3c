import { ConflictError, NotFoundError, raceAbort, systemClock, ValidationError } from '@almanac/core';
import { callProvider } from '@almanac/core/kit';
import {
  type CallOptions,
  type ComputeCapabilities,
  type ComputeProvider,
  ENGINE_SPECIFICATION_VERSION,
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
} from '../../spec';
import { matchesListRequest } from '../../instance-filter';
import { AZURE_PROVIDER, mapAzureError } from './errors';
import { type AzureResourceRef, parseResourceId } from './ids';
import { powerStateOf, statusesOf, toInstance, toScaleSet } from './map';
import { AZURE_VM_METRICS, azureInterval, durationSeconds, pointsByMetric } from './metrics';
import { type AzureComputeProviderOptions, checkAzureComputeOptions } from './options';
import { type AzureCallOptions, type AzurePage, type AzurePollerLike, type AzureVirtualMachine, azureClients } from './sdk';

/**
 * What the Azure adapter supports. `deallocate` is true: `stop({ deallocate: true })` releases
 * the compute allocation (billing stops) while a plain stop only powers the VM off (still
 * billed). `resizeInPlace` is true: sizes in `listAvailableSizes` apply to a running VM (Azure
 * restarts it); other sizes need a deallocated VM. Elastic-IP style addresses are not mapped.
 */
export const AZURE_COMPUTE_CAPABILITIES: ComputeCapabilities = Object.freeze({
  powerControl: true,
  deallocate: true,
  resize: true,
  resizeInPlace: true,
  tags: true,
  metrics: true,
  metricNames: METRIC_NAMES,
  sizes: true,
  prices: false,
  addresses: false,
  scaleSets: true,
  // VM power operations take tens of seconds.
  pollIntervalMs: 5_000,
});

/** The Azure compute provider: every optional method the capabilities promise is present. */
export interface AzureComputeProvider extends ComputeProvider {
  /** `beginStart`, polled to completion; starting a running VM is a no-op. */
  start(request: InstanceRequest): Promise<void>;
  /**
   * `deallocate: true` → `beginDeallocate`: the VM releases its host; compute billing stops
   * (`PowerState/deallocated`). Otherwise `beginPowerOff`: the OS stops but the VM keeps its
   * host and **compute is still billed** (`PowerState/stopped`). Polled to completion; a VM
   * already in the asked state is left alone.
   */
  stop(request: StopRequest): Promise<void>;
  /** `beginRestart`, polled to completion; sent once, never retried (a repeat restarts again). */
  reboot(request: InstanceRequest): Promise<void>;
  /**
   * Sets `hardwareProfile.vmSize` (`beginUpdate`, polled). A size in `listAvailableSizes`
   * applies to a running VM (Azure restarts it); any other size throws `ConflictError` unless
   * the VM is deallocated (the facade then deallocates, resizes and starts when allowed).
   */
  resizeInstance(request: ResizeRequest): Promise<void>;
  /** Reads the tags, merges, and writes the whole map back (`beginUpdate`); not atomic against concurrent writers. */
  setTags(request: SetTagsRequest): Promise<void>;
  /** Azure Monitor `Metrics - List`: one call per VM with every metric, a few VMs at a time. */
  getMetrics(request: MetricsRequest): Promise<MetricSeries[]>;
  /** `listAvailableSizes` for an id, else the sizes of `options.location`. No prices. */
  listSizes(request: ListSizesRequest): Promise<SizeInfo[]>;
  /** One page of `virtualMachineScaleSets.listAll`. */
  listScaleSetsPage(request: CallOptions & { readonly cursor?: string | undefined }): Promise<Page<ScaleSet>>;
  /** Sets `sku.capacity` (`beginUpdate`), polled to completion. */
  setScaleSetCapacity(request: SetCapacityRequest): Promise<void>;
}

type Json = Record<string, unknown>;

const DEFAULT_ENDPOINT = 'https://management.azure.com';

// ARM resource ids are case-insensitive.
const sameArmId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The Azure compute provider over `@azure/arm-compute` (VMs, sizes, scale sets) and
 * `@azure/arm-monitor` (metrics), loaded on first use. Use `createAzureCompute` for the facade.
 *
 * - Ids are ARM resource ids (`/subscriptions/…/providers/Microsoft.Compute/virtualMachines/<name>`).
 * - `listInstancesPage` reads one page of `virtualMachines.listAll({ statusOnly: 'true' })`, which
 *   carries each VM's power state (`rawState` = the `PowerState/...` code); a VM whose status is
 *   missing (Azure notes this can happen) is read again with `instanceView`. The cursor is the
 *   page's next link, accepted back only on the adapter's own endpoint so a forged cursor
 *   cannot send the bearer token elsewhere.
 * - Long-running operations are polled to completion by the SDK poller (which follows
 *   `Azure-AsyncOperation` / `Location`), with the caller's signal; nothing sleeps a fixed time.
 * - Retries: reads and operations that converge on a state (start, power off, deallocate,
 *   update of size, tags or capacity) are retried; `beginRestart` is not. Clients are built with
 *   `retryOptions.maxRetries: 0`, so core's `callProvider` is the only retry layer.
 */
export function createAzureComputeProvider(options: AzureComputeProviderOptions): AzureComputeProvider {
  checkAzureComputeOptions(options);
  const subscriptionId = options.subscriptionId;
  const clients = azureClients({ subscriptionId, credential: options.credential, endpoint: options.endpoint }, options.clients ?? {}, options.importers);
  const clock = options.clock ?? systemClock;
  const origin = new URL(options.endpoint ?? DEFAULT_ENDPOINT).origin;
  const concurrency = options.metricsConcurrency ?? 4;
  const lroOptions = (signal: AbortSignal): AzureCallOptions => ({
    abortSignal: signal,
    ...(options.pollIntervalMs !== undefined && { updateIntervalInMs: options.pollIntervalMs }),
  });

  /**
   * One SDK call through core's `callProvider`. `raceAbort` because some SDK paths (next-page
   * requests) do not pass the signal on: the caller still gets control back at once.
   */
  const run = <T>(operation: string, idempotent: boolean, signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    callProvider((attemptSignal) => raceAbort(work(attemptSignal), attemptSignal), {
      provider: AZURE_PROVIDER,
      operation,
      idempotent,
      signal,
      retry: options.retry,
      clock,
      logger: options.logger,
      mapError: (error, info) => mapAzureError(error, info.operation),
    });

  /** Starts a long-running operation and polls it to completion. */
  const lro = (
    operation: string,
    idempotent: boolean,
    signal: AbortSignal | undefined,
    begin: (callOptions: AzureCallOptions) => Promise<AzurePollerLike<unknown>>,
  ): Promise<void> =>
    run(operation, idempotent, signal, async (attemptSignal) => {
      const poller = await begin(lroOptions(attemptSignal));
      await poller.pollUntilDone({ abortSignal: attemptSignal });
    });

  const vmRef = (id: string, operation: string): AzureResourceRef => parseResourceId(id, 'vm', subscriptionId, operation);

  const getVm = async (ref: AzureResourceRef, signal: AbortSignal | undefined): Promise<AzureVirtualMachine> => {
    const compute = await clients.compute();
    return run('virtualMachines.get', true, signal, (s) => compute.virtualMachines.get(ref.resourceGroup, ref.name, { expand: 'instanceView', abortSignal: s }));
  };

  const getInstance = async (request: InstanceRequest): Promise<Instance> => toInstance(await getVm(vmRef(request.id, 'virtualMachines.get'), request.signal));

  const checkCursor = (cursor: string): void => {
    let url: URL | undefined;
    try {
      url = new URL(cursor);
    } catch {
      url = undefined;
    }
    if (url === undefined || url.origin !== origin) {
      throw new ValidationError(undefined, [{ path: 'cursor', message: 'is not a cursor this provider returned' }], { provider: AZURE_PROVIDER, operation: 'listAll' });
    }
  };

  const firstPage = async <T>(operation: string, signal: AbortSignal | undefined, pages: (s: AbortSignal) => AsyncIterableIterator<AzurePage<T>>): Promise<AzurePage<T>> =>
    run(operation, true, signal, async (s) => {
      const { value, done } = await pages(s).next();
      return done === true || value === undefined ? ([] as AzurePage<T>) : value;
    });

  return {
    name: AZURE_PROVIDER,
    specificationVersion: ENGINE_SPECIFICATION_VERSION,
    capabilities: AZURE_COMPUTE_CAPABILITIES,

    async listInstancesPage(request: ListInstancesRequest): Promise<Page<Instance>> {
      const ids = request.filter?.ids;
      if (ids !== undefined) {
        // Known ids: read each one (with its instance view) instead of scanning the subscription.
        const items: Instance[] = [];
        for (const id of ids) {
          try {
            items.push(await getInstance({ id, ...(request.signal !== undefined && { signal: request.signal }) }));
          } catch (error) {
            if (!NotFoundError.isInstance(error)) throw error;
          }
        }
        return { items: items.filter((instance) => matchesListRequest(instance, request, sameArmId)) };
      }
      if (request.cursor !== undefined) checkCursor(request.cursor);
      const compute = await clients.compute();
      const page = await firstPage('virtualMachines.listAll', request.signal, (s) =>
        compute.virtualMachines.listAll({ statusOnly: 'true', abortSignal: s }).byPage(request.cursor === undefined ? {} : { continuationToken: request.cursor }),
      );
      const instances = await Promise.all(
        page.map(async (vm) => {
          if (powerStateOf(statusesOf(vm)) !== undefined || vm.id === undefined) return toInstance(vm);
          const ref = vmRef(vm.id, 'virtualMachines.instanceView');
          const view = await run('virtualMachines.instanceView', true, request.signal, (s) => compute.virtualMachines.instanceView(ref.resourceGroup, ref.name, { abortSignal: s }));
          return toInstance(vm, view['statuses']);
        }),
      );
      const items = instances.filter((instance) => matchesListRequest(instance, request, sameArmId));
      return page.continuationToken === undefined ? { items } : { items, cursor: page.continuationToken };
    },

    getInstance,

    async start(request: InstanceRequest): Promise<void> {
      const ref = vmRef(request.id, 'virtualMachines.beginStart');
      const compute = await clients.compute();
      await lro('virtualMachines.beginStart', true, request.signal, (o) => compute.virtualMachines.beginStart(ref.resourceGroup, ref.name, o));
    },

    async stop(request: StopRequest): Promise<void> {
      const deallocate = request.deallocate === true;
      const operation = deallocate ? 'virtualMachines.beginDeallocate' : 'virtualMachines.beginPowerOff';
      const ref = vmRef(request.id, operation);
      const current = toInstance(await getVm(ref, request.signal));
      // Already there: deallocated satisfies both; powered off satisfies only a plain stop.
      if (current.rawState === 'PowerState/deallocated' || (!deallocate && current.rawState === 'PowerState/stopped')) return;
      const compute = await clients.compute();
      await lro(operation, true, request.signal, (o) =>
        deallocate ? compute.virtualMachines.beginDeallocate(ref.resourceGroup, ref.name, o) : compute.virtualMachines.beginPowerOff(ref.resourceGroup, ref.name, o),
      );
    },

    async reboot(request: InstanceRequest): Promise<void> {
      const ref = vmRef(request.id, 'virtualMachines.beginRestart');
      const compute = await clients.compute();
      await lro('virtualMachines.beginRestart', false, request.signal, (o) => compute.virtualMachines.beginRestart(ref.resourceGroup, ref.name, o));
    },

    async resizeInstance(request: ResizeRequest): Promise<void> {
      const ref = vmRef(request.id, 'virtualMachines.beginUpdate');
      const current = toInstance(await getVm(ref, request.signal));
      if (current.size === request.size) return;
      const compute = await clients.compute();
      const available = await run('virtualMachines.listAvailableSizes', true, request.signal, async (s) => {
        const names: string[] = [];
        for await (const size of compute.virtualMachines.listAvailableSizes(ref.resourceGroup, ref.name, { abortSignal: s })) {
          if (typeof size['name'] === 'string') names.push(size['name']);
        }
        return names;
      });
      if (!available.some((name) => name.toLowerCase() === request.size.toLowerCase())) {
        // A deallocated VM already sees every size of its region: the size is simply not offered.
        if (current.rawState === 'PowerState/deallocated') {
          throw new ValidationError(`azure: size ${request.size} is not available to ${current.name ?? request.id} in ${current.region}`, [{ path: 'size', message: 'is not offered for this VM' }], {
            provider: AZURE_PROVIDER,
            operation: 'virtualMachines.listAvailableSizes',
          });
        }
        throw new ConflictError(`azure: size ${request.size} is not available on the current hardware of ${current.name ?? request.id}; deallocate the VM to resize it`, {
          provider: AZURE_PROVIDER,
          operation: 'virtualMachines.beginUpdate',
        });
      }
      await lro('virtualMachines.beginUpdate', true, request.signal, (o) =>
        compute.virtualMachines.beginUpdate(ref.resourceGroup, ref.name, { hardwareProfile: { vmSize: request.size } }, o),
      );
    },

    async setTags(request: SetTagsRequest): Promise<void> {
      const ref = vmRef(request.id, 'virtualMachines.beginUpdate');
      const current = toInstance(await getVm(ref, request.signal));
      const tags: Record<string, string> = { ...current.tags };
      for (const key of request.remove ?? []) delete tags[key];
      Object.assign(tags, request.tags);
      const compute = await clients.compute();
      // PATCH replaces the whole tag map; sending the merged map is what makes it a merge.
      await lro('virtualMachines.beginUpdate', true, request.signal, (o) => compute.virtualMachines.beginUpdate(ref.resourceGroup, ref.name, { tags }, o));
    },

    async getMetrics(request: MetricsRequest): Promise<MetricSeries[]> {
      // Every id is checked before the first call, so a bad one costs no metric calls.
      for (const id of request.ids) vmRef(id, 'metrics.list');
      const sources = [...new Set(request.metrics)].map((metric) => AZURE_VM_METRICS[metric]);
      const { interval, seconds } = azureInterval(request.periodSeconds);
      const monitor = await clients.monitor();
      const answers = await mapLimit(request.ids, concurrency, (id) =>
        run('metrics.list', true, request.signal, (s) =>
          monitor.metrics.list(id.replace(/^\//, ''), {
            timespan: `${request.range.start.toISOString()}/${request.range.end.toISOString()}`,
            interval,
            metricnames: sources.map((source) => source.name).join(','),
            aggregation: [...new Set(sources.map((source) => source.aggregation))].join(','),
            metricnamespace: 'Microsoft.Compute/virtualMachines',
            abortSignal: s,
          }),
        ),
      );
      const series: MetricSeries[] = [];
      request.ids.forEach((id, index) => {
        const answer = (answers[index] ?? {}) as Json;
        // Azure may serve another grain than asked; report the one it used.
        const periodSeconds = durationSeconds(answer['interval']) ?? seconds;
        const points = pointsByMetric(answer, sources);
        for (const metric of request.metrics) {
          const source = AZURE_VM_METRICS[metric];
          series.push({
            id,
            metric,
            unit: source.unit,
            measure: source.measure,
            statistic: source.statistic,
            periodSeconds,
            points: points.get(source.name.toLowerCase()) ?? [],
            source: `Microsoft.Compute/virtualMachines ${source.name} (${source.aggregation})`,
          });
        }
      });
      return series;
    },

    async listSizes(request: ListSizesRequest): Promise<SizeInfo[]> {
      const compute = await clients.compute();
      let listing: (s: AbortSignal) => AsyncIterable<Record<string, unknown>>;
      if (request.id !== undefined) {
        const ref = vmRef(request.id, 'virtualMachines.listAvailableSizes');
        listing = (s) => compute.virtualMachines.listAvailableSizes(ref.resourceGroup, ref.name, { abortSignal: s });
      } else {
        const location = options.location;
        if (location === undefined) {
          throw new ValidationError('azure: sizes are listed per region: pass an instance id or set options.location', [{ path: 'id', message: 'is required without options.location' }], {
            provider: AZURE_PROVIDER,
            operation: 'virtualMachineSizes.list',
          });
        }
        listing = (s) => compute.virtualMachineSizes.list(location, { abortSignal: s });
      }
      const sizes = await run(request.id === undefined ? 'virtualMachineSizes.list' : 'virtualMachines.listAvailableSizes', true, request.signal, async (s) => {
        const found: SizeInfo[] = [];
        for await (const size of listing(s)) {
          const { name, numberOfCores, memoryInMB } = size;
          if (typeof name !== 'string' || typeof numberOfCores !== 'number' || typeof memoryInMB !== 'number') continue;
          found.push({ name, vcpus: numberOfCores, memoryGiB: memoryInMB / 1024, raw: size });
        }
        return found;
      });
      return sizes.sort((a, b) => a.name.localeCompare(b.name));
    },

    async listScaleSetsPage(request: CallOptions & { readonly cursor?: string | undefined }): Promise<Page<ScaleSet>> {
      if (request.cursor !== undefined) checkCursor(request.cursor);
      const compute = await clients.compute();
      const page = await firstPage('virtualMachineScaleSets.listAll', request.signal, (s) =>
        compute.virtualMachineScaleSets.listAll({ abortSignal: s }).byPage(request.cursor === undefined ? {} : { continuationToken: request.cursor }),
      );
      const items = page.map(toScaleSet);
      return page.continuationToken === undefined ? { items } : { items, cursor: page.continuationToken };
    },

    async setScaleSetCapacity(request: SetCapacityRequest): Promise<void> {
      const ref = parseResourceId(request.id, 'vmss', subscriptionId, 'virtualMachineScaleSets.beginUpdate');
      const compute = await clients.compute();
      await lro('virtualMachineScaleSets.beginUpdate', true, request.signal, (o) =>
        compute.virtualMachineScaleSets.beginUpdate(ref.resourceGroup, ref.name, { sku: { capacity: request.capacity } }, o),
      );
    },
  };
}
