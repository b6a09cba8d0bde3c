import { createManualClock } from '@almanac/core';
import { type ComputeProvider, createCompute } from '../src/index';
import { createSimulatorCompute } from '../src/simulator/index';
import { describeComputeConformance, describeContainerConformance } from '../src/testing/index';

const START = Date.UTC(2024, 5, 3, 12, 0);

describeComputeConformance({
  name: 'simulator',
  create: () => {
    const clock = createManualClock(START);
    const sim = createSimulatorCompute({
      clock,
      seed: 9,
      instances: [
        { id: 'i-conformance', name: 'conformance', size: 't3.large', tags: { team: 'platform' } },
        { id: 'i-other', size: 'm5.large', state: 'stopped', tags: { team: 'data' } },
        { id: 'i-third', size: 'c5.large' },
      ],
      scaleSets: [{ id: 'ss-1', name: 'workers', capacity: 3 }],
    });
    return {
      compute: sim,
      instanceId: 'i-conformance',
      clock,
      facadeOptions: { clock },
      resizeSizes: ['m5.large', 't3.large'],
      address: '198.51.100.23',
      missingInstanceId: 'i-0000000000000dead',
      scaleSetId: 'ss-1',
    };
  },
});

describeContainerConformance({
  name: 'simulator',
  create: () => {
    const clock = createManualClock(START);
    const sim = createSimulatorCompute({
      clock,
      seed: 9,
      // 12 services so the listing spans two pages of 10.
      services: Array.from({ length: 12 }, (_, i) => ({ cluster: 'prod', name: i === 0 ? 'api' : `svc-${i}`, desiredCount: 2 })),
    });
    return { containers: sim.containers, cluster: 'prod', service: 'api', clock, facadeOptions: { clock } };
  },
});

// A read-only view of the simulator (list, get, metrics only): every other test must be skipped
// by its capability gate, and the facade must refuse the rest before calling the provider.
describeComputeConformance({
  name: 'simulator, read-only view',
  create: () => {
    const clock = createManualClock(START);
    const sim = createSimulatorCompute({ clock, seed: 9, instances: [{ id: 'i-ro', size: 't3.small' }] });
    const full = sim.provider;
    const provider: ComputeProvider = {
      name: 'simulator-read-only',
      specificationVersion: full.specificationVersion,
      capabilities: { ...full.capabilities, powerControl: false, deallocate: false, resize: false, tags: false, sizes: false, prices: false, addresses: false, scaleSets: false },
      listInstancesPage: (request) => full.listInstancesPage(request).then((page) => ({ ...page, items: page.items.map((i) => ({ ...i, provider: 'simulator-read-only' })) })),
      getInstance: (request) => full.getInstance(request).then((i) => ({ ...i, provider: 'simulator-read-only' })),
      getMetrics: (request) => full.getMetrics(request),
    };
    return { compute: createCompute(provider, { clock }), instanceId: 'i-ro', clock, facadeOptions: { clock } };
  },
});
