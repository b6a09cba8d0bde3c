import { isAlnumAt, isDigitAt } from './chars';

// A numeric token such as `4111 1111 1111 1111`, `(415`, `10.0.0.1` or `123-45-6789`, read once
// as digit groups and the single separator after each, then offered to each numeric detector.
// The scratch arrays are reused across calls: scanning is synchronous, and this keeps the hot
// path allocation-free.

/** Most groups read; enough for 4-4-4-4-3 cards, 1-3-3-4 phones and 2-2-2-2-2 French numbers. */
export const MAX_GROUPS = 8;

/** Digit groups of the token starting at `start[0]`. */
export interface DigitGroups {
  /** Groups read (1..MAX_GROUPS). */
  count: number;
  /** Index of each group's first digit. */
  readonly start: Int32Array;
  /** Digits in each group. */
  readonly len: Int32Array;
  /** Char code of the separator after each group (0 after the last). */
  readonly sep: Int32Array;
  /** Index just past the last group. */
  end: number;
}

const groups: DigitGroups = {
  count: 0,
  start: new Int32Array(MAX_GROUPS),
  len: new Int32Array(MAX_GROUPS),
  sep: new Int32Array(MAX_GROUPS),
  end: 0,
};

/** Separators that may join digit groups: space, `-`, `.`, `/`. */
export function isGroupSeparator(c: number): boolean {
  return c === 32 || c === 45 || c === 46 || c === 47;
}

/** Reads the digit groups starting at the digit at `i` into the shared scratch structure. */
export function readGroups(text: string, i: number): DigitGroups {
  const n = text.length;
  let p = i;
  let k = 0;
  for (;;) {
    const s = p;
    while (p < n && isDigitAt(text, p)) p++;
    groups.start[k] = s;
    groups.len[k] = p - s;
    groups.sep[k] = 0;
    k++;
    if (k === MAX_GROUPS) break;
    const c = text.charCodeAt(p);
    if (!isGroupSeparator(c) || !isDigitAt(text, p + 1)) break;
    groups.sep[k - 1] = c;
    p++;
  }
  groups.count = k;
  groups.end = p;
  return groups;
}

/** Index just past group `k`. */
export function groupEnd(g: DigitGroups, k: number): number {
  return g.start[k]! + g.len[k]!;
}

/**
 * Whether a match made of the first `k` groups ends on a token boundary: either another group
 * follows (so a separator comes next) or the character after the last group is not alphanumeric.
 */
export function endsOnBoundary(text: string, g: DigitGroups, k: number): boolean {
  return k < g.count || !isAlnumAt(text, g.end);
}

/** Integer value of `len` digits at `start`. */
export function digitsValue(text: string, start: number, len: number): number {
  let v = 0;
  for (let i = start; i < start + len; i++) v = v * 10 + (text.charCodeAt(i) - 48);
  return v;
}
