import type { SimulatorComputeProvider, SimulatorContainerProvider, SimulatorOptions, SimulatorWorld } from './types';
import { createSimulatorWorld } from './world';

/**
 * The bare simulator compute provider (no facade): a new world, or the compute side of `world`.
 * Most callers want `createSimulatorCompute`, which wraps it in the `Compute` facade.
 */
export function createSimulatorComputeProvider(options: SimulatorOptions | { readonly world: SimulatorWorld } = {}): SimulatorComputeProvider {
  return 'world' in options ? options.world.compute : createSimulatorWorld(options).compute;
}

/** The bare simulator container-service provider: a new world, or the container side of `world`. */
export function createSimulatorContainerProvider(options: SimulatorOptions | { readonly world: SimulatorWorld } = {}): SimulatorContainerProvider {
  return 'world' in options ? options.world.containers : createSimulatorWorld(options).containers;
}
