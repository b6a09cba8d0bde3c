// The interval operations against an independent model, at the sizes the other tests do not
// reach: the span sort switches from insertion sort to quicksort above 24 spans, and calendars
// with hundreds of busy intervals are normal. The model marks unit cells [t, t + 1) on an integer
// grid, so union, difference and intersection are per-cell booleans, read back as runs.
import { describe, expect, it } from 'vitest';
import { intersectIntervals, mergeIntervals, subtractIntervals } from '../src/slots';

type Interval = { start: number; end: number };
const GRID = 300;

/** A seeded linear congruential generator (tests must be reproducible). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** `count` intervals with integer ends in [0, GRID], many sharing ends, some empty. */
function intervals(random: () => number, count: number, maxLength: number): Interval[] {
  return Array.from({ length: count }, () => {
    const start = Math.floor(random() * GRID);
    const end = Math.min(GRID, start + Math.floor(random() * maxLength));
    return { start, end };
  });
}

function cells(list: readonly Interval[]): boolean[] {
  const covered = new Array<boolean>(GRID).fill(false);
  for (const { start, end } of list) for (let t = start; t < end; t++) covered[t] = true;
  return covered;
}

function runs(covered: readonly boolean[]): Interval[] {
  const out: Interval[] = [];
  for (let t = 0; t < GRID; t++) {
    if (!covered[t]) continue;
    const start = t;
    while (t < GRID && covered[t]) t++;
    out.push({ start, end: t });
  }
  return out;
}

describe('interval operations against a cell model', () => {
  it('merge, subtract and intersect agree with the model for 0 to 200 intervals', () => {
    const random = lcg(20261203);
    for (const count of [0, 1, 2, 23, 24, 25, 26, 40, 77, 120, 200]) {
      for (const maxLength of [3, 12, 40]) {
        const a = intervals(random, count, maxLength);
        const b = intervals(random, Math.max(1, count >> 1), maxLength);
        const label = `${count} intervals up to ${maxLength} long`;
        expect(mergeIntervals(a), label).toEqual(runs(cells(a)));
        const inA = cells(a);
        const inB = cells(b);
        expect(subtractIntervals(a, b), label).toEqual(runs(inA.map((x, t) => x && !inB[t])));
        expect(intersectIntervals(a, b), label).toEqual(runs(inA.map((x, t) => x && (inB[t] as boolean))));
      }
    }
  });

  it('sorts inputs given in descending and in organ-pipe order', () => {
    const descending = Array.from({ length: 60 }, (_, i) => ({ start: 2 * (59 - i), end: 2 * (59 - i) + 1 }));
    expect(mergeIntervals(descending)).toEqual(Array.from({ length: 60 }, (_, i) => ({ start: 2 * i, end: 2 * i + 1 })));
    const organ = Array.from({ length: 50 }, (_, i) => {
      const k = i < 25 ? i : 49 - i;
      return { start: 4 * k + (i < 25 ? 0 : 2), end: 4 * k + (i < 25 ? 1 : 3) };
    });
    expect(mergeIntervals(organ)).toEqual(runs(cells(organ)));
  });
});
