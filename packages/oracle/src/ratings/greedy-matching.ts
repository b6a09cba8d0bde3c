// The greedy matcher behind matchPlayers({ mode: 'greedy' }): for queues too large for the
// exact O(n³) blossom matcher. Only pairs within `window` places of each other in rating
// order are candidates, so time is O(n·w·log(n·w)) and memory O(n·w).

/** What both matchers receive: players sorted by (rating, id) and their per-player data. */
export interface MatchInput {
  /** Ratings in sorted order. */
  readonly ratings: readonly number[];
  /** Each player's allowance. */
  readonly allowance: readonly number[];
  /** Waiting rank (0 = waited least). */
  readonly rank: Int32Array;
  /** How two allowances combine. */
  readonly combine: 'max' | 'min';
  /** Gap resolution in rating points. */
  readonly resolution: number;
}

/**
 * Greedy matching over the allowed pairs among each player's `window` nearest neighbours
 * in rating order, taken in the matcher's own order of preference: smaller gap (in units of
 * `resolution`) first, then the pair whose players waited longer (higher summed waiting
 * rank), then the canonical (rating, id) order. The result is a maximal matching of those
 * candidates, so it has at least half as many pairs as the best matching of them.
 * Returns each player's partner index, or -1.
 */
export function greedyMatching(input: MatchInput, window: number): Int32Array {
  const { ratings, allowance, rank, combine, resolution } = input;
  const n = ratings.length;
  // Typed arrays sized for every candidate: a few bytes per pair, no per-pair objects.
  const capacity = n * window;
  const left = new Int32Array(capacity);
  const right = new Int32Array(capacity);
  const units = new Float64Array(capacity);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const last = Math.min(n - 1, i + window);
    for (let j = i + 1; j <= last; j++) {
      const gap = (ratings[j] as number) - (ratings[i] as number);
      const a = allowance[i] as number;
      const b = allowance[j] as number;
      if (gap <= (combine === 'max' ? Math.max(a, b) : Math.min(a, b))) {
        left[count] = i;
        right[count] = j;
        units[count] = Math.round(gap / resolution);
        count++;
      }
    }
  }
  const order = new Uint32Array(count);
  for (let k = 0; k < count; k++) order[k] = k;
  order.sort((x, y) => {
    const byGap = (units[x] as number) - (units[y] as number);
    if (byGap !== 0) return byGap;
    const xi = left[x] as number;
    const xj = right[x] as number;
    const yi = left[y] as number;
    const yj = right[y] as number;
    const byWait = (rank[yi] as number) + (rank[yj] as number) - (rank[xi] as number) - (rank[xj] as number);
    return byWait !== 0 ? byWait : xi - yi || xj - yj;
  });
  const partner = new Int32Array(n).fill(-1);
  for (const k of order) {
    const i = left[k] as number;
    const j = right[k] as number;
    if (partner[i] === -1 && partner[j] === -1) {
      partner[i] = j;
      partner[j] = i;
    }
  }
  return partner;
}
