import { type DigitGroups, digitsValue, endsOnBoundary, groupEnd } from './digit-groups';

// US Social Security numbers. `ddd-dd-dddd` is distinctive enough on its own; other spellings
// (`ddd dd dddd`, bare 9 digits) are only SSNs when a context word precedes them, because 9-digit
// numbers are everywhere (ZIP+4 without dash, order ids, phone numbers missing a digit).

const CONTEXT = /(?:\bssns?\b|\bss#|\bssan\b|social[\s_-]*security|\bsoc\.?\s*sec\b)/i;
const CONTEXT_WINDOW = 48;

/** SSA validity rules: area not 000, 666 or 900-999; group not 00; serial not 0000. */
export function ssnPartsValid(area: number, group: number, serial: number): boolean {
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}

/** Whether an SSN context word occurs shortly before `start`. */
function hasSsnContext(text: string, start: number): boolean {
  return CONTEXT.test(text.slice(Math.max(0, start - CONTEXT_WINDOW), start));
}

/** SSN made of the leading groups of `g`; returns the index just past it, or -1. */
export function matchSsn(text: string, g: DigitGroups): number {
  const L = g.len;
  const S = g.sep;
  if (g.count >= 3 && L[0] === 3 && L[1] === 2 && L[2] === 4 && S[0] === S[1] && (S[0] === 45 || S[0] === 32)) {
    // A third separator of the same kind means a longer dashed/spaced number, not an SSN.
    if (g.count > 3 && S[2] === S[0]) return -1;
    if (!endsOnBoundary(text, g, 3)) return -1;
    if (S[0] === 32 && !hasSsnContext(text, g.start[0]!)) return -1;
    const valid = ssnPartsValid(digitsValue(text, g.start[0]!, 3), digitsValue(text, g.start[1]!, 2), digitsValue(text, g.start[2]!, 4));
    return valid ? groupEnd(g, 2) : -1;
  }
  if (L[0] === 9 && endsOnBoundary(text, g, 1) && (g.count === 1 || S[0] === 32)) {
    const s = g.start[0]!;
    if (!ssnPartsValid(digitsValue(text, s, 3), digitsValue(text, s + 3, 2), digitsValue(text, s + 5, 4))) return -1;
    return hasSsnContext(text, s) ? s + 9 : -1;
  }
  return -1;
}
