/** What can start a rule. */
export type RewardTrigger = StreamOnlineTrigger | SubscriptionTrigger | AchievementTrigger | RatingThresholdTrigger;

/** A broadcaster went live. */
export interface StreamOnlineTrigger {
  /** Trigger kind. */
  readonly type: 'stream.online';
  /** Only this broadcaster (the event's `data.broadcasterId`). */
  readonly broadcasterId?: string | undefined;
}

/** A user subscribed. */
export interface SubscriptionTrigger {
  /** Trigger kind. */
  readonly type: 'subscription';
  /** Only to this broadcaster. */
  readonly broadcasterId?: string | undefined;
  /** Lowest tier (`data.tier`: `1000`, `2000`, `3000`). */
  readonly minTier?: '1000' | '2000' | '3000' | undefined;
}

/** A user unlocked an achievement. */
export interface AchievementTrigger {
  /** Trigger kind. */
  readonly type: 'achievement';
  /** Only this achievement (`data.achievement`). */
  readonly achievement?: string | undefined;
}

/** A user's rating crossed a threshold upwards (`data.previousRating` below, `data.rating` at or above). */
export interface RatingThresholdTrigger {
  /** Trigger kind. */
  readonly type: 'rating.threshold';
  /** The threshold. */
  readonly threshold: number;
}

/** A condition on the event's `data`, as data: comparisons combined with all/any/not. */
export type RewardCondition =
  | {
      /** Every one holds. */
      readonly all: readonly RewardCondition[];
    }
  | {
      /** At least one holds. */
      readonly any: readonly RewardCondition[];
    }
  | {
      /** It does not hold. */
      readonly not: RewardCondition;
    }
  | {
      /** Dotted path into the event's `data`, e.g. `tier` or `game.id`. */
      readonly field: string;
      /** Comparison. `exists` ignores `value`. */
      readonly op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists';
      /** The value compared with (an array for `in`). */
      readonly value?: unknown;
    };

/** What a rule grants. Executors for each type are supplied to the engine. */
export type RewardAction = DropFulfillAction | DiscordRoleAction | MessageAction;

/** Fulfil a Twitch Drop. */
export interface DropFulfillAction {
  /** Action kind. */
  readonly type: 'drop.fulfill';
  /** The benefit (reward) id, for the executor. */
  readonly benefitId?: string | undefined;
}

/** Give a Discord role. */
export interface DiscordRoleAction {
  /** Action kind. */
  readonly type: 'discord.role';
  /** Guild. */
  readonly guildId: string;
  /** Role. */
  readonly roleId: string;
  /** Audit-log reason. */
  readonly reason?: string | undefined;
}

/** Send a message. */
export interface MessageAction {
  /** Action kind. */
  readonly type: 'message';
  /** Channel. */
  readonly channelId: string;
  /** Text with `{field}` placeholders (see `renderRewardTemplate`). */
  readonly template: string;
}

/** A rule: trigger, optional condition, actions. Plain data, so rules can live in a database or a JSON file. */
export interface RewardRule {
  /** Stable id; part of the idempotency key, so never reuse one for a different rule. */
  readonly id: string;
  /** What starts it. */
  readonly trigger: RewardTrigger;
  /** Extra condition on the event data. */
  readonly when?: RewardCondition | undefined;
  /** Granted in order. */
  readonly actions: readonly RewardAction[];
  /** Disabled rules are kept but never fire. Default true. */
  readonly enabled?: boolean | undefined;
}

/** Something that happened to a user. */
export interface RewardEvent {
  /** Unique id of the occurrence (e.g. the EventSub message id); part of the idempotency key. */
  readonly id: string;
  /** Kind of event. */
  readonly type: 'stream.online' | 'subscription' | 'achievement' | 'rating';
  /** The user it concerns (the platform's id). */
  readonly userId: string;
  /**
   * Details: `broadcasterId`, `tier` (subscription), `achievement`, `rating` and
   * `previousRating` (rating), anything else a condition may test.
   */
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

/** One line of the grant audit. */
export interface RewardGrant {
  /** Rule that fired. */
  readonly ruleId: string;
  /** User. */
  readonly userId: string;
  /** Event. */
  readonly eventId: string;
  /** Position of the action in the rule. */
  readonly actionIndex: number;
  /** Its type. */
  readonly actionType: RewardAction['type'];
  /** `granted`; `duplicate` when the same (rule, user, event) was already granted; `failed` when the executor threw (it may be retried). */
  readonly outcome: 'granted' | 'duplicate' | 'failed';
  /** When, epoch ms. */
  readonly at: number;
  /** The error code of a failure (never the message, which may hold provider details). */
  readonly errorCode?: string | undefined;
}

/**
 * Remembers which (rule, user, event, action) were granted, atomically, so a redelivered event
 * or two workers never grant twice. Back it with a database unique key or Redis `SET NX` when
 * several processes run the engine.
 */
export interface RewardLedger {
  /** Claims `key`; resolves `true` only for the first claim. */
  claim(key: string): Promise<boolean>;
  /** Releases a claim whose grant failed, so the event can be processed again. */
  release(key: string): Promise<void>;
  /** Appends to the audit. */
  record(grant: RewardGrant): Promise<void>;
}
