export { adjustDifficulty, type DifficultyInput, type DifficultyReason, type DifficultyResult } from './difficulty';
export { GLICKO2_SCALE, type Glicko2Options, type Glicko2Rating, type Glicko2Result, glicko2Update } from './glicko2';
export {
  defaultMaxGap,
  type MatchedPair,
  type MatchOptions,
  type MatchResult,
  type MaxGapFunction,
  matchPlayers,
  type QueuedPlayer,
} from './matchmaking';
