import { ConfigError, ValidationError, systemClock } from '@almanac/core';
import type { Clock } from '@almanac/core';
import * as z from '@almanac/core/schema';
import type { DiscordRoleAction, DropFulfillAction, MessageAction, RewardAction, RewardCondition, RewardEvent, RewardGrant, RewardLedger, RewardRule } from './types';

/** Carries out one action for one user; throw to report a failure (the grant is released for a retry). */
export type RewardExecutor<A extends RewardAction = RewardAction> = (action: A, context: { readonly event: RewardEvent; readonly rule: RewardRule; readonly signal?: AbortSignal | undefined }) => Promise<void> | void;

/** Executors per action type. */
export interface RewardExecutors {
  /** Fulfils a Twitch Drop (e.g. `twitch.updateDropsEntitlements`). */
  'drop.fulfill'?: RewardExecutor<DropFulfillAction> | undefined;
  /** Gives a Discord role (e.g. `discord.addMemberRole`). */
  'discord.role'?: RewardExecutor<DiscordRoleAction> | undefined;
  /** Sends a message (e.g. `discord.createMessage`); use {@link renderRewardTemplate} for the text. */
  message?: RewardExecutor<MessageAction> | undefined;
}

/** Options of {@link createRewardsEngine}. */
export interface RewardsEngineOptions {
  /** The rules (validated at creation; a `ValidationError` names the bad field). */
  rules: readonly RewardRule[];
  /** How actions are carried out. A rule whose action has no executor is refused at creation. */
  executors: RewardExecutors;
  /** Grant ledger and audit. Default: in memory. */
  ledger?: RewardLedger | undefined;
  /** Time source for audit timestamps. */
  clock?: Clock | undefined;
}

/** Result of {@link RewardsEngine.process}. */
export interface RewardProcessResult {
  /** Rules whose trigger and condition matched. */
  readonly matchedRules: readonly string[];
  /** Audit lines written for this event. */
  readonly grants: readonly RewardGrant[];
}

/** The rewards engine; see {@link createRewardsEngine}. */
export interface RewardsEngine {
  /** Evaluates every rule against `event` and grants what matches, once per (rule, user, event). */
  process(event: RewardEvent, options?: { signal?: AbortSignal | undefined }): Promise<RewardProcessResult>;
  /** The rules, as validated. */
  readonly rules: readonly RewardRule[];
}

const nonEmpty = z.string().min(1, 'must not be empty');
const conditionSchema: z.ZodType<RewardCondition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(conditionSchema) }).strict(),
    z.object({ any: z.array(conditionSchema) }).strict(),
    z.object({ not: conditionSchema }).strict(),
    z.object({ field: nonEmpty, op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists']), value: z.unknown().optional() }).strict(),
  ]),
) as z.ZodType<RewardCondition>;
const ruleSchema = z.object({
  id: nonEmpty,
  trigger: z.discriminatedUnion('type', [
    z.object({ type: z.literal('stream.online'), broadcasterId: nonEmpty.optional() }),
    z.object({ type: z.literal('subscription'), broadcasterId: nonEmpty.optional(), minTier: z.enum(['1000', '2000', '3000']).optional() }),
    z.object({ type: z.literal('achievement'), achievement: nonEmpty.optional() }),
    z.object({ type: z.literal('rating.threshold'), threshold: z.number().finite() }),
  ]),
  when: conditionSchema.optional(),
  actions: z
    .array(
      z.discriminatedUnion('type', [
        z.object({ type: z.literal('drop.fulfill'), benefitId: nonEmpty.optional() }),
        z.object({ type: z.literal('discord.role'), guildId: nonEmpty, roleId: nonEmpty, reason: z.string().max(512).optional() }),
        z.object({ type: z.literal('message'), channelId: nonEmpty, template: z.string().min(1).max(2000) }),
      ]),
    )
    .min(1, 'a rule needs at least one action'),
  enabled: z.boolean().optional(),
});
const eventSchema = z.object({
  id: nonEmpty.max(512),
  type: z.enum(['stream.online', 'subscription', 'achievement', 'rating']),
  userId: nonEmpty.max(256),
  data: z.record(z.string(), z.unknown()).optional(),
});

function issuesOf(error: z.ZodError, prefix: string) {
  return error.issues.map((issue) => ({ path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'), message: issue.message }));
}

function readPath(data: Readonly<Record<string, unknown>> | undefined, path: string): unknown {
  let current: unknown = data;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Evaluates a {@link RewardCondition} on event data. Comparisons of different types are false. */
export function evaluateRewardCondition(condition: RewardCondition, data: Readonly<Record<string, unknown>> | undefined): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateRewardCondition(c, data));
  if ('any' in condition) return condition.any.some((c) => evaluateRewardCondition(c, data));
  if ('not' in condition) return !evaluateRewardCondition(condition.not, data);
  const actual = readPath(data, condition.field);
  const expected = condition.value;
  switch (condition.op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'eq':
      return actual === expected;
    case 'neq':
      return actual !== expected;
    case 'in':
      return Array.isArray(expected) && expected.includes(actual);
    default: {
      const comparable = (typeof actual === 'number' && typeof expected === 'number') || (typeof actual === 'string' && typeof expected === 'string');
      if (!comparable) return false;
      const a = actual as number | string;
      const b = expected as number | string;
      return condition.op === 'gt' ? a > b : condition.op === 'gte' ? a >= b : condition.op === 'lt' ? a < b : a <= b;
    }
  }
}

const TIERS = ['1000', '2000', '3000'];

function triggerMatches(rule: RewardRule, event: RewardEvent): boolean {
  const t = rule.trigger;
  const data = event.data;
  switch (t.type) {
    case 'stream.online':
      return event.type === 'stream.online' && (t.broadcasterId === undefined || data?.broadcasterId === t.broadcasterId);
    case 'subscription':
      return (
        event.type === 'subscription' &&
        (t.broadcasterId === undefined || data?.broadcasterId === t.broadcasterId) &&
        (t.minTier === undefined || TIERS.indexOf(String(data?.tier)) >= TIERS.indexOf(t.minTier))
      );
    case 'achievement':
      return event.type === 'achievement' && (t.achievement === undefined || data?.achievement === t.achievement);
    case 'rating.threshold': {
      // Fires on the crossing only, so a player hovering above the threshold is granted once per crossing event.
      const rating = data?.rating;
      const previous = data?.previousRating;
      return event.type === 'rating' && typeof rating === 'number' && rating >= t.threshold && (typeof previous !== 'number' || previous < t.threshold);
    }
  }
}

/** Fills `{name}` placeholders from the event (`{userId}`, `{eventId}`, and any `data` field); unknown ones stay as written. */
export function renderRewardTemplate(template: string, event: RewardEvent): string {
  return template.replace(/\{([A-Za-z0-9_.]+)\}/g, (whole, name: string) => {
    const value = name === 'userId' ? event.userId : name === 'eventId' ? event.id : readPath(event.data, name);
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : whole;
  });
}

/** The in-memory {@link RewardLedger}, which can also list its audit. */
export interface MemoryRewardLedger extends RewardLedger {
  /** The audit so far, oldest first. */
  grants(): readonly RewardGrant[];
}

/** Creates a {@link MemoryRewardLedger}. */
export function createMemoryRewardLedger(): MemoryRewardLedger {
  const claimed = new Set<string>();
  const audit: RewardGrant[] = [];
  return {
    async claim(key) {
      if (claimed.has(key)) return false;
      claimed.add(key);
      return true;
    },
    async release(key) {
      claimed.delete(key);
    },
    async record(grant) {
      audit.push(grant);
    },
    grants: () => [...audit],
  };
}

/**
 * Creates the rewards engine: rules as data, matched against events (stream online,
 * subscription, achievement, rating threshold crossings), each action granted at most once per
 * (rule, user, event) through an atomic ledger claim, and every decision written to the audit.
 * A failed action is audited as `failed` and its claim released, so processing the same event
 * again retries only what did not happen.
 */
export function createRewardsEngine(options: RewardsEngineOptions): RewardsEngine {
  const parsedRules = z.array(ruleSchema).safeParse(options?.rules);
  if (!parsedRules.success) throw new ValidationError(undefined, issuesOf(parsedRules.error, 'rules'));
  const rules = parsedRules.data as RewardRule[];
  const ids = new Set<string>();
  rules.forEach((rule, i) => {
    if (ids.has(rule.id)) throw new ValidationError(undefined, [{ path: `rules.${i}.id`, message: `duplicate rule id ${rule.id}` }]);
    ids.add(rule.id);
    rule.actions.forEach((action, j) => {
      if (typeof options.executors?.[action.type] !== 'function') {
        throw new ConfigError(`No executor for ${action.type}`, [{ path: `rules.${i}.actions.${j}.type`, message: `no executor for ${action.type}` }]);
      }
    });
  });
  const ledger = options.ledger ?? createMemoryRewardLedger();
  const clock = options.clock ?? systemClock;

  return {
    rules,
    async process(input, callOptions) {
      const parsed = eventSchema.safeParse(input);
      if (!parsed.success) throw new ValidationError(undefined, issuesOf(parsed.error, 'event'));
      const event = parsed.data as RewardEvent;
      const matchedRules: string[] = [];
      const grants: RewardGrant[] = [];
      for (const rule of rules) {
        if (rule.enabled === false || !triggerMatches(rule, event)) continue;
        if (rule.when && !evaluateRewardCondition(rule.when, event.data)) continue;
        matchedRules.push(rule.id);
        for (const [actionIndex, action] of rule.actions.entries()) {
          // JSON of the tuple: unambiguous whatever characters the ids contain.
          const key = JSON.stringify([rule.id, event.userId, event.id, actionIndex]);
          const base = { ruleId: rule.id, userId: event.userId, eventId: event.id, actionIndex, actionType: action.type };
          let grant: RewardGrant;
          if (!(await ledger.claim(key))) {
            grant = { ...base, outcome: 'duplicate', at: clock.now() };
          } else {
            try {
              const executor = options.executors[action.type] as RewardExecutor;
              await executor(action, { event, rule, signal: callOptions?.signal });
              grant = { ...base, outcome: 'granted', at: clock.now() };
            } catch (error) {
              await ledger.release(key);
              const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'unknown';
              grant = { ...base, outcome: 'failed', at: clock.now(), errorCode: code };
            }
          }
          await ledger.record(grant);
          grants.push(grant);
        }
      }
      return { matchedRules, grants };
    },
  };
}
