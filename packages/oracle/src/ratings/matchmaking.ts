import { OracleRangeError, OracleTypeError } from '../errors';
import { array, finiteNumber, object, oneOf } from '../validate';
import { maxWeightMatching, type WeightedEdge } from './blossom';
import { greedyMatching, type MatchInput } from './greedy-matching';

/** A player waiting in the matchmaking queue. */
export interface QueuedPlayer {
  /** Unique, non-empty player id; also the final tie-breaker. */
  readonly id: string;
  /** Skill rating (any scale; gaps are absolute differences). */
  readonly rating: number;
  /** Rating deviation (≥ 0); not in the objective, but passed to `maxGap` for uncertainty-aware allowances. */
  readonly rd: number;
  /** Seconds this player has waited so far (≥ 0). */
  readonly waitingSeconds: number;
}

/**
 * A player's rating-gap allowance as a function of how long they have waited. Must return a
 * number ≥ 0 (`Infinity` = anyone); it should be non-decreasing in `waitingSeconds`.
 */
export type MaxGapFunction = (waitingSeconds: number, player: QueuedPlayer) => number;

/** Options of {@link matchPlayers}. */
export interface MatchOptions {
  /** Per-player allowance; default {@link defaultMaxGap}. */
  readonly maxGap?: MaxGapFunction | undefined;
  /**
   * How two allowances combine into the pair's allowance. `'max'` (default): a pair is allowed when
   * either player's window reaches the other, so a long wait really does widen who can be matched
   * with you. `'min'`: both players must accept the gap.
   */
  readonly allowance?: 'max' | 'min' | undefined;
  /**
   * Resolution, in rating points, at which total gaps are compared (default 0.001). Gaps are
   * counted in whole units of it so the optimisation runs in exact integer arithmetic.
   */
  readonly gapResolution?: number | undefined;
  /**
   * `'optimal'` (default): the exact matcher below, O(n³) per group of players connected by
   * allowed pairs; refused with an error naming `queue` when the groups are too large
   * (about {@link MAX_OPTIMAL_GROUP} players in one group). `'greedy'`: for large queues,
   * pairs among each player's `window` nearest neighbours in rating order, smallest gap
   * first; O(n·window·log n), at least half as many pairs as the best matching of those
   * candidates.
   */
  readonly mode?: 'optimal' | 'greedy' | undefined;
  /** Neighbours on each side considered in `'greedy'` mode: an integer from 1 to 32, default 16. */
  readonly window?: number | undefined;
}

/** One pair: `[idA, idB, gap]` with A the lower-rated player (then lower id) and gap = |ratingA − ratingB|. */
export type MatchedPair = readonly [string, string, number];

/** Result of {@link matchPlayers}. */
export interface MatchResult {
  /** Pairs, ordered by their lower-rated player's (rating, id). */
  readonly pairs: readonly MatchedPair[];
  /** Ids left waiting, ordered by (rating, id). */
  readonly unmatched: readonly string[];
}

/** Most players per call, in any mode. */
export const MAX_QUEUE_PLAYERS = 50_000;
/**
 * Largest connected group the `'optimal'` matcher takes. Its cost grows with the cube of a
 * group's size: the total over groups is bounded by one group of this size, so 8 groups of
 * 250 also pass. 20,000 players within reach of each other used to exhaust the heap.
 */
export const MAX_OPTIMAL_GROUP = 500;
/** Most allowed pairs the `'optimal'` matcher collects before refusing the queue (memory bound). */
const MAX_OPTIMAL_PAIRS = 500_000;
const DEFAULT_WINDOW = 16;
const MAX_WINDOW = 32;

const ALLOWANCE_BASE = 50;
const ALLOWANCE_PER_SECOND = 5;
const ALLOWANCE_CAP = 400;
// Blossom duals reach a few times the largest weight; keep them well inside exact doubles.
const MAX_SAFE_WEIGHT = 2 ** 50;

/**
 * Default allowance: 50 + 5·waitingSeconds rating points, capped at 400 — a fresh player gets a
 * close game, and after 70 s the window reaches its cap of about one Elo class of 400 points
 * (which is a 10:1 expected-score ratio).
 */
export function defaultMaxGap(waitingSeconds: number): number {
  finiteNumber('waitingSeconds', waitingSeconds, { min: 0 });
  return Math.min(ALLOWANCE_CAP, ALLOWANCE_BASE + ALLOWANCE_PER_SECOND * waitingSeconds);
}

/** Codepoint order, independent of locale. */
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function find(parent: Int32Array, x: number): number {
  let root = x;
  while (parent[root] !== root) root = parent[root]!;
  while (parent[x] !== root) {
    const next = parent[x]!;
    parent[x] = root;
    x = next;
  }
  return root;
}

/**
 * Pairs queued players by Edmonds' blossom algorithm (Galil 1986) on the graph of allowed pairs,
 * optimising, in this order:
 *
 * 1. the number of pairs (maximum);
 * 2. the total rating gap, in units of `gapResolution` (minimum);
 * 3. the summed waiting rank of the players left over (minimum; rank 0 = waited least, ties:
 *    smaller id first), so with an odd count the player who has waited least is the one who waits;
 * 4. remaining ties are settled by the canonical (rating, id) order, so shuffling the input never
 *    changes the output.
 *
 * A pair is allowed when its gap is within the pair's allowance (`allowance` option over each
 * player's `maxGap(waitingSeconds)`). Allowances differ per player, so optimal pairs may nest or
 * cross in rating order — adjacent pairing along the sorted ratings is not enough, hence the
 * general matching. O(n³) per group of players connected by allowed pairs, so groups are capped
 * at {@link MAX_OPTIMAL_GROUP} players; pass `mode: 'greedy'` for larger queues (up to
 * {@link MAX_QUEUE_PLAYERS}).
 *
 * @throws OracleTypeError / OracleRangeError naming the bad field (`queue[3].rating`, `options.maxGap`, …).
 */
export function matchPlayers(queue: readonly QueuedPlayer[], options: MatchOptions = {}): MatchResult {
  const o = object('options', options);
  const maxGap = o['maxGap'] === undefined ? defaultMaxGap : o['maxGap'];
  if (typeof maxGap !== 'function') throw new OracleTypeError('options.maxGap', 'expected a function');
  const combine = o['allowance'] === undefined ? 'max' : oneOf('options.allowance', o['allowance'], ['max', 'min'] as const);
  const resolution = o['gapResolution'] === undefined ? 0.001 : finiteNumber('options.gapResolution', o['gapResolution']);
  if (resolution <= 0) throw new OracleRangeError('options.gapResolution', `must be > 0, got ${resolution}`);
  const mode = o['mode'] === undefined ? 'optimal' : oneOf('options.mode', o['mode'], ['optimal', 'greedy'] as const);
  const window =
    o['window'] === undefined ? DEFAULT_WINDOW : finiteNumber('options.window', o['window'], { integer: true, min: 1, max: MAX_WINDOW });
  if (array('queue', queue).length > MAX_QUEUE_PLAYERS) {
    throw new OracleRangeError('queue', `has ${queue.length} players; at most ${MAX_QUEUE_PLAYERS} per call`);
  }

  const seen = new Set<string>();
  const players = array('queue', queue).map((raw, i): QueuedPlayer => {
    const p = object(`queue[${i}]`, raw);
    const id = p['id'];
    if (typeof id !== 'string' || id.length === 0) throw new OracleTypeError(`queue[${i}].id`, 'expected a non-empty string');
    if (seen.has(id)) throw new OracleRangeError(`queue[${i}].id`, `duplicate id "${id}"`);
    seen.add(id);
    return {
      id,
      rating: finiteNumber(`queue[${i}].rating`, p['rating']),
      rd: finiteNumber(`queue[${i}].rd`, p['rd'], { min: 0 }),
      waitingSeconds: finiteNumber(`queue[${i}].waitingSeconds`, p['waitingSeconds'], { min: 0 }),
    };
  });

  const sorted = [...players].sort((a, b) => a.rating - b.rating || compareIds(a.id, b.id));
  const n = sorted.length;
  const allowance = sorted.map((p) => {
    const a = (maxGap as MaxGapFunction)(p.waitingSeconds, p);
    if (typeof a !== 'number' || Number.isNaN(a) || a < 0) {
      throw new OracleRangeError('options.maxGap', `must return a number >= 0, got ${String(a)} for player "${p.id}"`);
    }
    return a;
  });
  // Waiting rank: 0 = waited least (ties: smaller id), the first to be left over.
  const rank = new Int32Array(n);
  sorted
    .map((_, i) => i)
    .sort((i, j) => sorted[i]!.waitingSeconds - sorted[j]!.waitingSeconds || compareIds(sorted[i]!.id, sorted[j]!.id))
    .forEach((i, r) => {
      rank[i] = r;
    });

  const input: MatchInput = { ratings: sorted.map((p) => p.rating), allowance, rank, combine, resolution };
  const partner = mode === 'greedy' ? greedyMatching(input, window) : optimalMatching(input);

  const pairs: MatchedPair[] = [];
  const unmatched: string[] = [];
  for (let i = 0; i < n; i++) {
    const j = partner[i]!;
    if (j === -1) unmatched.push(sorted[i]!.id);
    else if (j > i) pairs.push([sorted[i]!.id, sorted[j]!.id, sorted[j]!.rating - sorted[i]!.rating]);
  }
  return { pairs, unmatched };
}

function tooLarge(detail: string): OracleRangeError {
  return new OracleRangeError('queue', `${detail}; the optimal matcher is O(n³) per group, pass options.mode 'greedy' for large queues`);
}

/** The exact matcher: blossom per connected group of allowed pairs. Returns partner indexes. */
function optimalMatching(input: MatchInput): Int32Array {
  const { ratings, allowance, rank, combine, resolution } = input;
  const n = ratings.length;
  // Allowed pairs: scan right only as far as the widest allowance can reach.
  const widest = allowance.reduce((m, a) => Math.max(m, a), 0);
  const allowed: [number, number][] = [];
  const group = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n && ratings[j]! - ratings[i]! <= widest; j++) {
      const gap = ratings[j]! - ratings[i]!;
      const limit = combine === 'max' ? Math.max(allowance[i]!, allowance[j]!) : Math.min(allowance[i]!, allowance[j]!);
      if (gap <= limit) {
        // Checked while scanning: 20,000 players within reach are 200 million pairs.
        if (allowed.length >= MAX_OPTIMAL_PAIRS) throw tooLarge(`more than ${MAX_OPTIMAL_PAIRS} allowed pairs`);
        allowed.push([i, j]);
        group[find(group, i)] = find(group, j);
      }
    }
  }

  // Solve each connected group separately: smaller weights, and O(n³) only within a group.
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const root = find(group, i);
    const list = members.get(root);
    if (list) list.push(i);
    else members.set(root, [i]);
  }
  let cost = 0;
  for (const verts of members.values()) {
    if (verts.length > MAX_OPTIMAL_GROUP) {
      throw tooLarge(`${verts.length} players are connected by allowed pairs, more than ${MAX_OPTIMAL_GROUP} in one group`);
    }
    cost += verts.length ** 3;
  }
  if (cost > MAX_OPTIMAL_GROUP ** 3) throw tooLarge(`its groups together cost more than one group of ${MAX_OPTIMAL_GROUP} players`);
  const edgesOf = new Map<number, [number, number][]>();
  for (const e of allowed) {
    const root = find(group, e[0]);
    const list = edgesOf.get(root);
    if (list) list.push(e);
    else edgesOf.set(root, [e]);
  }

  const partner = new Int32Array(n).fill(-1);
  for (const [root, verts] of members) {
    const edges = edgesOf.get(root);
    if (!edges) continue;
    const local = new Map<number, number>(verts.map((v, i) => [v, i]));
    const m = verts.length;
    // Lexicographic objective as one integer weight: gap units dominate the waiting-rank bonus,
    // whose sum over any matching of this group stays below n·m. Maximum cardinality is the
    // solver's own mode.
    const units = edges.map(([i, j]) => Math.round((ratings[j]! - ratings[i]!) / resolution));
    const top = units.reduce((a, u) => Math.max(a, u), 0) + 1;
    const scale = n * m;
    if (top * scale + 2 * m > MAX_SAFE_WEIGHT) {
      throw new OracleRangeError('options.gapResolution', `too fine for this queue: gaps of up to ${top} units among ${m} players overflow exact arithmetic`);
    }
    const weighted: WeightedEdge[] = edges.map(([i, j], k) => [
      local.get(i)!,
      local.get(j)!,
      (top - units[k]!) * scale + rank[i]! + rank[j]!,
    ]);
    const mate = maxWeightMatching(m, weighted, true);
    mate.forEach((w, v) => {
      if (w >= 0) partner[verts[v]!] = verts[w]!;
    });
  }
  return partner;
}
