// Interval algebra on flat arrays `[s0, e0, s1, e1, …]` of half-open `[s, e)` epoch-ms spans.
// Flat arrays keep the slot sweep free of per-interval objects. "Normalised" means sorted,
// non-empty, pairwise disjoint and non-touching (touching spans are merged), so containment of
// `[a, b)` in the union reduces to containment in a single span.

/**
 * Union of arbitrary spans given as parallel start/end arrays, as a normalised list. Only the
 * first `n` entries are used, and they are sorted in place. Starts and ends can be sorted
 * independently because the union is exactly where more spans have started than ended; at
 * equal instants starts count first, so touching spans merge. Empty spans (end <= start) must
 * be filtered out by the caller.
 */
export function unionSpans(starts: Float64Array, ends: Float64Array, n: number = starts.length): number[] {
  sortPrefix(starts, n);
  sortPrefix(ends, n);
  const out: number[] = [];
  let i = 0;
  let j = 0;
  let depth = 0;
  let open = 0;
  while (i < n) {
    if ((starts[i] as number) <= (ends[j] as number)) {
      if (depth === 0) open = starts[i] as number;
      depth++;
      i++;
    } else {
      depth--;
      if (depth === 0) out.push(open, ends[j] as number);
      j++;
    }
  }
  // Every start is consumed; the last end closes the final span.
  if (n > 0) out.push(open, ends[n - 1] as number);
  return out;
}

const INSERTION_SORT_MAX = 24;

/**
 * Ascending in-place sort of `a[0..n)`: quicksort (median of three, recursing into the smaller
 * side) finished by insertion sort. Plain JS on a typed array beats both `Array#sort` with a
 * comparator and `TypedArray#sort`, whose fixed per-call cost dominates for the few dozen busy
 * intervals a participant typically has.
 */
export function sortPrefix(a: Float64Array, n: number): void {
  sortRange(a, 0, n - 1);
}

function sortRange(a: Float64Array, lo: number, hi: number): void {
  for (;;) {
    // Mutants marked equivalent in this function (mutation testing, scripts/mutation.mjs) change
    // its cost, never its output, which slots-spans.test.ts checks against a sorted copy: the
    // threshold only picks which algorithm sorts a range; starting at lo (not lo + 1) or
    // dropping `k >= lo` only compares against an element that is ≤ every element of the range
    // (quicksort's left part) or past the array (undefined, which compares false); moving
    // equal keys reorders identical numbers.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (cost only)
    if (hi - lo < INSERTION_SORT_MAX) {
      // Stryker disable next-line ArithmeticOperator: equivalent (the extra first step is a no-op)
      for (let i = lo + 1; i <= hi; i++) {
        const x = a[i] as number;
        let k = i - 1;
        // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (see above)
        while (k >= lo && (a[k] as number) > x) {
          a[k + 1] = a[k] as number;
          k--;
        }
        a[k + 1] = x;
      }
      return;
    }
    const mid = (lo + hi) >>> 1;
    // Median of three into a[mid], then Hoare partition around its value. Any element of the
    // range is a correct pivot (the median only avoids quadratic time on sorted input).
    // Stryker disable ConditionalExpression,EqualityOperator: equivalent (pivot choice, cost only)
    if ((a[mid] as number) < (a[lo] as number)) swap(a, mid, lo);
    if ((a[hi] as number) < (a[lo] as number)) swap(a, hi, lo);
    if ((a[hi] as number) < (a[mid] as number)) swap(a, hi, mid);
    // Stryker restore ConditionalExpression,EqualityOperator
    const pivot = a[mid] as number;
    let i = lo;
    let j = hi;
    // Stopping at i === j leaves that one element in both sides, each still smaller than the range.
    // Stryker disable next-line EqualityOperator: equivalent (the shared element sorts either way)
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    // Which side recurses and which loops only bounds the stack depth.
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: equivalent (stack depth only)
    if (j - lo < hi - i) {
      sortRange(a, lo, j);
      lo = i;
    } else {
      sortRange(a, i, hi);
      hi = j;
    }
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}

/** Sorts arbitrary `[start, end]` pairs and merges overlapping or touching ones, dropping empty spans. */
export function normaliseSpans(pairs: ReadonlyArray<readonly [number, number]>): number[] {
  const kept = pairs.filter(([s, e]) => e > s);
  return unionSpans(
    Float64Array.from(kept, (p) => p[0]),
    Float64Array.from(kept, (p) => p[1]),
  );
}

/** Appends `[s, e)` to a normalised list whose last span starts at or before `s`, merging on contact. */
export function pushMerged(out: number[], s: number, e: number): void {
  if (!(e > s)) return;
  const n = out.length;
  // On an empty list out[-1] is undefined and `s <= undefined` is false; raising the end to an
  // equal value changes nothing.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (undefined compares false)
  if (n > 0 && s <= (out[n - 1] as number)) {
    // Stryker disable next-line EqualityOperator: equivalent (assigns the same value)
    if (e > (out[n - 1] as number)) out[n - 1] = e;
    return;
  }
  out.push(s, e);
}

/** Restricts a normalised list to `[lo, hi)`. */
export function clipSpans(spans: readonly number[], lo: number, hi: number): number[] {
  const out: number[] = [];
  // One step past the end reads undefined: NaN bounds, nothing pushed.
  // Stryker disable next-line EqualityOperator: equivalent (the extra step pushes nothing)
  for (let i = 0; i < spans.length; i += 2) {
    const s = Math.max(spans[i] as number, lo);
    const e = Math.min(spans[i + 1] as number, hi);
    if (e > s) out.push(s, e);
  }
  return out;
}

/** `a ∖ b` for normalised lists, in O(|a| + |b|). */
export function subtractSpans(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let j = 0;
  // Marked mutants of this function change its cost, not its output (slots-spans.test.ts checks
  // it against a cell model): a step past either end reads undefined, which compares false;
  // skipping fewer spans of b (or none) leaves them to the inner loop, where a span ending at
  // or before s cuts nothing; in that loop b's spans start after the previous end (normalised
  // lists do not touch), so `be > s` always holds, and once s ≥ e the next span cannot start
  // before e, so the break only saves a comparison; a span of b starting exactly at e pushes
  // [s, e) there instead of after the loop.
  // Stryker disable next-line EqualityOperator: equivalent (see above)
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i] as number;
    const e = a[i + 1] as number;
    // Spans of b ending at or before s cannot cut this or any later span of a.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (see above)
    while (j < b.length && (b[j + 1] as number) <= s) j += 2;
    let k = j;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (see above)
    while (k < b.length && (b[k] as number) < e) {
      const bs = b[k] as number;
      const be = b[k + 1] as number;
      if (bs > s) out.push(s, bs);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (see above)
      if (be > s) s = be;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (see above)
      if (s >= e) break;
      k += 2;
    }
    if (s < e) out.push(s, e);
  }
  return out;
}

/** `a ∩ b` for normalised lists, in O(|a| + |b|). */
export function intersectSpans(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  // A step past either end reads undefined (NaN bounds, nothing pushed, the other list advances);
  // on equal ends, advancing a first meets b's span again with no overlap (spans do not touch).
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent (one extra step)
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i] as number, b[j] as number);
    const ae = a[i + 1] as number;
    const be = b[j + 1] as number;
    const e = Math.min(ae, be);
    if (e > s) out.push(s, e);
    // Stryker disable next-line EqualityOperator: equivalent (one extra step)
    if (ae < be) i += 2;
    else j += 2;
  }
  return out;
}
