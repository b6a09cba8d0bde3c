export { createMatchmakingQueue, rateMatch } from './queue';
export type { MatchmakingQueue, RatedMatch, MatchmakingQueueOptions, QueueEntry, QueueMatch } from './queue';
