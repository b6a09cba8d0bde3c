import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
import { createCompute } from '../facade/create-compute';
import { createContainers } from '../facade/create-containers';
import type { Compute, Containers, EngineFacadeOptions } from '../facade/types';
import type { SimulatorComputeProvider, SimulatorOptions, SimulatorWorld } from './types';
import { createSimulatorWorld } from './world';

/** Options of {@link createSimulatorCompute}: the world's and the facades' (one clock for both). */
export interface SimulatorComputeOptions extends SimulatorOptions, Omit<EngineFacadeOptions, 'clock'> {}

/** The simulator behind ready facades. */
export interface SimulatorCompute extends Compute {
  /** The simulator's compute provider. */
  readonly provider: SimulatorComputeProvider;
  /** Container services of the same world, behind the `Containers` facade. */
  readonly containers: Containers;
  /** The simulated cloud: add instances and services, inject incidents and faults. */
  readonly world: SimulatorWorld;
}

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const SIMULATOR_COMPUTE_OPTION_KEYS: OptionKeys<SimulatorComputeOptions> = { clock: true, seed: true, region: true, instances: true, services: true, scaleSets: true, delays: true, sizes: true, pageSize: true, timeoutMs: true, waitTimeoutMs: true, maxPollIntervalMs: true, logger: true, onAudit: true, tracer: true };

/**
 * A simulated cloud behind the `Compute` facade (with `containers` and `world` attached): the
 * embedded default and the test double. Pass a manual clock (`createManualClock` from
 * `@almanac/core`) to drive transitions and metrics in tests; with the default system clock,
 * transitions take their delays in real time.
 *
 * @example
 * ```ts
 * const clock = createManualClock(Date.UTC(2024, 0, 1));
 * const sim = createSimulatorCompute({ clock, seed: 7, instances: [{ name: 'web-1', size: 't3.large' }] });
 * const names: string[] = [];
 * for await (const instance of sim.listInstances()) names.push(`${instance.name}: ${instance.state}`);
 * ```
 */
export function createSimulatorCompute(options: SimulatorComputeOptions = {}): SimulatorCompute {
  checkFactoryOptions(options, SIMULATOR_COMPUTE_OPTION_KEYS, { factory: 'createSimulatorCompute', provider: 'simulator' });
  const world = createSimulatorWorld(options);
  const facadeOptions: EngineFacadeOptions = {
    clock: world.clock,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: options.waitTimeoutMs }),
    ...(options.maxPollIntervalMs === undefined ? {} : { maxPollIntervalMs: options.maxPollIntervalMs }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.onAudit === undefined ? {} : { onAudit: options.onAudit }),
    ...(options.tracer === undefined ? {} : { tracer: options.tracer }),
  };
  const compute = createCompute(world.compute, facadeOptions);
  const containers = createContainers(world.containers, facadeOptions);
  return Object.freeze({ ...compute, provider: world.compute, containers, world });
}
