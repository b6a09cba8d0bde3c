// The flat-array span algebra under the interval operations and findSlots (spans.ts), each
// function checked directly against a naive reference that shares no code with it: a sorted copy
// for the sort, and a unit-cell model on an integer grid for union, clipping, difference,
// intersection and merging appends. Sizes run past the span sort's insertion-sort threshold (24)
// so its quicksort path is exercised, and values repeat often (equal keys are where partitioning
// goes wrong). fast-check's default size caps arrays at about 10 elements, so lengths are explicit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { intersectIntervals, mergeIntervals, subtractIntervals } from '../src/slots';
import { clipSpans, intersectSpans, normaliseSpans, pushMerged, sortPrefix, subtractSpans, unionSpans } from '../src/slots/spans';

const GRID = 120;

/** Cell t is covered when some [s, e) pair contains it. */
function cells(pairs: ReadonlyArray<readonly [number, number]>): boolean[] {
  const covered = new Array<boolean>(GRID).fill(false);
  for (const [s, e] of pairs) for (let t = Math.max(0, s); t < Math.min(GRID, e); t++) covered[t] = true;
  return covered;
}

/** The covered cells as a flat normalised list [s0, e0, s1, e1, …]. */
function flatRuns(covered: readonly boolean[]): number[] {
  const out: number[] = [];
  for (let t = 0; t < GRID; t++) {
    if (!covered[t]) continue;
    const s = t;
    while (t < GRID && covered[t]) t++;
    out.push(s, t);
  }
  return out;
}

function pairsOf(flat: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i] as number, flat[i + 1] as number]);
  return out;
}

/** Any pairs on the grid, empty and reversed ones included. */
const rawPairs = (maxLength: number) =>
  fc.array(fc.tuple(fc.integer({ min: 0, max: GRID }), fc.integer({ min: 0, max: GRID })), { minLength: 0, maxLength });

/** A normalised list built through the model (so it does not depend on the code under test). */
const normalised = (maxLength: number) => rawPairs(maxLength).map((pairs) => flatRuns(cells(pairs.filter(([s, e]) => e > s))));

describe('sortPrefix', () => {
  it('sorts the first n entries ascending and leaves the rest alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 0, maxLength: 300 }),
        fc.nat(),
        (values, cut) => {
          const n = values.length === 0 ? 0 : cut % (values.length + 1);
          const a = Float64Array.from(values);
          sortPrefix(a, n);
          const expected = [...values.slice(0, n)].sort((x, y) => x - y).concat(values.slice(n));
          expect(Array.from(a)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sorts ascending, descending, constant, organ-pipe and sawtooth inputs of every size to 120', () => {
    for (let n = 0; n <= 120; n++) {
      const shapes = [
        Array.from({ length: n }, (_, i) => i),
        Array.from({ length: n }, (_, i) => n - i),
        Array.from({ length: n }, () => 7),
        Array.from({ length: n }, (_, i) => Math.min(i, n - 1 - i)),
        Array.from({ length: n }, (_, i) => i % 5),
        Array.from({ length: n }, (_, i) => (i * 7919) % 31),
      ];
      for (const shape of shapes) {
        const a = Float64Array.from(shape);
        sortPrefix(a, n);
        expect(Array.from(a), `n=${n} ${shape.slice(0, 6).join(',')}…`).toEqual([...shape].sort((x, y) => x - y));
      }
    }
  });
});

describe('unionSpans and normaliseSpans', () => {
  it('normaliseSpans is the model union of the non-empty pairs, touching pairs merged', () => {
    fc.assert(
      fc.property(rawPairs(80), (pairs) => {
        expect(normaliseSpans(pairs)).toEqual(flatRuns(cells(pairs.filter(([s, e]) => e > s))));
      }),
      { numRuns: 300 },
    );
  });

  it('unionSpans uses only the first n entries of its arrays', () => {
    fc.assert(
      fc.property(rawPairs(60), fc.nat(), (pairs, cut) => {
        const kept = pairs.filter(([s, e]) => e > s);
        const n = kept.length === 0 ? 0 : cut % (kept.length + 1);
        // Entries past n are garbage that must not leak into the union.
        const starts = Float64Array.from([...kept.map((p) => p[0]), -1000, 5000]);
        const ends = Float64Array.from([...kept.map((p) => p[1]), 9000, 9001]);
        expect(unionSpans(starts, ends, n)).toEqual(flatRuns(cells(kept.slice(0, n))));
      }),
      { numRuns: 300 },
    );
  });

  it('merges touching spans and keeps a one-unit gap', () => {
    expect(normaliseSpans([[2, 3], [0, 2], [4, 5]])).toEqual([0, 3, 4, 5]);
    expect(unionSpans(Float64Array.of(), Float64Array.of(), 0)).toEqual([]);
  });
});

describe('pushMerged', () => {
  it('appending spans in start order builds the model union', () => {
    fc.assert(
      fc.property(rawPairs(60), (pairs) => {
        const sorted = [...pairs].sort((x, y) => x[0] - y[0]);
        const out: number[] = [];
        for (const [s, e] of sorted) pushMerged(out, s, e);
        expect(out).toEqual(flatRuns(cells(pairs.filter(([s, e]) => e > s))));
      }),
      { numRuns: 300 },
    );
  });

  it('drops empty and reversed spans, merges on contact, never shrinks the last span', () => {
    const out: number[] = [];
    pushMerged(out, 5, 5);
    pushMerged(out, 6, 4);
    expect(out).toEqual([]);
    pushMerged(out, 0, 10);
    pushMerged(out, 10, 12);
    expect(out).toEqual([0, 12]);
    pushMerged(out, 3, 8);
    expect(out).toEqual([0, 12]);
    pushMerged(out, 13, 14);
    expect(out).toEqual([0, 12, 13, 14]);
  });
});

describe('clipSpans', () => {
  it('is the model intersection with [lo, hi)', () => {
    fc.assert(
      fc.property(normalised(40), fc.integer({ min: -5, max: GRID + 5 }), fc.integer({ min: -5, max: GRID + 5 }), (spans, lo, hi) => {
        const window = cells([[lo, hi]]);
        const expected = flatRuns(cells(pairsOf(spans)).map((x, t) => x && (window[t] as boolean)));
        expect(clipSpans(spans, lo, hi)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('drops spans that only touch the window', () => {
    expect(clipSpans([0, 5, 10, 15, 20, 25], 5, 20)).toEqual([10, 15]);
    expect(clipSpans([0, 5, 10, 15], 3, 12)).toEqual([3, 5, 10, 12]);
  });
});

describe('subtractSpans and intersectSpans', () => {
  it('agree with the model on normalised lists of up to 40 spans each', () => {
    fc.assert(
      fc.property(normalised(60), normalised(60), (a, b) => {
        const inA = cells(pairsOf(a));
        const inB = cells(pairsOf(b));
        expect(subtractSpans(a, b)).toEqual(flatRuns(inA.map((x, t) => x && !inB[t])));
        expect(intersectSpans(a, b)).toEqual(flatRuns(inA.map((x, t) => x && (inB[t] as boolean))));
      }),
      { numRuns: 500 },
    );
  });

  it('handles touching, nested and identical spans exactly', () => {
    // b touches a at both ends: nothing removed, nothing shared.
    expect(subtractSpans([10, 20], [0, 10, 20, 30])).toEqual([10, 20]);
    expect(intersectSpans([10, 20], [0, 10, 20, 30])).toEqual([]);
    // b nested in a splits it; a nested in b vanishes.
    expect(subtractSpans([0, 30], [10, 20])).toEqual([0, 10, 20, 30]);
    expect(subtractSpans([10, 20], [0, 30])).toEqual([]);
    expect(subtractSpans([10, 20], [10, 20])).toEqual([]);
    expect(intersectSpans([10, 20], [10, 20])).toEqual([10, 20]);
    // One span of b cuts two spans of a; later spans of a still see it.
    expect(subtractSpans([0, 10, 12, 20, 30, 40], [5, 15])).toEqual([0, 5, 15, 20, 30, 40]);
    expect(intersectSpans([0, 10, 12, 20, 30, 40], [5, 15, 35, 50])).toEqual([5, 10, 12, 15, 35, 40]);
    // Empty sides.
    expect(subtractSpans([], [0, 10])).toEqual([]);
    expect(subtractSpans([0, 10], [])).toEqual([0, 10]);
    expect(intersectSpans([0, 10], [])).toEqual([]);
  });
});

describe('interval operations name the bad field of either argument', () => {
  const fieldOf = (fn: () => unknown): [unknown, string | undefined] => {
    try {
      fn();
    } catch (error) {
      return [error, (error as OracleRangeError).field];
    }
    return [undefined, undefined];
  };
  const good = { start: 0, end: 1 };
  const cases: Array<[string, (bad: unknown[]) => unknown]> = [
    ['intervals', (bad) => mergeIntervals(bad as never)],
    ['from', (bad) => subtractIntervals(bad as never, [good])],
    ['remove', (bad) => subtractIntervals([good], bad as never)],
    ['a', (bad) => intersectIntervals(bad as never, [good])],
    ['b', (bad) => intersectIntervals([good], bad as never)],
  ];

  it('item, start and end of each argument, and an end before its start', () => {
    for (const [name, call] of cases) {
      const [notObject, itemField] = fieldOf(() => call([good, 'x']));
      expect(notObject, name).toBeInstanceOf(OracleTypeError);
      expect(itemField).toBe(`${name}[1]`);
      expect(fieldOf(() => call([{ start: 'x', end: 1 }]))[1]).toBe(`${name}[0].start`);
      expect(fieldOf(() => call([good, good, { start: 0, end: Number.POSITIVE_INFINITY }]))[1]).toBe(`${name}[2].end`);
      const [reversed, reversedField] = fieldOf(() => call([good, { start: 5, end: 4 }]));
      expect(reversed).toBeInstanceOf(OracleRangeError);
      expect(reversedField).toBe(`${name}[1].end`);
      expect((reversed as Error).message).toBe(`${name}[1].end: must not be before start`);
    }
  });

  it('an empty interval (end equal to start) is accepted and contributes nothing', () => {
    expect(mergeIntervals([{ start: 3, end: 3 }, good])).toEqual([good]);
    expect(subtractIntervals([{ start: 0, end: 4 }], [{ start: 2, end: 2 }])).toEqual([{ start: 0, end: 4 }]);
    expect(intersectIntervals([{ start: 0, end: 4 }], [{ start: 2, end: 2 }])).toEqual([]);
  });
});
