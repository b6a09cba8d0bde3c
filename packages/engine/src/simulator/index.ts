/**
 * `@almanac/engine/simulator`: a simulated cloud for tests, demos and local development.
 * Deterministic for a given seed and clock; no network.
 *
 * @packageDocumentation
 */
export { createSimulatorCompute } from './create';
export type { SimulatorCompute, SimulatorComputeOptions } from './create';
export { createSimulatorWorld, DEFAULT_SIMULATOR_DELAYS } from './world';
export { createSimulatorComputeProvider, createSimulatorContainerProvider } from './providers';
export { SIMULATOR_SIZES } from './catalog';
export { SIMULATOR_COMPUTE_CAPABILITIES } from './compute-provider';
export { SIMULATOR_CONTAINER_CAPABILITIES } from './container-provider';
export { loadPreset } from './profiles';
export type {
  SimulatorComputeProvider,
  SimulatorContainerProvider,
  SimulatorDelays,
  SimulatorFault,
  SimulatorFaultError,
  SimulatorHandle,
  SimulatorIncident,
  SimulatorIncidentEffect,
  SimulatorInstanceSeed,
  SimulatorLoadPreset,
  SimulatorLoadProfile,
  SimulatorLoadSample,
  SimulatorOptions,
  SimulatorScaleSetSeed,
  SimulatorSeedState,
  SimulatorServiceLoad,
  SimulatorServiceSeed,
  SimulatorWorld,
} from './types';
