/**
 * `@almanac/oracle/ratings`: ratings and matchmaking: Glicko-2 updates, difficulty adjustment and player
 * matching.
 *
 * @packageDocumentation
 */
export { adjustDifficulty } from './difficulty';
export type { DifficultyInput, DifficultyReason, DifficultyResult } from './difficulty';
export { GLICKO2_SCALE, glicko2Update } from './glicko2';
export type { Glicko2Options, Glicko2Rating, Glicko2Result } from './glicko2';
export { defaultMaxGap, matchPlayers, MAX_OPTIMAL_GROUP, MAX_QUEUE_PLAYERS } from './matchmaking';
export type { MatchedPair, MatchOptions, MatchResult, MaxGapFunction, QueuedPlayer } from './matchmaking';
