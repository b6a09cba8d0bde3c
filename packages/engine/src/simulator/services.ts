import { ConflictError, NotFoundError, ValidationError } from '@almanac/core';
import type { Service, ServiceDeployment } from '../spec';
import { serviceLoad } from './profiles';
import { hash32, hexId } from './rng';
import { type SimService, type SimTask, type WorldState, serviceKey } from './state';
import type { SimulatorServiceSeed } from './types';

const PROVIDER = 'simulator';
const DAY_MS = 86_400_000;
/** Stopped tasks older than this are forgotten (metrics further back then see fewer tasks). */
const TASK_RETENTION_MS = 15 * DAY_MS;
const MAX_EVENTS = 100;

/** Last path segment of a name or ARN (`arn:…:service/cluster/name` → `name`). */
export function nameOf(nameOrArn: string): string {
  const slash = nameOrArn.lastIndexOf('/');
  return nameOrArn.startsWith('arn:') && slash >= 0 ? nameOrArn.slice(slash + 1) : nameOrArn;
}

/** Cluster name from a name or a cluster ARN. */
export function clusterOf(nameOrArn: string): string {
  return nameOf(nameOrArn);
}

function newTask(world: WorldState, service: SimService, now: number, ready: boolean): SimTask {
  const jitter = 1 + world.delays.taskStartJitter * (2 * world.next() - 1);
  return {
    id: `${service.cluster}-${hexId(world.next, 12)}`,
    requestedAt: now,
    readyAt: ready ? now : now + Math.max(0, Math.round(service.taskStartMs * jitter)),
    stoppedAt: undefined,
  };
}

/** Builds a service with its initial tasks already running since `createdAt`. */
export function createService(world: WorldState, seed: SimulatorServiceSeed): SimService {
  const now = world.clock.now();
  const cluster = seed.cluster;
  const key = serviceKey(cluster, seed.name);
  if (world.services.has(key)) throw new ConflictError(`Service ${key} already exists`, { provider: PROVIDER, operation: 'addService' });
  const desired = seed.desiredCount ?? 2;
  if (!Number.isInteger(desired) || desired < 0) {
    throw new ValidationError(undefined, [{ path: 'desiredCount', message: 'must be an integer ≥ 0' }], { provider: PROVIDER, operation: 'addService' });
  }
  const createdAt = seed.createdAt?.getTime() ?? now - 30 * DAY_MS;
  const service: SimService = {
    cluster,
    name: seed.name,
    arn: `arn:sim:ecs:${world.region}:000000000000:service/${cluster}/${seed.name}`,
    taskDefinition: seed.taskDefinition ?? `${seed.name}:1`,
    launchType: seed.launchType ?? 'FARGATE',
    createdAt,
    desiredCount: desired,
    updatedAt: createdAt,
    deploymentId: `ecs-svc/${hexId(world.next, 19)}`,
    tasks: [],
    events: [],
    steadyReported: true,
    load: serviceLoad(seed.load),
    taskStartMs: seed.taskStartMs ?? world.delays.taskStartMs,
    key: hash32(world.seed, key),
  };
  for (let i = 0; i < desired; i++) service.tasks.push({ ...newTask(world, service, createdAt, true) });
  return service;
}

/** Looks a service up (settled), or throws `NotFoundError`. */
export function findService(world: WorldState, cluster: string, service: string, operation: string): SimService {
  const found = world.services.get(serviceKey(clusterOf(cluster), nameOf(service)));
  if (found === undefined) throw new NotFoundError(`Service ${nameOf(service)} not found in cluster ${clusterOf(cluster)}`, { provider: PROVIDER, operation });
  settleService(found, world.clock.now());
  return found;
}

function pushEvent(service: SimService, at: number, message: string): void {
  service.events.unshift({ id: `${at.toString(36)}-${service.events.length}`, at: new Date(at), message });
  if (service.events.length > MAX_EVENTS) service.events.length = MAX_EVENTS;
}

/** Forgets old stopped tasks and writes the steady-state event once every task is up. */
export function settleService(service: SimService, now: number): void {
  service.tasks = service.tasks.filter((task) => task.stoppedAt === undefined || task.stoppedAt > now - TASK_RETENTION_MS);
  if (service.steadyReported) return;
  const live = service.tasks.filter((task) => task.stoppedAt === undefined);
  const lastReady = live.reduce((max, task) => Math.max(max, task.readyAt), service.updatedAt);
  if (lastReady <= now) {
    pushEvent(service, lastReady, `(service ${service.name}) has reached a steady state.`);
    service.steadyReported = true;
  }
}

/** Sets the desired count: new tasks start after their start time; surplus tasks stop at once. */
export function scale(world: WorldState, service: SimService, desired: number): void {
  const now = world.clock.now();
  const live = service.tasks.filter((task) => task.stoppedAt === undefined);
  if (desired > live.length) {
    const started: SimTask[] = [];
    for (let i = live.length; i < desired; i++) started.push(newTask(world, service, now, service.taskStartMs === 0));
    service.tasks.push(...started);
    pushEvent(service, now, `(service ${service.name}) has started ${started.length} tasks: ${started.map((t) => `(task ${t.id})`).join(' ')}.`);
  } else if (desired < live.length) {
    // Stop the tasks that are not running yet first, then the newest running ones.
    const order = [...live].sort((a, b) => (a.readyAt > now ? 0 : 1) - (b.readyAt > now ? 0 : 1) || b.requestedAt - a.requestedAt);
    const stopped = order.slice(0, live.length - desired);
    for (const task of stopped) task.stoppedAt = now;
    pushEvent(service, now, `(service ${service.name}) has stopped ${stopped.length} running tasks: ${stopped.map((t) => `(task ${t.id})`).join(' ')}.`);
  }
  if (desired !== service.desiredCount) {
    service.desiredCount = desired;
    service.updatedAt = now;
    service.steadyReported = false;
  }
  settleService(service, now);
}

/** The spec view of a service at `now`. */
export function toService(service: SimService, now: number): Service {
  let running = 0;
  let pending = 0;
  for (const task of service.tasks) {
    if (task.stoppedAt !== undefined) continue;
    if (task.readyAt <= now) running++;
    else pending++;
  }
  const deployment: ServiceDeployment = {
    id: service.deploymentId,
    status: 'primary',
    taskDefinition: service.taskDefinition,
    desiredCount: service.desiredCount,
    runningCount: running,
    pendingCount: pending,
    rolloutState: running === service.desiredCount && pending === 0 ? 'completed' : 'in_progress',
    createdAt: new Date(service.createdAt),
    updatedAt: new Date(service.updatedAt),
  };
  return {
    name: service.name,
    arn: service.arn,
    cluster: service.cluster,
    desiredCount: service.desiredCount,
    runningCount: running,
    pendingCount: pending,
    status: 'active',
    rawStatus: 'ACTIVE',
    taskDefinition: service.taskDefinition,
    deployments: [deployment],
    launchType: service.launchType,
    createdAt: new Date(service.createdAt),
    raw: { serviceArn: service.arn, status: 'ACTIVE', desiredCount: service.desiredCount, runningCount: running, pendingCount: pending, taskIds: service.tasks.filter((t) => t.stoppedAt === undefined).map((t) => t.id) },
  };
}
