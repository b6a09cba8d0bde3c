export { createMemoryRewardLedger, createRewardsEngine, evaluateRewardCondition, renderRewardTemplate } from './engine';
export type { RewardExecutor, RewardExecutors, RewardProcessResult, RewardsEngine, RewardsEngineOptions } from './engine';
export type { RewardAction, RewardCondition, RewardEvent, RewardGrant, RewardLedger, RewardRule, RewardTrigger } from './types';
