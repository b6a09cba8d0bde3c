// @almanac/engine: the Compute and Containers facades on the simulator.
import { createSimulatorCompute } from '@almanac/engine/simulator';
import fc from 'fast-check';
import { hostileNumber, hostileOptions, hostileString, hostileValue } from '../harness/hostile';
import type { AdversarialTargets, FacadeTarget } from './types';
import { method } from './types';

type Compute = ReturnType<typeof createSimulatorCompute>;

const id = hostileString;
const call = hostileOptions(['allowStop', 'force', 'hibernate']);
/** Waits get a short deadline of their own: a hostile one would legitimately wait for hours. */
const shortWait = fc.record({ timeoutMs: fc.constant(50), pollIntervalMs: fc.constantFrom(5, 10) });

const compute: FacadeTarget<Compute> = {
  name: '@almanac/engine createSimulatorCompute',
  create: (ctx) => createSimulatorCompute({ logger: ctx.capture.logger() }),
  operations: {
    listInstances: method('listInstances', fc.tuple(hostileOptions(['filter', 'tags', 'states']))),
    getInstance: method('getInstance', fc.tuple(id, call)),
    start: method('start', fc.tuple(id, call)),
    stop: method('stop', fc.tuple(id, call)),
    reboot: method('reboot', fc.tuple(id, call)),
    resize: method('resize', fc.tuple(id, hostileString, call)),
    setTags: method('setTags', fc.tuple(id, hostileValue, call)),
    getMetrics: method('getMetrics', fc.tuple(fc.oneof(hostileValue, fc.record({ ids: fc.array(hostileString), metrics: fc.array(hostileString), range: hostileValue, periodSeconds: hostileNumber })))),
    listSizes: method('listSizes', fc.tuple(hostileOptions(['id']))),
    associateAddress: method('associateAddress', fc.tuple(id, hostileString, call)),
    disassociateAddress: method('disassociateAddress', fc.tuple(id, hostileString, call)),
    listScaleSets: method('listScaleSets', fc.tuple(call)),
    setScaleSetCapacity: method('setScaleSetCapacity', fc.tuple(id, hostileNumber, call)),
    waitFor: method('waitFor', fc.tuple(id, hostileValue, shortWait)),
    supports: method('supports', fc.tuple(hostileValue)),
  },
};

const containers: FacadeTarget<Compute['containers']> = {
  name: '@almanac/engine simulator Containers',
  create: (ctx) => createSimulatorCompute({ logger: ctx.capture.logger() }).containers,
  operations: {
    listServices: method('listServices', fc.tuple(hostileString, call)),
    getService: method('getService', fc.tuple(fc.oneof(hostileValue, fc.record({ cluster: hostileString, service: hostileString })))),
    scaleService: method('scaleService', fc.tuple(fc.oneof(hostileValue, fc.record({ cluster: hostileString, service: hostileString, desiredCount: hostileNumber })))),
    registerTaskDefinition: method('registerTaskDefinition', fc.tuple(hostileValue, call)),
    serviceEvents: method('serviceEvents', fc.tuple(fc.oneof(hostileValue, fc.record({ cluster: hostileString, service: hostileString, since: hostileValue })))),
    getServiceMetrics: method('getServiceMetrics', fc.tuple(hostileValue)),
    waitForService: method('waitForService', fc.tuple(fc.record({ cluster: hostileString, service: hostileString, timeoutMs: fc.constant(50), pollIntervalMs: fc.constant(10) }))),
  },
};

export const engineTargets: AdversarialTargets = {
  package: '@almanac/engine',
  facades: [compute, containers],
};
