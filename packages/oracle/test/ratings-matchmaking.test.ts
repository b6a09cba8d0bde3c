import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { expectOracleError } from './helpers/expect-oracle-error';
import { mulberry32 } from '../src/math/random';
import { maxWeightMatching, type WeightedEdge } from '../src/ratings/blossom';
import { defaultMaxGap, MAX_OPTIMAL_GROUP, MAX_QUEUE_PLAYERS, type MatchResult, matchPlayers, type QueuedPlayer } from '../src/ratings/matchmaking';

/** Every matching of vertices 0..n-1 using only edges allowed by `ok`, as partner arrays. */
function allMatchings(n: number, ok: (i: number, j: number) => boolean): number[][] {
  const out: number[][] = [];
  const mate = new Array<number>(n).fill(-1);
  const seen = new Array<boolean>(n).fill(false);
  const go = (i: number): void => {
    while (i < n && seen[i]) i++;
    if (i === n) {
      out.push([...mate]);
      return;
    }
    seen[i] = true;
    go(i + 1);
    for (let j = i + 1; j < n; j++) {
      if (seen[j] || !ok(i, j)) continue;
      seen[j] = true;
      mate[i] = j;
      mate[j] = i;
      go(i + 1);
      mate[i] = mate[j] = -1;
      seen[j] = false;
    }
    seen[i] = false;
  };
  go(0);
  return out;
}

describe('maxWeightMatching (blossom) against brute force', () => {
  const graph = fc.integer({ min: 2, max: 10 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      edges: fc.uniqueArray(
        fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: -5, max: 30 })).filter(([a, b]) => a !== b),
        { selector: ([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`, maxLength: 25 },
      ),
      maxCardinality: fc.boolean(),
    }),
  );

  it('finds the optimum (cardinality first when asked, then weight)', () => {
    fc.assert(
      fc.property(graph, ({ n, edges, maxCardinality }) => {
        const w = new Map<string, number>();
        for (const [a, b, x] of edges) w.set(`${Math.min(a, b)}-${Math.max(a, b)}`, x);
        const score = (mate: ArrayLike<number>): [number, number] => {
          let pairs = 0;
          let total = 0;
          for (let i = 0; i < n; i++) {
            const j = mate[i]!;
            if (j > i) {
              pairs++;
              total += w.get(`${i}-${j}`)!;
            }
          }
          return [pairs, total];
        };
        let best: [number, number] = [0, 0];
        for (const m of allMatchings(n, (i, j) => w.has(`${i}-${j}`))) {
          const s = score(m);
          const better = maxCardinality ? s[0] > best[0] || (s[0] === best[0] && s[1] > best[1]) : s[1] > best[1];
          if (better) best = s;
        }
        const mate = maxWeightMatching(n, edges as WeightedEdge[], maxCardinality);
        for (let i = 0; i < n; i++) {
          const j = mate[i]!;
          if (j >= 0) {
            expect(mate[j]).toBe(i);
            expect(w.has(`${Math.min(i, j)}-${Math.max(i, j)}`)).toBe(true);
          }
        }
        const got = score(mate);
        if (maxCardinality) expect(got).toEqual(best);
        else expect(got[1]).toBe(best[1]);
      }),
      { numRuns: 400 },
    );
  });

  it('handles nested blossoms (van Rantwijk test case 24)', () => {
    const edges: WeightedEdge[] = [
      [1, 2, 8], [1, 3, 8], [2, 3, 10], [2, 4, 12], [3, 5, 12],
      [4, 5, 14], [4, 6, 12], [5, 7, 12], [6, 7, 14], [7, 8, 12],
    ];
    expect(Array.from(maxWeightMatching(9, edges, false))).toEqual([-1, 2, 1, 5, 6, 3, 4, 8, 7]);
  });
});

// ---- matchPlayers ----

const player = (id: string, rating: number, waitingSeconds = 0, rd = 50): QueuedPlayer => ({ id, rating, rd, waitingSeconds });

interface Setup {
  queue: QueuedPlayer[];
  base: number;
  slope: number;
  allowance: 'max' | 'min';
}

const setupArb: fc.Arbitrary<Setup> = fc.record({
  queue: fc
    .uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { minLength: 0, maxLength: 9 })
    .chain((ids) =>
      fc.tuple(
        fc.constant(ids),
        fc.array(fc.oneof(fc.integer({ min: 1400, max: 1560 }).map((r) => r - (r % 10)), fc.double({ min: 1400, max: 1600, noNaN: true })), {
          minLength: ids.length,
          maxLength: ids.length,
        }),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: ids.length, maxLength: ids.length }),
      ),
    )
    .map(([ids, ratings, waits]) => ids.map((id, i) => player(id, ratings[i]!, waits[i]!))),
  base: fc.constantFrom(0, 10, 25, 60),
  slope: fc.constantFrom(0, 1, 5),
  allowance: fc.constantFrom('max' as const, 'min' as const),
});

const allowanceOf = (s: Setup) => (w: number) => s.base + s.slope * w;

/** Objective of the documented order: [pairs, total gap units, summed waiting rank left over]. */
function objective(queue: readonly QueuedPlayer[], pairs: [number, number][], leftover: number[]): [number, number, number] {
  const byWait = queue.map((_, i) => i).sort((a, b) => queue[a]!.waitingSeconds - queue[b]!.waitingSeconds || (queue[a]!.id < queue[b]!.id ? -1 : 1));
  const rank = new Map(byWait.map((i, r) => [i, r]));
  const units = pairs.reduce((t, [a, b]) => t + Math.round(Math.abs(queue[a]!.rating - queue[b]!.rating) / 0.001), 0);
  return [pairs.length, units, leftover.reduce((t, i) => t + rank.get(i)!, 0)];
}

function better(a: [number, number, number], b: [number, number, number]): boolean {
  return a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
}

function bruteForce(s: Setup): [number, number, number] {
  const q = s.queue;
  const gapOk = (i: number, j: number): boolean => {
    const a = allowanceOf(s)(q[i]!.waitingSeconds);
    const b = allowanceOf(s)(q[j]!.waitingSeconds);
    return Math.abs(q[i]!.rating - q[j]!.rating) <= (s.allowance === 'max' ? Math.max(a, b) : Math.min(a, b));
  };
  let best: [number, number, number] | undefined;
  for (const mate of allMatchings(q.length, gapOk)) {
    const pairs: [number, number][] = [];
    const left: number[] = [];
    mate.forEach((j, i) => {
      if (j === -1) left.push(i);
      else if (j > i) pairs.push([i, j]);
    });
    const o = objective(q, pairs, left);
    if (!best || better(o, best)) best = o;
  }
  return best!;
}

function objectiveOf(s: Setup, r: MatchResult): [number, number, number] {
  const index = new Map(s.queue.map((p, i) => [p.id, i]));
  return objective(
    s.queue,
    r.pairs.map(([a, b]) => [index.get(a)!, index.get(b)!]),
    r.unmatched.map((id) => index.get(id)!),
  );
}

const run = (s: Setup, queue = s.queue): MatchResult => matchPlayers(queue, { maxGap: allowanceOf(s), allowance: s.allowance });

describe('matchPlayers', () => {
  it('equals the brute-force optimum: most pairs, then least total gap, then least-waited left over', () => {
    fc.assert(
      fc.property(setupArb, (s) => {
        expect(objectiveOf(s, run(s))).toEqual(bruteForce(s));
      }),
      { numRuns: 400 },
    );
  });

  it('every pair is within its allowance, reports its true gap, and every player appears exactly once', () => {
    fc.assert(
      fc.property(setupArb, (s) => {
        const r = run(s);
        const byId = new Map(s.queue.map((p) => [p.id, p]));
        const ids: string[] = [...r.unmatched];
        for (const [a, b, gap] of r.pairs) {
          const pa = byId.get(a)!;
          const pb = byId.get(b)!;
          ids.push(a, b);
          expect(gap).toBe(pb.rating - pa.rating);
          expect(gap).toBeGreaterThanOrEqual(0);
          const x = allowanceOf(s)(pa.waitingSeconds);
          const y = allowanceOf(s)(pb.waitingSeconds);
          expect(gap).toBeLessThanOrEqual(s.allowance === 'max' ? Math.max(x, y) : Math.min(x, y));
        }
        expect(ids.sort()).toEqual(s.queue.map((p) => p.id).sort());
      }),
    );
  });

  it('is deterministic: a shuffled queue gives the identical result', () => {
    fc.assert(
      fc.property(setupArb, fc.integer(), (s, seed) => {
        const rnd = mulberry32(seed);
        const shuffled = [...s.queue];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = Math.floor(rnd() * (i + 1));
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        expect(run(s, shuffled)).toEqual(run(s));
      }),
    );
  });

  it('pairs adjacent ratings when everyone is within reach', () => {
    const q = [player('a', 1500), player('b', 1620), player('c', 1510), player('d', 1600)];
    expect(matchPlayers(q, { maxGap: () => 1000 })).toEqual({
      pairs: [
        ['a', 'c', 10],
        ['d', 'b', 20],
      ],
      unmatched: [],
    });
  });

  it('nests pairs when per-player allowances require it (adjacent pairing would lose a game)', () => {
    const reach: Record<string, number> = { i: 3, j: 1, k: 0, l: 0 };
    const q = [player('i', 0), player('j', 1), player('k', 2), player('l', 3)];
    const r = matchPlayers(q, { maxGap: (_, p) => reach[p.id]! });
    expect(r.pairs).toEqual([
      ['i', 'l', 3],
      ['j', 'k', 1],
    ]);
    expect(r.unmatched).toEqual([]);
  });

  it('crosses pairs when that is the only way to seat everyone', () => {
    const reach: Record<string, number> = { i: 0, j: 2, k: 11, l: 0 };
    const q = [player('i', 0), player('j', 10), player('k', 11), player('l', 12)];
    const r = matchPlayers(q, { maxGap: (_, p) => reach[p.id]! });
    expect(r.pairs).toEqual([
      ['i', 'k', 11],
      ['j', 'l', 2],
    ]);
  });

  it('with an odd count leaves the least-waited player when gaps tie', () => {
    const q = [player('x', 1500, 30), player('y', 1510, 10), player('z', 1520, 5)];
    expect(matchPlayers(q)).toEqual({ pairs: [['x', 'y', 10]], unmatched: ['z'] });
    const q2 = [player('x', 1500, 5), player('y', 1510, 10), player('z', 1520, 30)];
    expect(matchPlayers(q2)).toEqual({ pairs: [['y', 'z', 10]], unmatched: ['x'] });
  });

  it('waiting widens the window under the default allowance', () => {
    const fresh = [player('a', 1500, 0), player('b', 1700, 0)];
    expect(matchPlayers(fresh).pairs).toEqual([]);
    const waited = [player('a', 1500, 30), player('b', 1700, 0)];
    expect(matchPlayers(waited).pairs).toEqual([['a', 'b', 200]]);
    expect(matchPlayers(waited, { allowance: 'min' }).pairs).toEqual([]);
  });

  it('handles empty and single-player queues', () => {
    expect(matchPlayers([])).toEqual({ pairs: [], unmatched: [] });
    expect(matchPlayers([player('solo', 1500)])).toEqual({ pairs: [], unmatched: ['solo'] });
  });

  it('pairs everyone in a large connected queue', () => {
    const rnd = mulberry32(7);
    const q = Array.from({ length: 300 }, (_, i) => player(`p${i}`, 1500 + rnd() * 400, Math.floor(rnd() * 60)));
    const r = matchPlayers(q);
    expect(r.pairs.length).toBe(150);
  });
});

describe('defaultMaxGap', () => {
  it('is 50 + 5·waitingSeconds capped at 400', () => {
    expect(defaultMaxGap(0)).toBe(50);
    expect(defaultMaxGap(10)).toBe(100);
    expect(defaultMaxGap(70)).toBe(400);
    expect(defaultMaxGap(10_000)).toBe(400);
    expectOracleError(() => defaultMaxGap(-1), OracleRangeError, 'waitingSeconds');
  });
});

describe('matchPlayers validation', () => {
  it('names the bad field', () => {
    expectOracleError(() => matchPlayers('x' as never), OracleTypeError, 'queue');
    expectOracleError(() => matchPlayers([null] as never), OracleTypeError, 'queue[0]');
    expectOracleError(() => matchPlayers([{ ...player('a', 1), id: '' }]), OracleTypeError, 'queue[0].id');
    expectOracleError(() => matchPlayers([player('a', 1), player('a', 2)]), OracleRangeError, 'queue[1].id');
    expectOracleError(() => matchPlayers([player('a', Number.NaN)]), OracleRangeError, 'queue[0].rating');
    expectOracleError(() => matchPlayers([player('a', 1, -1)]), OracleRangeError, 'queue[0].waitingSeconds');
    expectOracleError(() => matchPlayers([player('a', 1, 0, -5)]), OracleRangeError, 'queue[0].rd');
    expectOracleError(() => matchPlayers([player('a', 1)], { maxGap: 5 as never }), OracleTypeError, 'options.maxGap');
    expectOracleError(() => matchPlayers([player('a', 1)], { maxGap: () => -1 }), OracleRangeError, 'options.maxGap');
    expectOracleError(() => matchPlayers([player('a', 1)], { maxGap: () => Number.NaN }), OracleRangeError, 'options.maxGap');
    expectOracleError(() => matchPlayers([player('a', 1)], { allowance: 'sum' as never }), OracleTypeError, 'options.allowance');
    expectOracleError(() => matchPlayers([player('a', 1)], { gapResolution: 0 }), OracleRangeError, 'options.gapResolution');
  });
});

// Issue #13 item 9: matchPlayers was O(n³) time and O(n²) memory with no bound; 20,000
// players within reach of each other exhausted the heap.
describe('matchPlayers size bounds and greedy mode', () => {
  const sameRating = (n: number) => Array.from({ length: n }, (_, i) => player(`p${i}`, 1500, 0));

  it('refuses 20,000 players within reach of each other with an error naming queue, before building the pairs', () => {
    expectOracleError(() => matchPlayers(sameRating(20_000)), OracleRangeError, 'queue');
    try {
      matchPlayers(sameRating(20_000));
    } catch (error) {
      expect((error as Error).message).toContain("mode 'greedy'");
    }
  });

  it('refuses one connected group over MAX_OPTIMAL_GROUP, and many groups whose cubic cost adds up past it', () => {
    expect(MAX_OPTIMAL_GROUP).toBe(500);
    expectOracleError(() => matchPlayers(sameRating(MAX_OPTIMAL_GROUP + 1)), OracleRangeError, 'queue');
    // 12 groups of 250 (ratings 10,000 apart): each fits, together they cost 1.5 groups of 500.
    const groups = Array.from({ length: 3000 }, (_, i) => player(`g${i}`, Math.floor(i / 250) * 10_000, 0));
    expectOracleError(() => matchPlayers(groups), OracleRangeError, 'queue');
  });

  it('refuses more than MAX_QUEUE_PLAYERS in any mode', () => {
    const queue = Array.from({ length: MAX_QUEUE_PLAYERS + 1 }, (_, i) => player(`p${i}`, i * 1000, 0));
    expectOracleError(() => matchPlayers(queue, { mode: 'greedy' }), OracleRangeError, 'queue');
  });

  it('pairs a 20,000-player queue in greedy mode: within allowances, everyone once, deterministic', () => {
    const rnd = mulberry32(11);
    const queue = Array.from({ length: 20_000 }, (_, i) => player(`p${i}`, 1000 + Math.floor(rnd() * 1000), Math.floor(rnd() * 60)));
    const r = matchPlayers(queue, { mode: 'greedy' });
    expect(r.pairs.length).toBeGreaterThan(9_500);
    const byId = new Map(queue.map((p) => [p.id, p]));
    const seen = new Set(r.unmatched);
    for (const [a, b, gap] of r.pairs) {
      expect(gap).toBe(byId.get(b)!.rating - byId.get(a)!.rating);
      const limit = Math.max(defaultMaxGap(byId.get(a)!.waitingSeconds), defaultMaxGap(byId.get(b)!.waitingSeconds));
      expect(gap).toBeLessThanOrEqual(limit);
      seen.add(a).add(b);
    }
    expect(seen.size).toBe(queue.length);
    expect(matchPlayers([...queue].reverse(), { mode: 'greedy' })).toEqual(r);
  });

  it('in greedy mode with a window covering the queue, finds at least half the optimal number of pairs (property)', () => {
    fc.assert(
      fc.property(setupArb, (s) => {
        const options = { maxGap: allowanceOf(s), allowance: s.allowance };
        const greedy = matchPlayers(s.queue, { ...options, mode: 'greedy', window: 32 });
        const optimal = matchPlayers(s.queue, options);
        expect(greedy.pairs.length * 2).toBeGreaterThanOrEqual(optimal.pairs.length);
        expect(greedy.pairs.length + greedy.unmatched.length / 2).toBe(s.queue.length / 2);
      }),
    );
  });

  it('prefers the smaller gap, then the players who waited longer, in greedy mode', () => {
    const r = matchPlayers([player('a', 1500, 0), player('b', 1510, 0), player('c', 1530, 30)], { mode: 'greedy' });
    expect(r).toEqual({ pairs: [['a', 'b', 10]], unmatched: ['c'] });
    const tie = matchPlayers([player('a', 1500, 0), player('b', 1510, 50), player('c', 1520, 50)], { mode: 'greedy' });
    expect(tie.pairs).toEqual([['b', 'c', 10]]);
  });

  it('names bad mode and window options', () => {
    expectOracleError(() => matchPlayers([], { mode: 'fast' as never }), OracleTypeError, 'options.mode');
    expectOracleError(() => matchPlayers([], { mode: 'greedy', window: 0 }), OracleRangeError, 'options.window');
    expectOracleError(() => matchPlayers([], { mode: 'greedy', window: 33 }), OracleRangeError, 'options.window');
    expectOracleError(() => matchPlayers([], { mode: 'greedy', window: 1.5 }), OracleRangeError, 'options.window');
  });
});
