// Wire-level tests of the Azure adapter: the real @azure/arm-compute and @azure/arm-monitor
// clients talk ARM JSON to a nock model of Resource Manager (test/fixtures/azure/fake-arm.ts).
// - List All with statusOnly=true: https://learn.microsoft.com/rest/api/compute/virtual-machines/list-all
// - Power states and billing: https://learn.microsoft.com/azure/virtual-machines/states-billing
// - Long-running operations (Azure-AsyncOperation, Location):
//   https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations
// - Resize (deallocation when the size is not on the current hardware):
//   https://learn.microsoft.com/azure/virtual-machines/sizes/resize-vm
// - Metrics - List: https://learn.microsoft.com/rest/api/monitor/metrics/list
// - VM metric names and units: https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-compute-virtualmachines-metrics
import type { Clock } from '@almanac/core';
import { expectAlmanacError, useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { AZURE_COMPUTE_CAPABILITIES, createAzureCompute, createAzureComputeProvider } from '../src/adapters/azure';
import { ARM_ORIGIN, FakeArm, LOCATION, SUBSCRIPTION, armError, fakeCredential } from './fixtures/azure/fake-arm';

// Retry backoff (and Retry-After waits) return at once; nothing here reads the time.
const instantClock: Clock = { now: () => Date.now(), sleep: () => Promise.resolve() };
const settings = { subscriptionId: SUBSCRIPTION, credential: fakeCredential, pollIntervalMs: 1, clock: instantClock, retry: { baseDelayMs: 0 } } as const;

useStrictNock();
afterEach(() => {
  nock.cleanAll();
});

function setup(configure: (fake: FakeArm) => void = () => {}): FakeArm {
  const fake = new FakeArm();
  configure(fake);
  return fake.install();
}

describe('Azure listInstancesPage', () => {
  it('reads power states from listAll(statusOnly) pages, following nextLink as the cursor', async () => {
    const fake = setup((arm) => {
      arm.pageSize = 3;
      arm.addVm({ name: 'web-1', power: 'running', tags: { team: 'web' }, zone: '2' });
      arm.addVm({ name: 'web-2', power: 'stopped', tags: { team: 'web' } });
      arm.addVm({ name: 'web-3', power: 'deallocated', tags: { team: 'web' } });
      arm.addVm({ name: 'web-4', power: 'starting', tags: { team: 'web' } });
      arm.addVm({ name: 'batch-1', power: 'deallocating', tags: { team: 'batch' } });
    });
    const provider = createAzureComputeProvider(settings);
    const first = await provider.listInstancesPage({ tags: { team: 'web' } });
    expect(first.items.map((i) => [i.name, i.state, i.rawState, i.computeBilled])).toEqual([
      ['web-1', 'running', 'PowerState/running', true],
      // Powered off but allocated: still billed for compute.
      ['web-2', 'stopped', 'PowerState/stopped', true],
      ['web-3', 'stopped', 'PowerState/deallocated', false],
    ]);
    expect(first.cursor).toMatch(/^https:\/\/management\.azure\.com\/subscriptions\/.+skiptoken=3/);
    const second = await provider.listInstancesPage({ tags: { team: 'web' }, cursor: first.cursor as string });
    expect(second.items.map((i) => [i.name, i.state, i.rawState])).toEqual([['web-4', 'pending', 'PowerState/starting']]);
    expect(second.cursor).toBeUndefined();

    expect(first.items[0]).toMatchObject({
      id: fake.vmId('rg-web', 'web-1'),
      provider: 'azure',
      region: LOCATION,
      zone: '2',
      size: 'Standard_B2s',
      launchedAt: new Date('2026-01-05T09:30:00Z'),
      disks: [{ id: expect.stringContaining('/disks/web-1_OsDisk_1'), sizeGiB: 30, type: 'Premium_LRS', billedWhenStopped: true }],
    });
    // Addresses live on network interfaces the adapter does not read: absent (unknown), not "none".
    expect(first.items[0]).not.toHaveProperty('publicIps');
    expect(first.items[0]).not.toHaveProperty('privateIps');
    expect(fake.requests.some((request) => /Microsoft\.Network/i.test(request.path))).toBe(false);
    const lists = fake.requestsTo('GET', /\/providers\/Microsoft\.Compute\/virtualMachines$/);
    expect(lists).toHaveLength(2);
    expect(lists.every((request) => request.query.get('statusOnly') === 'true')).toBe(true);
    expect(lists[0]?.authorization).toBe('Bearer fake-arm-token');
  });

  it('reads the instance view of a VM whose status the listing left out', async () => {
    const fake = setup((arm) => {
      arm.addVm({ name: 'quiet', power: 'deallocated', hideStatusInList: true });
    });
    const page = await createAzureComputeProvider(settings).listInstancesPage({});
    expect(page.items.map((i) => [i.rawState, i.computeBilled])).toEqual([['PowerState/deallocated', false]]);
    expect(fake.requestsTo('GET', /\/virtualMachines\/quiet\/instanceView$/)).toHaveLength(1);
  });

  it('gets known ids one by one, skipping missing ones, and filters states client-side', async () => {
    let web1 = '';
    let web2 = '';
    setup((arm) => {
      web1 = arm.addVm({ name: 'web-1', power: 'running' });
      web2 = arm.addVm({ name: 'web-2', power: 'deallocated' });
    });
    const provider = createAzureComputeProvider(settings);
    const page = await provider.listInstancesPage({ filter: { ids: [web1, web2, web2.replace('web-2', 'web-9')], states: ['stopped'] } });
    expect(page.items.map((i) => i.name)).toEqual(['web-2']);
  });

  it('refuses a cursor that points at another host (it would carry the bearer token there)', async () => {
    const provider = createAzureComputeProvider(settings);
    await expectAlmanacError(provider.listInstancesPage({ cursor: 'https://attacker.example/subscriptions/x' }), { code: 'validation', field: 'cursor' });
  });
});

describe('Azure power operations (long-running, polled via Azure-AsyncOperation)', () => {
  it('start sends POST start and polls the operation to completion with the short interval', async () => {
    let id = '';
    const fake = setup((arm) => {
      arm.pollsPerOperation = 2;
      id = arm.addVm({ name: 'web-1', power: 'deallocated' });
    });
    const provider = createAzureComputeProvider(settings);
    await provider.start({ id });
    expect(fake.vm(id)?.power).toBe('running');
    expect(fake.requestsTo('POST', /\/virtualMachines\/web-1\/start$/)).toHaveLength(1);
    // Azure-AsyncOperation: two InProgress answers, then Succeeded; then one GET of Location.
    const polls = fake.requestsTo('GET', /\/operations\/op-0001$/);
    expect(polls.filter((request) => request.query.get('monitor') !== 'true')).toHaveLength(3);
    expect(polls.filter((request) => request.query.get('monitor') === 'true')).toHaveLength(1);
    expect((await provider.getInstance({ id })).rawState).toBe('PowerState/running');
  });

  it('stop with deallocate calls deallocate (billing stops); plain stop calls powerOff (still billed)', async () => {
    let a = '';
    let b = '';
    const fake = setup((arm) => {
      a = arm.addVm({ name: 'a', power: 'running' });
      b = arm.addVm({ name: 'b', power: 'running' });
    });
    const provider = createAzureComputeProvider(settings);
    await provider.stop({ id: a, deallocate: true });
    await provider.stop({ id: b });
    expect(fake.requestsTo('POST', /\/a\/deallocate$/)).toHaveLength(1);
    expect(fake.requestsTo('POST', /\/b\/powerOff$/)).toHaveLength(1);
    expect(fake.requestsTo('POST', /\/(a\/powerOff|b\/deallocate)$/)).toHaveLength(0);
    expect(await provider.getInstance({ id: a })).toMatchObject({ state: 'stopped', rawState: 'PowerState/deallocated', computeBilled: false });
    expect(await provider.getInstance({ id: b })).toMatchObject({ state: 'stopped', rawState: 'PowerState/stopped', computeBilled: true });

    // Already there: no call. A powered-off VM asked to deallocate is deallocated.
    await provider.stop({ id: a });
    await provider.stop({ id: a, deallocate: true });
    await provider.stop({ id: b });
    expect(fake.requestsTo('POST', /\/(powerOff|deallocate)$/)).toHaveLength(2);
    await provider.stop({ id: b, deallocate: true });
    expect(fake.requestsTo('POST', /\/b\/deallocate$/)).toHaveLength(1);
    expect(fake.vm(b)?.power).toBe('deallocated');
  });

  it('maps a failed operation: OperationNotAllowed to ConflictError, AllocationFailed to a non-retryable ProviderError', async () => {
    let id = '';
    const fake = setup((arm) => {
      id = arm.addVm({ name: 'web-1', power: 'deallocated' });
    });
    const provider = createAzureComputeProvider(settings);
    fake.failNextOperation('OperationNotAllowed', 'The operation is not allowed while the VM is being updated.');
    await expectAlmanacError(provider.start({ id }), { code: 'conflict', provider: 'azure', operation: 'virtualMachines.beginStart' });
    fake.failNextOperation('AllocationFailed', 'Allocation failed. We do not have sufficient capacity for the requested VM size in this region.');
    const error = await expectAlmanacError(provider.start({ id }), { code: 'provider', message: 'AllocationFailed' });
    expect(error.retryable).toBe(false);
  });

  it('retries start on a 5xx (it converges) but sends restart once', async () => {
    let id = '';
    const fake = setup((arm) => {
      id = arm.addVm({ name: 'web-1', power: 'deallocated' });
      arm.failNext('POST', /\/start$/, armError(500, 'InternalServerError', 'An unexpected error occured while processing the request.'));
      arm.failNext('POST', /\/restart$/, armError(500, 'InternalServerError', 'An unexpected error occured while processing the request.'));
    });
    const provider = createAzureComputeProvider({ ...settings, retry: { baseDelayMs: 0, maxAttempts: 3 } });
    await provider.start({ id });
    expect(fake.requestsTo('POST', /\/start$/)).toHaveLength(2);
    await expectAlmanacError(provider.reboot({ id }), { code: 'provider' });
    expect(fake.requestsTo('POST', /\/restart$/)).toHaveLength(1);
    await provider.reboot({ id });
    expect(fake.restarts.get('web-1')).toBe(1);
  });

  it('aborting while an operation is polled ends with AbortedError', async () => {
    let id = '';
    setup((arm) => {
      arm.pollsPerOperation = 1_000;
      id = arm.addVm({ name: 'slow', power: 'deallocated' });
    });
    const provider = createAzureComputeProvider({ ...settings, pollIntervalMs: 5 });
    const controller = new AbortController();
    const pending = provider.start({ id, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expectAlmanacError(pending, { code: 'aborted' });
  });
});

describe('Azure resize, tags, sizes and scale sets', () => {
  it('resizes in place within listAvailableSizes; other sizes need deallocation (ConflictError)', async () => {
    let running = '';
    let parked = '';
    const fake = setup((arm) => {
      running = arm.addVm({ name: 'run', power: 'running' });
      parked = arm.addVm({ name: 'parked', power: 'deallocated' });
    });
    const provider = createAzureComputeProvider(settings);
    await provider.resizeInstance({ id: running, size: 'Standard_D4s_v5' });
    expect(fake.vm(running)?.size).toBe('Standard_D4s_v5');
    expect(fake.requestsTo('PATCH', /\/virtualMachines\/run$/)[0]?.body).toEqual({ properties: { hardwareProfile: { vmSize: 'Standard_D4s_v5' } } });

    await expectAlmanacError(provider.resizeInstance({ id: running, size: 'Standard_NC6s_v3' }), { code: 'conflict', message: 'deallocate' });
    expect(fake.requestsTo('PATCH', /\/virtualMachines\/run$/)).toHaveLength(1);

    await provider.resizeInstance({ id: parked, size: 'Standard_NC6s_v3' });
    expect(fake.vm(parked)?.size).toBe('Standard_NC6s_v3');
    await expectAlmanacError(provider.resizeInstance({ id: parked, size: 'Standard_Z99' }), { code: 'validation', field: 'size' });
    // Same size: nothing to do.
    await provider.resizeInstance({ id: parked, size: 'Standard_NC6s_v3' });
    expect(fake.requestsTo('PATCH', /\/virtualMachines\/parked$/)).toHaveLength(1);
  });

  it('setTags merges and removes, writing the whole map with one PATCH', async () => {
    let id = '';
    const fake = setup((arm) => {
      id = arm.addVm({ name: 'web-1', tags: { env: 'dev', owner: 'ops' } });
    });
    await createAzureComputeProvider(settings).setTags({ id, tags: { env: 'prod', patched: '2026-01' }, remove: ['owner'] });
    expect(fake.vm(id)?.tags).toEqual({ env: 'prod', patched: '2026-01' });
    expect(fake.requestsTo('PATCH', /\/web-1$/)[0]?.body).toEqual({ tags: { env: 'prod', patched: '2026-01' } });
  });

  it('lists sizes for a VM (listAvailableSizes) or a region, in GiB', async () => {
    let id = '';
    setup((arm) => {
      id = arm.addVm({ name: 'web-1' });
    });
    const provider = createAzureComputeProvider({ ...settings, location: LOCATION });
    expect((await provider.listSizes({ id })).map((size) => size.name)).toEqual(['Standard_B1s', 'Standard_B2s', 'Standard_D2s_v5', 'Standard_D4s_v5']);
    const region = await provider.listSizes({});
    expect(region.find((size) => size.name === 'Standard_D4s_v5')).toMatchObject({ vcpus: 4, memoryGiB: 16 });
    await expectAlmanacError(createAzureComputeProvider(settings).listSizes({}), { code: 'validation', field: 'id' });
  });

  it('lists scale sets and sets capacity with a polled PATCH of sku.capacity', async () => {
    let id = '';
    const fake = setup((arm) => {
      id = arm.addScaleSet({ name: 'workers', capacity: 2 });
    });
    const provider = createAzureComputeProvider(settings);
    expect((await provider.listScaleSetsPage({})).items).toEqual([
      { id, name: 'workers', region: LOCATION, size: 'Standard_D2s_v5', capacity: 2, tags: { app: 'workers' }, raw: expect.any(Object) },
    ]);
    await provider.setScaleSetCapacity({ id, capacity: 5 });
    expect(fake.scaleSets.get(id.toLowerCase())?.capacity).toBe(5);
    expect(fake.requestsTo('PATCH', /virtualMachineScaleSets\/workers$/)[0]?.body).toEqual({ sku: { capacity: 5 } });
  });
});

describe('Azure resize through the facade', () => {
  // The facade's deadlines run on the clock, so it gets the real one; the fake's operations are
  // done when their poller resolves, so the facade's first state read already sees the result.
  const { clock: _instant, ...real } = settings;
  /** The calls that change something, in order, as `METHOD last-path-segment`. */
  const writes = (fake: FakeArm) => fake.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path.split('/').pop()}`);

  it('allowStop: a size outside the in-place list is reached by deallocate → resize → start', async () => {
    let id = '';
    const fake = setup((arm) => {
      id = arm.addVm({ name: 'web-1', power: 'running' });
    });
    const compute = createAzureCompute({ ...real, location: LOCATION });
    expect((await compute.listSizes({ id })).map((size) => size.name)).not.toContain('Standard_NC6s_v3');
    const resized = await compute.resize(id, 'Standard_NC6s_v3', { allowStop: true });
    expect(resized).toMatchObject({ size: 'Standard_NC6s_v3', state: 'running', rawState: 'PowerState/running' });
    expect(writes(fake)).toEqual(['POST deallocate', 'PATCH web-1', 'POST start']);
    expect(fake.requestsTo('PATCH', /\/web-1$/)[0]?.body).toEqual({ properties: { hardwareProfile: { vmSize: 'Standard_NC6s_v3' } } });
  });

  it('without allowStop the same resize is a ConflictError that says to pass allowStop, and nothing is stopped', async () => {
    let id = '';
    const fake = setup((arm) => {
      id = arm.addVm({ name: 'web-1', power: 'running' });
    });
    const compute = createAzureCompute({ ...real, location: LOCATION });
    await expectAlmanacError(compute.resize(id, 'Standard_NC6s_v3'), { code: 'conflict', operation: 'resize', message: 'pass allowStop: true' });
    await expectAlmanacError(compute.resize(id, 'Standard_NC6s_v3', { allowStop: false }), { code: 'conflict', message: 'deallocate' });
    expect(writes(fake)).toEqual([]);
    expect(fake.vm(id)).toMatchObject({ size: 'Standard_B2s', power: 'running' });
    // A size on the current hardware still resizes in place, without a stop.
    await compute.resize(id, 'Standard_D4s_v5');
    expect(writes(fake)).toEqual(['PATCH web-1']);
  });

  it('with location, a size the region does not offer is refused before anything is stopped', async () => {
    let id = '';
    const fake = setup((arm) => {
      id = arm.addVm({ name: 'web-1', power: 'running' });
    });
    const compute = createAzureCompute({ ...real, location: LOCATION });
    await expectAlmanacError(compute.resize(id, 'Standard_Z99', { allowStop: true }), { code: 'validation', field: 'size' });
    expect(writes(fake)).toEqual([]);
  });

  it('without location the provider refuses an unknown size after the deallocation, and the VM is started again', async () => {
    let id = '';
    const fake = setup((arm) => {
      id = arm.addVm({ name: 'web-1', power: 'running' });
    });
    const compute = createAzureCompute(real);
    await expectAlmanacError(compute.resize(id, 'Standard_Z99', { allowStop: true }), { code: 'validation', field: 'size' });
    expect(writes(fake)).toEqual(['POST deallocate', 'POST start']);
    expect(fake.vm(id)).toMatchObject({ size: 'Standard_B2s', power: 'running' });
  });
});

describe('Azure metrics over Azure Monitor', () => {
  const range = { start: new Date('2026-01-10T11:00:00Z'), end: new Date('2026-01-10T12:00:00Z') };

  it('asks for every metric in one call per VM with metricnames, timespan, ISO 8601 interval and aggregation', async () => {
    let a = '';
    let b = '';
    const fake = setup((arm) => {
      a = arm.addVm({ name: 'a' });
      b = arm.addVm({ name: 'b' });
    });
    const provider = createAzureComputeProvider(settings);
    const series = await provider.getMetrics({ ids: [a, b], metrics: ['cpu', 'memory', 'networkIn', 'diskReadOps'], range, periodSeconds: 240 });
    const calls = fake.requestsTo('GET', /\/providers\/Microsoft\.Insights\/metrics$/);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.path).toBe(`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/a/providers/Microsoft.Insights/metrics`);
    expect(Object.fromEntries(calls[0]?.query ?? [])).toMatchObject({
      metricnames: 'Percentage CPU,Available Memory Bytes,Network In Total,Disk Read Operations/Sec',
      aggregation: 'Average,Total',
      interval: 'PT5M',
      timespan: '2026-01-10T11:00:00.000Z/2026-01-10T12:00:00.000Z',
      metricnamespace: 'Microsoft.Compute/virtualMachines',
    });
    expect(series.map(({ id, metric, unit, measure, statistic, periodSeconds }) => ({ id: id === a ? 'a' : 'b', metric, unit, measure, statistic, periodSeconds }))).toEqual([
      { id: 'a', metric: 'cpu', unit: 'percent', measure: 'used', statistic: 'average', periodSeconds: 300 },
      { id: 'a', metric: 'memory', unit: 'bytes', measure: 'available', statistic: 'average', periodSeconds: 300 },
      { id: 'a', metric: 'networkIn', unit: 'bytes', measure: 'transferred', statistic: 'sum', periodSeconds: 300 },
      { id: 'a', metric: 'diskReadOps', unit: 'count/second', measure: 'operations', statistic: 'average', periodSeconds: 300 },
      { id: 'b', metric: 'cpu', unit: 'percent', measure: 'used', statistic: 'average', periodSeconds: 300 },
      { id: 'b', metric: 'memory', unit: 'bytes', measure: 'available', statistic: 'average', periodSeconds: 300 },
      { id: 'b', metric: 'networkIn', unit: 'bytes', measure: 'transferred', statistic: 'sum', periodSeconds: 300 },
      { id: 'b', metric: 'diskReadOps', unit: 'count/second', measure: 'operations', statistic: 'average', periodSeconds: 300 },
    ]);
    expect(series[0]?.points).toHaveLength(12);
    expect(series[0]?.points[0]?.at).toEqual(range.start);
    // Available memory is a byte level (2 GiB here), not a percentage.
    expect(series[1]?.points[0]?.value).toBe(2_147_483_648);
  });

  it('skips grains without data', async () => {
    let a = '';
    setup((arm) => {
      a = arm.addVm({ name: 'a' });
      arm.metricValue = (_vm, _metric, at) => (at.getUTCMinutes() < 30 ? 10 : undefined);
    });
    const [cpu] = await createAzureComputeProvider(settings).getMetrics({ ids: [a], metrics: ['cpu'], range, periodSeconds: 60 });
    expect(cpu?.points).toHaveLength(30);
  });
});

describe('Azure errors, options and clients', () => {
  it('maps ResourceNotFound and malformed or foreign ids to NotFoundError', async () => {
    const fake = setup();
    const provider = createAzureComputeProvider(settings);
    await expectAlmanacError(provider.getInstance({ id: fake.vmId('rg-web', 'ghost') }), { code: 'not_found', operation: 'virtualMachines.get' });
    await expectAlmanacError(provider.getInstance({ id: 'web-1' }), { code: 'not_found' });
    await expectAlmanacError(provider.getInstance({ id: fake.vmId('rg-web', 'x').replace(SUBSCRIPTION, '00000000-0000-0000-0000-000000000000') }), { code: 'not_found' });
  });

  it('throttling is a RateLimitError carrying Retry-After, retried for reads; the token never shows', async () => {
    let id = '';
    const fake = setup((arm) => {
      id = arm.addVm({ name: 'web-1' });
      arm.failNext('GET', /\/web-1$/, armError(429, 'TooManyRequests', 'Too many requests.', { 'retry-after': '7' }), 3);
    });
    const provider = createAzureComputeProvider({ ...settings, retry: { baseDelayMs: 0, maxAttempts: 2 } });
    const error = await expectAlmanacError(provider.getInstance({ id }), { code: 'rate_limited' });
    expect(error.retryAfterMs).toBe(7_000);
    expect(fake.requestsTo('GET', /\/web-1$/)).toHaveLength(2);
    expect(JSON.stringify(error.toJSON())).not.toContain('fake-arm-token');
    expect((await provider.getInstance({ id })).name).toBe('web-1');
  });

  it('talks to another Resource Manager endpoint when given one', async () => {
    const fake = new FakeArm('https://management.chinacloudapi.cn');
    const id = fake.addVm({ name: 'cn-1' });
    fake.install();
    const scopes: unknown[] = [];
    const credential = {
      getToken: async (requested: string | string[]) => {
        scopes.push(requested);
        return { token: 'cn-token', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const provider = createAzureComputeProvider({ ...settings, credential, endpoint: 'https://management.chinacloudapi.cn' });
    expect((await provider.getInstance({ id })).name).toBe('cn-1');
    expect(scopes.flat()).toContain('https://management.chinacloudapi.cn/.default');
  });

  it('validates options, naming the field', async () => {
    await expectAlmanacError(() => createAzureComputeProvider({ ...settings, subscriptionId: 'my-sub' }), { code: 'validation', field: 'options.subscriptionId' });
    await expectAlmanacError(() => createAzureComputeProvider({ ...settings, credential: {} as never }), { code: 'validation', field: 'options.credential' });
    await expectAlmanacError(() => createAzureComputeProvider({ ...settings, endpoint: 'http://management.azure.com' }), { code: 'validation', field: 'options.endpoint' });
  });

  it('names the package to install when @azure/arm-compute is missing', async () => {
    const missing = Object.assign(new Error("Cannot find package '@azure/arm-compute' imported from x"), { code: 'ERR_MODULE_NOT_FOUND' });
    const provider = createAzureComputeProvider({ ...settings, importers: { compute: () => Promise.reject(missing) } });
    await expectAlmanacError(provider.listInstancesPage({}), { code: 'config', message: 'npm install @azure/arm-compute' });
  });

  it('declares deallocation, in-place resize and scale sets, and no addresses', () => {
    expect(AZURE_COMPUTE_CAPABILITIES).toMatchObject({ deallocate: true, resizeInPlace: true, scaleSets: true, addresses: false, prices: false });
  });

  it('createAzureCompute returns the facade; its listInstances walks every page', async () => {
    setup((arm) => {
      arm.pageSize = 1;
      arm.addVm({ name: 'a' });
      arm.addVm({ name: 'b' });
    });
    // The facade's deadlines run on the clock, so it gets the real one here.
    const { clock, ...real } = settings;
    const compute = createAzureCompute(real);
    expect(compute.provider.name).toBe('azure');
    const names: (string | undefined)[] = [];
    for await (const instance of compute.listInstances()) names.push(instance.name);
    expect(names).toEqual(['a', 'b']);
    expect(ARM_ORIGIN).toBe('https://management.azure.com');
  });
});
