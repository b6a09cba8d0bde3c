import { NotFoundError, ValidationError, parse, systemClock } from '@almanac/core';
import type { Instance, ScaleSet, Service } from '../spec';
import { SIMULATOR_SIZES } from './catalog';
import { computeProvider } from './compute-provider';
import { containerProvider } from './container-provider';
import { createInstance, settle, terminateInstance, toInstance } from './instances';
import { faultSchema, incidentSchema, simulatorOptionsSchema } from './options-schema';
import { hexId, sequence } from './rng';
import { createService, findService, toService } from './services';
import { type WorldState, serviceKey } from './state';
import { demandSamples } from './synth';
import type {
  SimulatorDelays,
  SimulatorFault,
  SimulatorHandle,
  SimulatorIncident,
  SimulatorInstanceSeed,
  SimulatorOptions,
  SimulatorScaleSetSeed,
  SimulatorServiceSeed,
  SimulatorWorld,
} from './types';

const PROVIDER = 'simulator';

/** Default transition delays. */
export const DEFAULT_SIMULATOR_DELAYS: SimulatorDelays = Object.freeze({
  startMs: 15_000,
  stopMs: 20_000,
  deallocateMs: 30_000,
  rebootMs: 10_000,
  taskStartMs: 30_000,
  taskStartJitter: 0.2,
});

/**
 * Creates a simulated cloud: instances with a state machine whose transitions take time on the
 * given clock, sizes with prices, synthetic metrics (daily seasonality, seeded noise, injectable
 * incidents), container services whose tasks take time to start, and fault injection. Its
 * `compute` and `containers` providers implement the engine spec.
 */
export function createSimulatorWorld(options: SimulatorOptions = {}): SimulatorWorld {
  parse(simulatorOptionsSchema, options, { provider: PROVIDER, operation: 'createSimulator', path: 'options' });
  const seed = options.seed ?? 1;
  const state: WorldState = {
    clock: options.clock ?? systemClock,
    seed,
    region: options.region ?? 'sim-east-1',
    delays: { ...DEFAULT_SIMULATOR_DELAYS, ...(options.delays ?? {}) },
    sizes: options.sizes ?? SIMULATOR_SIZES,
    pageSize: options.pageSize ?? 50,
    instances: new Map(),
    services: new Map(),
    scaleSets: new Map(),
    incidents: new Set(),
    faults: [],
    families: new Map(),
    calls: {},
    next: sequence(seed),
  };

  const addInstance = (instanceSeed: SimulatorInstanceSeed): Instance => {
    const record = createInstance(state, instanceSeed);
    state.instances.set(record.id, record);
    return toInstance(record);
  };

  const addService = (serviceSeed: SimulatorServiceSeed): Service => {
    const record = createService(state, serviceSeed);
    state.services.set(serviceKey(record.cluster, record.name), record);
    return toService(record, state.clock.now());
  };

  const addScaleSet = (setSeed: SimulatorScaleSetSeed): ScaleSet => {
    const id = setSeed.id ?? `ss-${hexId(state.next, 12)}`;
    const size = setSeed.size ?? 't3.medium';
    if (!state.sizes.some((s) => s.name === size)) {
      throw new ValidationError(undefined, [{ path: 'size', message: `unknown size "${size}"` }], { provider: PROVIDER, operation: 'addScaleSet' });
    }
    const record = { id, name: setSeed.name, region: state.region, size, capacity: setSeed.capacity ?? 2, tags: { ...(setSeed.tags ?? {}) } };
    state.scaleSets.set(id, record);
    return { ...record, tags: { ...record.tags }, raw: { ...record } };
  };

  let world: SimulatorWorld;
  const compute = computeProvider(state, () => world);
  const containers = containerProvider(state, () => world);
  world = {
    clock: state.clock,
    seed,
    region: state.region,
    compute,
    containers,
    addInstance,
    addService,
    addScaleSet,
    terminate(id) {
      const record = state.instances.get(id);
      if (record === undefined) throw new NotFoundError(`Instance ${id} not found`, { provider: PROVIDER, operation: 'terminate' });
      settle(record, state.clock.now());
      terminateInstance(state, record);
    },
    injectIncident(incident: SimulatorIncident): SimulatorHandle {
      parse(incidentSchema, incident, { provider: PROVIDER, operation: 'injectIncident', path: 'incident' });
      // A copy, so later changes to the caller's object cannot move the window.
      const entry: SimulatorIncident = { ...incident };
      state.incidents.add(entry);
      return { remove: () => void state.incidents.delete(entry) };
    },
    injectFault(fault: SimulatorFault): SimulatorHandle {
      parse(faultSchema, fault, { provider: PROVIDER, operation: 'injectFault', path: 'fault' });
      const entry = { fault: { ...fault }, remaining: fault.times ?? 1 };
      state.faults.push(entry);
      return {
        remove: () => {
          const index = state.faults.indexOf(entry);
          if (index >= 0) state.faults.splice(index, 1);
        },
      };
    },
    clearIncidents: () => state.incidents.clear(),
    clearFaults: () => {
      state.faults.length = 0;
    },
    serviceLoad({ cluster, service, range, stepMs }) {
      if (!(stepMs >= 1000)) throw new ValidationError(undefined, [{ path: 'stepMs', message: 'must be ≥ 1000' }], { provider: PROVIDER, operation: 'serviceLoad' });
      return demandSamples(state, findService(state, cluster, service, 'serviceLoad'), range, stepMs);
    },
    callCounts: () => ({ ...state.calls }),
  };

  for (const s of options.instances ?? []) addInstance(s);
  for (const s of options.services ?? []) addService(s);
  for (const s of options.scaleSets ?? []) addScaleSet(s);
  return world;
}
