import { ConflictError, NotFoundError, ValidationError } from '@almanac/core';
import type { Instance } from '../spec';
import { loadProfile } from './profiles';
import { hash32, hexId } from './rng';
import { NORMALISED, type RawState, type SimInstance, type WorldState } from './state';
import type { SimulatorInstanceSeed } from './types';

const PROVIDER = 'simulator';
const DAY_MS = 86_400_000;

/** Builds an instance record from a seed (validated enough to fail loudly on a typo). */
export function createInstance(world: WorldState, seed: SimulatorInstanceSeed): SimInstance {
  const now = world.clock.now();
  const id = seed.id ?? `i-${hexId(world.next, 17)}`;
  if (world.instances.has(id)) throw new ConflictError(`Instance ${id} already exists`, { provider: PROVIDER, operation: 'addInstance' });
  const size = seed.size ?? 't3.medium';
  if (!world.sizes.some((s) => s.name === size)) {
    throw new ValidationError(undefined, [{ path: 'size', message: `unknown size "${size}"` }], { provider: PROVIDER, operation: 'addInstance' });
  }
  const region = seed.region ?? world.region;
  const launchedAt = seed.launchedAt?.getTime() ?? now - 30 * DAY_MS;
  const initial = seed.state ?? 'running';
  const raw: RawState = initial === 'pending' ? 'starting' : initial;
  const key = hash32(world.seed, id);
  const record: SimInstance = {
    id,
    name: seed.name,
    region,
    zone: seed.zone ?? `${region}a`,
    size,
    tags: { ...(seed.tags ?? {}) },
    publicIps: [...(seed.publicIps ?? [])],
    privateIps: seed.privateIps ?? [`10.${Math.floor(world.next() * 256)}.${Math.floor(world.next() * 256)}.${1 + Math.floor(world.next() * 254)}`],
    ingress: seed.ingress,
    disks: seed.disks ?? [{ id: `vol-${hexId(world.next, 17)}`, sizeGiB: 30, type: 'gp3', billedWhenStopped: true }],
    launchedAt,
    raw,
    next: raw === 'starting' ? { at: now + world.delays.startMs, to: 'running' } : undefined,
    running: raw === 'running' ? [[Math.min(launchedAt, now), Number.POSITIVE_INFINITY]] : [],
    load: loadProfile(seed.load, key),
    key,
  };
  return record;
}

/** Applies the transition in flight when it is due; records running intervals at the exact times. */
export function settle(instance: SimInstance, now: number): void {
  while (instance.next !== undefined && instance.next.at <= now) {
    const { at, to } = instance.next;
    instance.next = undefined;
    enter(instance, to, at);
  }
}

function enter(instance: SimInstance, to: RawState, at: number): void {
  const wasRunning = instance.raw === 'running';
  instance.raw = to;
  const isRunning = to === 'running';
  if (wasRunning && !isRunning) {
    const last = instance.running[instance.running.length - 1];
    if (last !== undefined) last[1] = at;
  } else if (!wasRunning && isRunning) {
    instance.running.push([at, Number.POSITIVE_INFINITY]);
  }
}

/** Looks an instance up (settled), or throws `NotFoundError`. */
export function findInstance(world: WorldState, id: string, operation: string): SimInstance {
  const instance = world.instances.get(id);
  if (instance === undefined) throw new NotFoundError(`Instance ${id} not found`, { provider: PROVIDER, operation });
  settle(instance, world.clock.now());
  return instance;
}

function conflict(instance: SimInstance, operation: string, why: string): ConflictError {
  return new ConflictError(`Cannot ${operation} instance ${instance.id} in state ${instance.raw}: ${why}`, { provider: PROVIDER, operation });
}

/** Begins a transition now (or completes it at once when its delay is 0). */
function begin(world: WorldState, instance: SimInstance, through: RawState, to: RawState, delayMs: number): void {
  const now = world.clock.now();
  enter(instance, through, now);
  instance.next = { at: now + delayMs, to };
  settle(instance, now);
}

/** `start`: stopped/deallocated → starting → running. Running or starting: no-op. */
export function startInstance(world: WorldState, instance: SimInstance): void {
  switch (instance.raw) {
    case 'running':
    case 'starting':
    case 'rebooting':
      return;
    case 'stopped':
    case 'deallocated':
      begin(world, instance, 'starting', 'running', world.delays.startMs);
      return;
    case 'terminated':
      throw conflict(instance, 'start', 'it is terminated');
    default:
      throw conflict(instance, 'start', 'wait until it has stopped');
  }
}

/** `stop`: powers off (`stopped`, still billed) or deallocates. Already there: no-op. */
export function stopInstance(world: WorldState, instance: SimInstance, deallocate: boolean): void {
  const target: RawState = deallocate ? 'deallocated' : 'stopped';
  const through: RawState = deallocate ? 'deallocating' : 'stopping';
  const delay = deallocate ? world.delays.deallocateMs : world.delays.stopMs;
  switch (instance.raw) {
    case 'deallocated':
    case 'deallocating':
      return;
    case 'stopping':
      if (!deallocate) return;
      throw conflict(instance, 'deallocate', 'wait until it has stopped');
    case 'stopped':
      if (!deallocate) return;
      begin(world, instance, through, target, delay);
      return;
    case 'running':
    case 'starting':
    case 'rebooting':
      begin(world, instance, through, target, delay);
      return;
    default:
      throw conflict(instance, 'stop', 'it is terminated');
  }
}

/** `reboot`: running → rebooting → running. */
export function rebootInstance(world: WorldState, instance: SimInstance): void {
  if (instance.raw === 'rebooting') return;
  if (instance.raw !== 'running') throw conflict(instance, 'reboot', 'only a running instance can reboot');
  begin(world, instance, 'rebooting', 'running', world.delays.rebootMs);
}

/** `resizeInstance`: only while stopped or deallocated (the simulator has no in-place resize). */
export function resizeInstance(world: WorldState, instance: SimInstance, size: string): void {
  if (!world.sizes.some((s) => s.name === size)) {
    throw new ValidationError(undefined, [{ path: 'size', message: `unknown size "${size}"` }], { provider: PROVIDER, operation: 'resizeInstance' });
  }
  if (instance.raw !== 'stopped' && instance.raw !== 'deallocated') throw conflict(instance, 'resize', 'stop it first');
  instance.size = size;
}

/** The spec view of an instance (settle first). */
export function toInstance(instance: SimInstance): Instance {
  const state = NORMALISED[instance.raw];
  return {
    id: instance.id,
    ...(instance.name === undefined ? {} : { name: instance.name }),
    provider: PROVIDER,
    region: instance.region,
    zone: instance.zone,
    size: instance.size,
    state,
    rawState: instance.raw,
    computeBilled: instance.raw !== 'deallocated' && instance.raw !== 'terminated',
    launchedAt: new Date(instance.launchedAt),
    tags: { ...instance.tags },
    publicIps: [...instance.publicIps],
    privateIps: [...instance.privateIps],
    ...(instance.ingress === undefined ? {} : { ingress: instance.ingress }),
    disks: instance.disks,
    raw: {
      state: instance.raw,
      ...(instance.next === undefined ? {} : { transition: { to: instance.next.to, at: new Date(instance.next.at) } }),
    },
  };
}

/** Whether the instance was running at `t`. */
export function runningAt(instance: SimInstance, t: number): boolean {
  for (let i = instance.running.length - 1; i >= 0; i--) {
    const [start, end] = instance.running[i] as [number, number];
    if (t >= start) return t < end;
  }
  return false;
}

/** Terminates now. */
export function terminateInstance(world: WorldState, instance: SimInstance): void {
  instance.next = undefined;
  enter(instance, 'terminated', world.clock.now());
}
