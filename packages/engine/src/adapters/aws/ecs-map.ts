import type { RolloutState, Service, ServiceDeployment, ServiceEvent, ServiceFailure, ServiceStatus, TaskDefinitionInput } from '../../spec';

type Json = Record<string, unknown>;

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((item): item is Json => typeof item === 'object' && item !== null) : [];
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function date(value: unknown): Date | undefined {
  const parsed = value instanceof Date ? value : typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
  return parsed !== undefined && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
}

const STATUSES: Readonly<Record<string, ServiceStatus>> = { ACTIVE: 'active', DRAINING: 'draining', INACTIVE: 'inactive' };
const ROLLOUTS: Readonly<Record<string, RolloutState>> = { IN_PROGRESS: 'in_progress', COMPLETED: 'completed', FAILED: 'failed' };

function deployment(raw: Json): ServiceDeployment {
  const rollout = ROLLOUTS[String(raw['rolloutState'] ?? '')];
  const createdAt = date(raw['createdAt']);
  const updatedAt = date(raw['updatedAt']);
  return {
    id: String(raw['id'] ?? ''),
    status: String(raw['status'] ?? '').toLowerCase(),
    taskDefinition: String(raw['taskDefinition'] ?? ''),
    desiredCount: count(raw['desiredCount']),
    runningCount: count(raw['runningCount']),
    pendingCount: count(raw['pendingCount']),
    ...(rollout !== undefined && { rolloutState: rollout }),
    ...(createdAt !== undefined && { createdAt }),
    ...(updatedAt !== undefined && { updatedAt }),
  };
}

/** Maps one ECS `Service` record onto the spec; `cluster` is kept as the caller spelled it. */
export function toService(raw: Json, cluster: string): Service {
  const rawStatus = String(raw['status'] ?? '');
  // The PRIMARY deployment first, the rest in ECS's order (newest first).
  const deployments = list(raw['deployments'])
    .map(deployment)
    .sort((a, b) => Number(b.status === 'primary') - Number(a.status === 'primary'));
  const launchType = raw['launchType'];
  const createdAt = date(raw['createdAt']);
  return {
    name: String(raw['serviceName'] ?? ''),
    arn: String(raw['serviceArn'] ?? ''),
    cluster,
    desiredCount: count(raw['desiredCount']),
    runningCount: count(raw['runningCount']),
    pendingCount: count(raw['pendingCount']),
    status: STATUSES[rawStatus] ?? 'unknown',
    rawStatus,
    taskDefinition: String(raw['taskDefinition'] ?? deployments[0]?.taskDefinition ?? ''),
    deployments,
    ...(typeof launchType === 'string' && { launchType }),
    ...(createdAt !== undefined && { createdAt }),
    raw,
  };
}

/** Maps ECS `failures` (`{ arn, reason, detail }`). */
export function toFailures(value: unknown): ServiceFailure[] {
  return list(value).map((failure) => ({
    arn: String(failure['arn'] ?? ''),
    reason: String(failure['reason'] ?? ''),
    ...(typeof failure['detail'] === 'string' && { detail: failure['detail'] }),
  }));
}

/** A service's `events`, newest first. */
export function toEvents(value: unknown): ServiceEvent[] {
  const events: ServiceEvent[] = [];
  for (const event of list(value)) {
    const at = date(event['createdAt']);
    if (at === undefined) continue;
    events.push({ id: String(event['id'] ?? ''), at, message: String(event['message'] ?? '') });
  }
  return events.sort((a, b) => b.at.getTime() - a.at.getTime());
}

/**
 * The `RegisterTaskDefinition` input of a validated definition: `memoryMiB` → `memory`, the
 * environment record → `[{ name, value }]`, secrets → `[{ name, valueFrom }]` (references only;
 * secret values never pass through), task-level `cpu`/`memory` as the strings ECS expects, and
 * tags as `[{ key, value }]`.
 */
export function toRegisterInput(definition: TaskDefinitionInput): Json {
  return {
    family: definition.family,
    containerDefinitions: definition.containers.map((container) => ({
      name: container.name,
      image: container.image,
      ...(container.cpu !== undefined && { cpu: container.cpu }),
      ...(container.memoryMiB !== undefined && { memory: container.memoryMiB }),
      essential: container.essential ?? true,
      ...(container.portMappings !== undefined && {
        portMappings: container.portMappings.map((port) => ({
          containerPort: port.containerPort,
          ...(port.hostPort !== undefined && { hostPort: port.hostPort }),
          protocol: port.protocol ?? 'tcp',
        })),
      }),
      ...(container.environment !== undefined && {
        environment: Object.entries(container.environment).map(([name, value]) => ({ name, value })),
      }),
      ...(container.secrets !== undefined && {
        secrets: Object.entries(container.secrets).map(([name, valueFrom]) => ({ name, valueFrom })),
      }),
      ...(container.command !== undefined && { command: [...container.command] }),
    })),
    ...(definition.cpu !== undefined && { cpu: String(definition.cpu) }),
    ...(definition.memoryMiB !== undefined && { memory: String(definition.memoryMiB) }),
    ...(definition.networkMode !== undefined && { networkMode: definition.networkMode }),
    ...(definition.requiresCompatibilities !== undefined && { requiresCompatibilities: [...definition.requiresCompatibilities] }),
    ...(definition.executionRoleArn !== undefined && { executionRoleArn: definition.executionRoleArn }),
    ...(definition.taskRoleArn !== undefined && { taskRoleArn: definition.taskRoleArn }),
    ...(definition.tags !== undefined && Object.keys(definition.tags).length > 0 && {
      tags: Object.entries(definition.tags).map(([key, value]) => ({ key, value })),
    }),
  };
}

/** The name part of an ECS ARN (`arn:aws:ecs:…:cluster/prod` → `prod`, `…:service/prod/web` → `web`), or the input. */
export function nameOf(nameOrArn: string): string {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn;
  const resource = nameOrArn.slice(nameOrArn.lastIndexOf(':') + 1);
  return resource.slice(resource.lastIndexOf('/') + 1);
}
