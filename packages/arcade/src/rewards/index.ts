export { createMemoryRewardLedger, createRewardsEngine, evaluateRewardCondition, renderRewardTemplate } from './engine';
export type { MemoryRewardLedger, RewardExecutor, RewardExecutors, RewardProcessResult, RewardsEngine, RewardsEngineOptions } from './engine';
export type {
  AchievementTrigger,
  DiscordRoleAction,
  DropFulfillAction,
  MessageAction,
  RatingThresholdTrigger,
  StreamOnlineTrigger,
  SubscriptionTrigger,
  RewardAction,
  RewardCondition, RewardEvent, RewardGrant, RewardLedger, RewardRule, RewardTrigger } from './types';
