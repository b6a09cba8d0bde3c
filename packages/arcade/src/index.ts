/**
 * Gaming: rewards, challenges, matchmaking and community sentiment. Twitch and Discord live
 * in the `@almanac/arcade/twitch` and `@almanac/arcade/discord` subpaths.
 *
 * @packageDocumentation
 */
export { toNodeListener } from './webhooks/node-listener';
export type { NodeListenerOptions } from './webhooks/node-listener';
export type { WebhookHandler, WebhookRejection, WebhookRejectionReason } from './webhooks/types';
export { aggregateSentiment, createSentimentAnalyzer, parseVaderLexicon } from './sentiment';
export type { AggregateSentimentOptions, ChannelDaySentiment, SentimentAnalyzer, SentimentAnalyzerOptions, SentimentMessage, SentimentScores } from './sentiment';
export { createMemoryRewardLedger, createRewardsEngine, evaluateRewardCondition, renderRewardTemplate } from './rewards';
export type {
  AchievementTrigger,
  DiscordRoleAction,
  DropFulfillAction,
  MemoryRewardLedger,
  MessageAction,
  RatingThresholdTrigger,
  StreamOnlineTrigger,
  SubscriptionTrigger,
  RewardAction,
  RewardCondition,
  RewardEvent,
  RewardExecutor,
  RewardExecutors,
  RewardGrant,
  RewardLedger,
  RewardProcessResult,
  RewardRule,
  RewardsEngine,
  RewardsEngineOptions,
  RewardTrigger,
} from './rewards';
export { createChallengeGenerator, templateChallengeText } from './challenges';
export type { Challenge, ChallengeObjectiveTemplate, ChallengeReward, ChallengeText, DifficultyRange, ChallengeGenerator, ChallengeGeneratorOptions, ChallengeObjective, ChallengePlayerProfile, ChallengeTextGenerator, ChallengeTextInput } from './challenges';
export { createMatchmakingQueue, rateMatch } from './matchmaking';
export type { MatchmakingQueue, RatedMatch, MatchmakingQueueOptions, QueueEntry, QueueMatch } from './matchmaking';
