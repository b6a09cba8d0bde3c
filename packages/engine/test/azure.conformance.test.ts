// The engine compute conformance suite against the Azure adapter, backed by the nock model of
// Resource Manager in test/fixtures/azure/fake-arm.ts (real @azure/arm-compute and
// @azure/arm-monitor clients; long-running operations polled through Azure-AsyncOperation with a
// 1 ms SDK poll interval). The facade waits on a manual clock the suite moves; as that clock also
// moves while a real HTTP exchange is in flight, call deadlines are set far out.
import { createManualClock } from '@almanac/core';
import nock from 'nock';
import { createAzureCompute } from '../src/adapters/azure';
import { describeComputeConformance } from '../src/testing/index';
import { FakeArm, LOCATION, SUBSCRIPTION, fakeCredential } from './fixtures/azure/fake-arm';

const START = Date.UTC(2026, 0, 10, 12, 0);
// 24 h deadlines: core's runWithClock advances the manual clock while a nock call is in flight, so 60 s would trip.
const FAR = 86_400_000;

describeComputeConformance({
  name: 'azure (ARM + Azure Monitor over nock)',
  create: () => {
    nock.disableNetConnect();
    const fake = new FakeArm();
    fake.pageSize = 2;
    const instanceId = fake.addVm({ name: 'conformance', tags: { team: 'platform' } });
    fake.addVm({ name: 'batch-1', power: 'deallocated', size: 'Standard_D2s_v5', tags: { team: 'data' } });
    fake.addVm({ name: 'batch-2', resourceGroup: 'rg-batch', size: 'Standard_B1s' });
    const scaleSetId = fake.addScaleSet({ name: 'workers', capacity: 3 });
    fake.install();
    const clock = createManualClock(START);
    const compute = createAzureCompute({
      subscriptionId: SUBSCRIPTION,
      credential: fakeCredential,
      location: LOCATION,
      pollIntervalMs: 1,
      clock,
      retry: { baseDelayMs: 1 },
      timeoutMs: FAR,
      waitTimeoutMs: FAR,
    });
    return {
      compute,
      instanceId,
      clock,
      facadeOptions: { clock },
      // Both sizes are on the VM's current hardware (listAvailableSizes), so it is resized in place.
      resizeSizes: ['Standard_D4s_v5', 'Standard_B2s'],
      missingInstanceId: fake.vmId('rg-web', 'does-not-exist'),
      scaleSetId,
      waitTimeoutMs: FAR,
    };
  },
  destroy: () => {
    nock.cleanAll();
    nock.enableNetConnect();
  },
});
