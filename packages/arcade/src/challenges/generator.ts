import { createHash } from 'node:crypto';
import { ValidationError } from '@almanac/core';
import { adjustDifficulty } from '@almanac/oracle/ratings';
import type { DifficultyReason } from '@almanac/oracle/ratings';

/** What the generator knows about a player. */
export interface ChallengePlayerProfile {
  /** Player id. */
  readonly playerId: string;
  /** Level (≥ 1). */
  readonly level: number;
  /** Favourite genre; picks the objective pool. Default `adventure`. */
  readonly favoriteGenre?: string | undefined;
  /** Most recent achievement, if any (the text generator may mention it). */
  readonly lastAchievement?: string | undefined;
  /** Glicko-2 rating, if rated. */
  readonly rating?: number | undefined;
  /** Recent challenge outcomes, oldest first (`true` = completed). */
  readonly recentOutcomes?: readonly boolean[] | undefined;
  /** Difficulty the recent outcomes were played at. Default: the middle of the range. */
  readonly currentDifficulty?: number | undefined;
}

/** The objective part of a challenge, chosen deterministically. */
export interface ChallengeObjective {
  /** Objective kind, e.g. `defeat`, `collect`. */
  readonly kind: string;
  /** What to act on, e.g. `rare creatures`. */
  readonly target: string;
  /** How many. */
  readonly count: number;
  /** Time limit in minutes. */
  readonly timeLimitMinutes: number;
}

/** Input of a {@link ChallengeTextGenerator}. */
export interface ChallengeTextInput {
  /** The player. */
  readonly profile: ChallengePlayerProfile;
  /** Difficulty chosen. */
  readonly difficulty: number;
  /** Objective chosen. */
  readonly objective: ChallengeObjective;
  /** Genre used. */
  readonly genre: string;
}

/**
 * Writes a challenge's title and description. The default is a deterministic template; teams
 * that bring an LLM implement this (the objective, difficulty and reward stay decided by the
 * generator, so a model can only phrase, never change, what is asked or granted).
 */
export interface ChallengeTextGenerator {
  /** Returns the text. */
  generate(input: ChallengeTextInput, options: { signal?: AbortSignal | undefined }): Promise<ChallengeText> | ChallengeText;
}

/** What completing a challenge earns. */
export interface ChallengeReward {
  /** In-game currency. */
  readonly currency: number;
  /** Experience points. */
  readonly xp: number;
}

/** A challenge's text. */
export interface ChallengeText {
  /** Title (cut at 256 characters). */
  title: string;
  /** Description (cut at 4,096 characters). */
  description: string;
}

/** An objective template of a genre's pool. */
export interface ChallengeObjectiveTemplate {
  /** Objective kind, e.g. `defeat`. */
  kind: string;
  /** What to act on, e.g. `rare creatures`. */
  target: string;
}

/** A generated challenge. */
export interface Challenge {
  /** Deterministic id: the same seed, player and period give the same id. */
  readonly id: string;
  /** Player. */
  readonly playerId: string;
  /** Period it belongs to (e.g. `2026-12-03`). */
  readonly period: string;
  /** Title. */
  readonly title: string;
  /** Description. */
  readonly description: string;
  /** Difficulty in [min, max]. */
  readonly difficulty: number;
  /** Why the difficulty moved (from oracle's `adjustDifficulty`). */
  readonly difficultyReason: DifficultyReason;
  /** The objective. */
  readonly objective: ChallengeObjective;
  /** Reward: currency and XP scale with difficulty. */
  readonly reward: ChallengeReward;
}

/** A difficulty range. */
export interface DifficultyRange {
  /** Lowest difficulty. */
  min: number;
  /** Highest difficulty (> min). */
  max: number;
}

/** Options of {@link createChallengeGenerator}. */
export interface ChallengeGeneratorOptions {
  /** Seed: the same seed, profile and period always give the same challenge. */
  seed: string;
  /** Text generator. Default {@link templateChallengeText}. */
  textGenerator?: ChallengeTextGenerator | undefined;
  /** Difficulty range `{ min, max }`. Default 1-10. */
  difficulty?: DifficultyRange | undefined;
  /** Objective pools per genre (`default` is used for unknown genres). */
  objectives?: Readonly<Record<string, readonly ChallengeObjectiveTemplate[]>> | undefined;
}

/** The challenge generator; see {@link createChallengeGenerator}. */
export interface ChallengeGenerator {
  /** Generates the challenge of `profile` for `period` (any string, e.g. a day or week). */
  generate(profile: ChallengePlayerProfile, period: string, options?: { signal?: AbortSignal | undefined }): Promise<Challenge>;
}

const DEFAULT_OBJECTIVES: Readonly<Record<string, ReadonlyArray<{ kind: string; target: string }>>> = {
  default: [
    { kind: 'collect', target: 'hidden relics' },
    { kind: 'defeat', target: 'rare creatures' },
    { kind: 'explore', target: 'uncharted regions' },
    { kind: 'win', target: 'ranked matches' },
  ],
  rpg: [
    { kind: 'defeat', target: 'elite bosses' },
    { kind: 'complete', target: 'side quests' },
    { kind: 'craft', target: 'legendary items' },
  ],
  shooter: [
    { kind: 'win', target: 'ranked matches' },
    { kind: 'score', target: 'headshots' },
    { kind: 'capture', target: 'objectives' },
  ],
  racing: [
    { kind: 'win', target: 'races' },
    { kind: 'beat', target: 'ghost lap times' },
  ],
};

/** A small, fast PRNG (sfc32) seeded from SHA-256, so challenges are reproducible without `Math.random`. */
function seededRandom(...parts: string[]): () => number {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** The default, deterministic text: a title and a one-sentence brief from the objective. */
export const templateChallengeText: ChallengeTextGenerator = {
  generate({ profile, difficulty, objective, genre }) {
    const tier = difficulty >= 8 ? 'Legendary' : difficulty >= 5 ? 'Veteran' : 'Rookie';
    const title = `${tier} ${objective.kind[0]?.toUpperCase() ?? ''}${objective.kind.slice(1)}: ${objective.count} ${objective.target}`;
    const nod = profile.lastAchievement ? ` Fresh from "${profile.lastAchievement}", this one is tuned for you.` : '';
    const description = `${objective.kind[0]?.toUpperCase() ?? ''}${objective.kind.slice(1)} ${objective.count} ${objective.target} in ${genre} within ${objective.timeLimitMinutes} minutes (difficulty ${difficulty}).${nod}`;
    return { title, description };
  },
};

/**
 * Creates a seeded challenge generator: the difficulty comes from oracle's `adjustDifficulty`
 * over the player's recent outcomes (so players who keep failing get easier challenges), the
 * objective and its size from a PRNG seeded by (seed, player, period), and the text from a
 * pluggable {@link ChallengeTextGenerator}.
 */
export function createChallengeGenerator(options: ChallengeGeneratorOptions): ChallengeGenerator {
  if (typeof options?.seed !== 'string' || options.seed.length === 0) throw new ValidationError(undefined, [{ path: 'seed', message: 'must be a non-empty string' }]);
  const min = options.difficulty?.min ?? 1;
  const max = options.difficulty?.max ?? 10;
  if (!Number.isFinite(min) || !Number.isFinite(max) || min >= max) throw new ValidationError(undefined, [{ path: 'difficulty', message: 'min must be below max' }]);
  const pools = options.objectives ?? DEFAULT_OBJECTIVES;
  const text = options.textGenerator ?? templateChallengeText;
  return {
    async generate(profile, period, callOptions = {}) {
      if (typeof profile?.playerId !== 'string' || profile.playerId.length === 0) throw new ValidationError(undefined, [{ path: 'profile.playerId', message: 'must be a non-empty string' }]);
      if (!Number.isInteger(profile.level) || profile.level < 1) throw new ValidationError(undefined, [{ path: 'profile.level', message: 'must be an integer >= 1' }]);
      if (typeof period !== 'string' || period.length === 0) throw new ValidationError(undefined, [{ path: 'period', message: 'must be a non-empty string' }]);
      const adjusted = adjustDifficulty({
        outcomes: profile.recentOutcomes ?? [],
        current: profile.currentDifficulty ?? (min + max) / 2,
        min,
        max,
      });
      const difficulty = Math.round(adjusted.difficulty * 10) / 10;
      const random = seededRandom(options.seed, profile.playerId, period);
      const genre = (profile.favoriteGenre ?? 'adventure').toLowerCase();
      const pool = pools[genre] ?? pools.default ?? DEFAULT_OBJECTIVES.default ?? [];
      if (pool.length === 0) throw new ValidationError(undefined, [{ path: 'objectives', message: 'needs at least one objective' }]);
      const pick = pool[Math.floor(random() * pool.length)] as { kind: string; target: string };
      const share = (difficulty - min) / (max - min);
      const objective: ChallengeObjective = {
        kind: pick.kind,
        target: pick.target,
        count: Math.max(1, Math.round((3 + 12 * share) * (0.8 + 0.4 * random()))),
        timeLimitMinutes: Math.max(15, Math.round((180 - 120 * share) / 15) * 15),
      };
      const written = await text.generate({ profile, difficulty, objective, genre }, { signal: callOptions.signal });
      const id = createHash('sha256').update(JSON.stringify([options.seed, profile.playerId, period])).digest('hex').slice(0, 24);
      return {
        id: `ch_${id}`,
        playerId: profile.playerId,
        period,
        title: String(written.title).slice(0, 256),
        description: String(written.description).slice(0, 4096),
        difficulty,
        difficultyReason: adjusted.reason,
        objective,
        reward: { currency: Math.round(100 + 400 * share), xp: Math.round(200 + 800 * share) },
      };
    },
  };
}
