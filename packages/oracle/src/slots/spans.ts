// Interval algebra on flat arrays `[s0, e0, s1, e1, …]` of half-open `[s, e)` epoch-ms spans.
// Flat arrays keep the slot sweep free of per-interval objects. "Normalised" means sorted,
// non-empty, pairwise disjoint and non-touching (touching spans are merged), so containment of
// `[a, b)` in the union reduces to containment in a single span.

/** Sorts arbitrary `[start, end]` pairs and merges overlapping or touching ones, dropping empty spans. */
export function normaliseSpans(pairs: Array<[number, number]>): number[] {
  pairs.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [s, e] of pairs) pushMerged(out, s, e);
  return out;
}

/** Appends `[s, e)` to a normalised list whose last span starts at or before `s`, merging on contact. */
export function pushMerged(out: number[], s: number, e: number): void {
  if (!(e > s)) return;
  const n = out.length;
  if (n > 0 && s <= (out[n - 1] as number)) {
    if (e > (out[n - 1] as number)) out[n - 1] = e;
    return;
  }
  out.push(s, e);
}

/** Restricts a normalised list to `[lo, hi)`. */
export function clipSpans(spans: readonly number[], lo: number, hi: number): number[] {
  const out: number[] = [];
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
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i] as number;
    const e = a[i + 1] as number;
    // Spans of b ending at or before s cannot cut this or any later span of a.
    while (j < b.length && (b[j + 1] as number) <= s) j += 2;
    let k = j;
    while (k < b.length && (b[k] as number) < e) {
      const bs = b[k] as number;
      const be = b[k + 1] as number;
      if (bs > s) out.push(s, bs);
      if (be > s) s = be;
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
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i] as number, b[j] as number);
    const ae = a[i + 1] as number;
    const be = b[j + 1] as number;
    const e = Math.min(ae, be);
    if (e > s) out.push(s, e);
    if (ae < be) i += 2;
    else j += 2;
  }
  return out;
}
