import type { Clock } from '@almanac/core';
import type { AttachedDisk, IngressRule, InstanceState, ServiceEvent, SizeInfo } from '../spec';
import type { SimulatorDelays, SimulatorFault, SimulatorIncident, SimulatorLoadProfile, SimulatorServiceLoad } from './types';

/** Raw states of a simulated instance (Azure-like: powered-off `stopped` still bills compute). */
export type RawState = 'starting' | 'running' | 'stopping' | 'stopped' | 'deallocating' | 'deallocated' | 'rebooting' | 'terminated';

/** Normalised state of each raw state. */
export const NORMALISED: Readonly<Record<RawState, InstanceState>> = {
  starting: 'pending',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  deallocating: 'stopping',
  deallocated: 'stopped',
  rebooting: 'rebooting',
  terminated: 'terminated',
};

/** A simulated instance. Transitions complete lazily: `settle` applies those due by now. */
export interface SimInstance {
  readonly id: string;
  readonly name: string | undefined;
  readonly region: string;
  readonly zone: string;
  size: string;
  tags: Record<string, string>;
  publicIps: string[];
  readonly privateIps: readonly string[];
  readonly ingress: readonly IngressRule[] | undefined;
  readonly disks: readonly AttachedDisk[];
  readonly launchedAt: number;
  raw: RawState;
  /** The transition in flight: raw state `to` is reached at `at`. */
  next: { readonly at: number; readonly to: RawState } | undefined;
  /** Intervals `[start, end)` in which the instance was running (end `Infinity` while it is). */
  readonly running: Array<[number, number]>;
  readonly load: SimulatorLoadProfile;
  /** Per-instance noise key (from the seed and id). */
  readonly key: number;
}

/** A task of a simulated service. */
export interface SimTask {
  readonly id: string;
  readonly requestedAt: number;
  readonly readyAt: number;
  stoppedAt: number | undefined;
}

/** A simulated container service. */
export interface SimService {
  readonly cluster: string;
  readonly name: string;
  readonly arn: string;
  taskDefinition: string;
  readonly launchType: string;
  readonly createdAt: number;
  desiredCount: number;
  updatedAt: number;
  readonly deploymentId: string;
  tasks: SimTask[];
  readonly events: ServiceEvent[];
  /** Whether the "steady state" event for the current desired count was written. */
  steadyReported: boolean;
  readonly load: SimulatorServiceLoad;
  readonly taskStartMs: number;
  readonly key: number;
}

/** A simulated scale set. */
export interface SimScaleSet {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly size: string;
  capacity: number;
  readonly tags: Record<string, string>;
}

/** A fault with its remaining budget. */
export interface FaultEntry {
  readonly fault: SimulatorFault;
  remaining: number;
}

/** Everything the simulator knows. */
export interface WorldState {
  readonly clock: Clock;
  readonly seed: number;
  readonly region: string;
  readonly delays: SimulatorDelays;
  readonly sizes: readonly SizeInfo[];
  readonly pageSize: number;
  readonly instances: Map<string, SimInstance>;
  readonly services: Map<string, SimService>;
  readonly scaleSets: Map<string, SimScaleSet>;
  readonly incidents: Set<SimulatorIncident>;
  readonly faults: FaultEntry[];
  readonly families: Map<string, number>;
  readonly calls: Record<string, number>;
  /** Sequential draws: ids, jitter, fault probabilities. */
  readonly next: () => number;
}

/** Key of a service in `WorldState.services` and in incident/fault targets. */
export function serviceKey(cluster: string, name: string): string {
  return `${cluster}/${name}`;
}
