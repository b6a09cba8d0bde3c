import { ConflictError, ValidationError, systemClock } from '@almanac/core';
import type { Clock } from '@almanac/core';
import { defaultMaxGap, glicko2Update, matchPlayers } from '@almanac/oracle/ratings';
import type { Glicko2Options, Glicko2Rating, MaxGapFunction } from '@almanac/oracle/ratings';

/** A player waiting for a match. */
export interface QueueEntry {
  /** Player id. */
  readonly playerId: string;
  /** Current Glicko-2 rating. */
  readonly rating: Glicko2Rating;
  /** When they joined, epoch ms. */
  readonly joinedAt: number;
}

/** A match the queue made. */
export interface QueueMatch {
  /** Lower-rated player. */
  readonly a: QueueEntry;
  /** Higher-rated player. */
  readonly b: QueueEntry;
  /** Rating gap. */
  readonly gap: number;
}

/** Options of {@link createMatchmakingQueue}. */
export interface MatchmakingQueueOptions {
  /** Time source for waiting times. */
  clock?: Clock | undefined;
  /**
   * Allowance per player from seconds waited: the window widens the longer they wait.
   * Default oracle's `defaultMaxGap` (50 + 5·s, capped at 400 rating points).
   */
  maxGap?: MaxGapFunction | undefined;
  /** `optimal` (exact matching, default) or `greedy` for very large queues. */
  mode?: 'optimal' | 'greedy' | undefined;
  /** Most players waiting at once. Default 50,000 (oracle's limit per call). */
  maxPlayers?: number | undefined;
}

/** The matchmaking queue; see {@link createMatchmakingQueue}. */
export interface MatchmakingQueue {
  /** Adds a player; a player already waiting is a `ConflictError`. */
  enqueue(playerId: string, rating: Glicko2Rating): QueueEntry;
  /** Removes a player; `true` if they were waiting. */
  leave(playerId: string): boolean;
  /** Players waiting. */
  size(): number;
  /** Pairs whoever can be paired now (windows widen with waiting time) and removes them from the queue. */
  match(): QueueMatch[];
}

/**
 * Creates a matchmaking queue over Glicko-2 ratings: each `match()` call runs oracle's
 * `matchPlayers` (maximum pairs, then minimum total gap) with allowances that widen with each
 * player's waiting time, so a lone high-rated player is matched eventually rather than never.
 */
export function createMatchmakingQueue(options: MatchmakingQueueOptions = {}): MatchmakingQueue {
  const clock = options.clock ?? systemClock;
  const maxPlayers = options.maxPlayers ?? 50_000;
  const waiting = new Map<string, QueueEntry>();
  return {
    enqueue(playerId, rating) {
      if (typeof playerId !== 'string' || playerId.length === 0) throw new ValidationError(undefined, [{ path: 'playerId', message: 'must be a non-empty string' }]);
      if (!Number.isFinite(rating?.rating) || !(rating.rd > 0) || !(rating.volatility > 0)) {
        throw new ValidationError(undefined, [{ path: 'rating', message: 'must be a Glicko-2 rating (finite rating, rd > 0, volatility > 0)' }]);
      }
      if (waiting.has(playerId)) throw new ConflictError(`Player ${playerId} is already queued`, { operation: 'matchmaking.enqueue' });
      if (waiting.size >= maxPlayers) throw new ValidationError(undefined, [{ path: 'playerId', message: `the queue is full (${maxPlayers} players)` }]);
      const entry: QueueEntry = { playerId, rating, joinedAt: clock.now() };
      waiting.set(playerId, entry);
      return entry;
    },
    leave: (playerId) => waiting.delete(playerId),
    size: () => waiting.size,
    match() {
      if (waiting.size < 2) return [];
      const now = clock.now();
      const queue = [...waiting.values()].map((e) => ({ id: e.playerId, rating: e.rating.rating, rd: e.rating.rd, waitingSeconds: Math.max(0, (now - e.joinedAt) / 1000) }));
      const result = matchPlayers(queue, { maxGap: options.maxGap ?? defaultMaxGap, ...(options.mode ? { mode: options.mode } : {}) });
      return result.pairs.map(([idA, idB, gap]) => {
        const a = waiting.get(idA) as QueueEntry;
        const b = waiting.get(idB) as QueueEntry;
        waiting.delete(idA);
        waiting.delete(idB);
        return { a, b, gap };
      });
    },
  };
}

/** Both players' ratings after a game. */
export interface RatedMatch {
  /** Player A's new rating. */
  readonly a: Glicko2Rating;
  /** Player B's new rating. */
  readonly b: Glicko2Rating;
}

/**
 * Rates both players of one game with Glicko-2 (each against the other's pre-game rating).
 * `scoreA` is 1 when A won, 0.5 for a draw, 0 when B won.
 */
export function rateMatch(a: Glicko2Rating, b: Glicko2Rating, scoreA: 0 | 0.5 | 1, options?: Glicko2Options): RatedMatch {
  if (scoreA !== 0 && scoreA !== 0.5 && scoreA !== 1) throw new ValidationError(undefined, [{ path: 'scoreA', message: 'must be 0, 0.5 or 1' }]);
  return {
    a: glicko2Update(a, [{ rating: b.rating, rd: b.rd, score: scoreA }], options),
    b: glicko2Update(b, [{ rating: a.rating, rd: a.rd, score: 1 - scoreA }], options),
  };
}
