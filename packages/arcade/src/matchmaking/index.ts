export { createMatchmakingQueue, rateMatch } from './queue';
export type { MatchmakingQueue, MatchmakingQueueOptions, QueueEntry, QueueMatch } from './queue';
