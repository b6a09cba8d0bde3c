import { isAlnumAt, isDigitAt } from './chars';
import { type DigitGroups, digitsValue, endsOnBoundary, groupEnd } from './digit-groups';

// Phone numbers. International numbers need the `+` (E.164: country code not starting with 0,
// 8-15 digits). National numbers are only accepted in the layouts people write them in (US
// `(415) 555-2671`, `415-555-2671`; UK `020 7946 0958`; FR `01 23 45 67 89`) with the numbering
// plan's digit rules, which keeps dates (4-2-2), times, versions, IPs and card groups out.

const lens = new Int32Array(16);

/**
 * E.164-style number whose `+` is at `plus`; returns the index just past it, or -1.
 * Separators are single spaces, dashes or dots, and a parenthesised group such as `(0)` or `(415)`.
 */
export function matchInternationalPhone(text: string, plus: number): number {
  if (isAlnumAt(text, plus - 1) || text.charCodeAt(plus + 1) === 48) return -1;
  let p = plus + 1;
  let digits = 0;
  let groups = 0;
  let cur = 0;
  let dotted = false;
  for (;;) {
    const c = text.charCodeAt(p);
    if (c >= 48 && c <= 57) {
      if (++digits > 15) return -1;
      cur++;
      p++;
      continue;
    }
    if (cur > 0) {
      if (groups < lens.length) lens[groups] = cur;
      groups++;
      cur = 0;
    }
    if ((c === 32 || c === 45 || c === 46) && (isDigitAt(text, p + 1) || text.charCodeAt(p + 1) === 40)) {
      if (c === 46) dotted = true;
      p++;
      continue;
    }
    if (c === 40 && isDigitAt(text, p + 1)) {
      let q = p + 1;
      while (isDigitAt(text, q) && q - p <= 4) q++;
      if (text.charCodeAt(q) !== 41) break; // ')'
      digits += q - p - 1;
      if (digits > 15) return -1;
      if (groups < lens.length) lens[groups] = q - p - 1;
      groups++;
      p = q + 1;
      const after = text.charCodeAt(p);
      if ((after === 32 || after === 45) && isDigitAt(text, p + 1)) p++;
      else if (!isDigitAt(text, p)) return -1;
      continue;
    }
    break;
  }
  if (digits < 8 || isAlnumAt(text, p)) return -1;
  const last = groups > 0 ? lens[Math.min(groups, lens.length) - 1]! : 0;
  if (dotted && last < 3) return -1; // `+12345678.90` is an amount
  if (groups === 3 && lens[0] === 4 && lens[1] === 2 && lens[2] === 2) return -1; // `+2024-05-06`
  return p;
}

/** NANP rules: area code and exchange start 2-9 and are not N11; area codes with middle 9 are unassigned. */
function nanpValid(text: string, area: number, exchange: number): boolean {
  const a = digitsValue(text, area, 3);
  const e = digitsValue(text, exchange, 3);
  if (a < 200 || e < 200) return false;
  if (a % 100 === 11 || e % 100 === 11) return false;
  return Math.floor(a / 10) % 10 !== 9;
}

/** US `(415) 555-2671` / `(415)555-2671`: the first group is the area code inside parentheses. */
function matchParenUs(text: string, g: DigitGroups): number {
  const area = g.start[0]!;
  if (g.len[0] !== 3 || text.charCodeAt(area - 1) !== 40 || text.charCodeAt(area + 3) !== 41) return -1;
  let p = area + 4;
  if (text.charCodeAt(p) === 32) p++;
  const exchange = p;
  while (isDigitAt(text, p)) p++;
  if (p - exchange !== 3) return -1;
  const sep = text.charCodeAt(p);
  if (sep === 45 || sep === 46 || sep === 32) p++;
  const line = p;
  while (isDigitAt(text, p)) p++;
  if (p - line !== 4 || isAlnumAt(text, p)) return -1;
  const after = text.charCodeAt(p);
  if ((after === 45 || after === 46) && isDigitAt(text, p + 1)) return -1;
  return nanpValid(text, area, exchange) ? p : -1;
}

const UK_LAYOUTS: readonly (readonly number[])[] = [
  [3, 4, 4],
  [4, 3, 4],
  [5, 3, 3],
  [5, 6],
  [4, 3, 3],
];

const FR_LAYOUT: readonly number[] = [2, 2, 2, 2, 2];
const US_LAYOUT: readonly number[] = [3, 3, 4];

/** Whether groups from `from` have lengths `layout`, all joined by `sep`, and nothing more follows with `sep`. */
function fits(text: string, g: DigitGroups, from: number, layout: readonly number[], sep: number): boolean {
  const k = from + layout.length;
  if (g.count < k) return false;
  for (let j = 0; j < layout.length; j++) {
    if (g.len[from + j] !== layout[j]) return false;
    if (j < layout.length - 1 && g.sep[from + j] !== sep) return false;
  }
  if (k < g.count && g.sep[k - 1] === sep) return false;
  return endsOnBoundary(text, g, k);
}

/** National-format phone starting at the first group of `g`; returns the index just past it, or -1. */
export function matchNationalPhone(text: string, g: DigitGroups): number {
  const first = g.start[0]!;
  const paren = matchParenUs(text, g);
  if (paren > 0) return paren;
  if (text.charCodeAt(first) === 48) {
    if (text.charCodeAt(first + 1) === 48) return -1;
    for (const layout of UK_LAYOUTS) if (fits(text, g, 0, layout, 32)) return groupEnd(g, layout.length - 1);
    if (fits(text, g, 0, FR_LAYOUT, 32) || fits(text, g, 0, FR_LAYOUT, 46)) return groupEnd(g, 4);
    return -1;
  }
  const trunk = g.len[0] === 1 && text.charCodeAt(first) === 49 ? 1 : 0;
  const sep = g.sep[trunk];
  if (sep !== 45 && sep !== 46 && sep !== 32) return -1;
  if (trunk === 1 && g.sep[0] !== 45 && g.sep[0] !== 46 && g.sep[0] !== 32) return -1;
  if (!fits(text, g, trunk, US_LAYOUT, sep)) return -1;
  return nanpValid(text, g.start[trunk]!, g.start[trunk + 1]!) ? groupEnd(g, trunk + 2) : -1;
}
