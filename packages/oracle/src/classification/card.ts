import { type DigitGroups, endsOnBoundary, groupEnd } from './digit-groups';

// Payment card numbers: 13-19 digits, contiguous or in the layouts cards are printed in, whose
// prefix falls in an issuer's range for that length, and whose Luhn checksum holds. The three
// checks together make a random 16-digit number a card about 1 time in 300.

const digits = new Uint8Array(19);

/** Whether the issuer identification number in `d[0..n)` belongs to a scheme issuing `n`-digit cards. */
export function hasCardIssuer(d: ArrayLike<number>, n: number): boolean {
  const p2 = d[0]! * 10 + d[1]!;
  const p3 = p2 * 10 + d[2]!;
  const p4 = p3 * 10 + d[3]!;
  const p6 = (p4 * 10 + d[4]!) * 10 + d[5]!;
  if (d[0] === 4) return n === 13 || n === 16 || n === 19; // Visa
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16; // Mastercard
  if (p2 === 34 || p2 === 37) return n === 15; // American Express
  const long = n >= 16 && n <= 19;
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925)) return long; // Discover
  if (p4 >= 3528 && p4 <= 3589) return long; // JCB
  if ((p3 >= 300 && p3 <= 305) || p4 === 3095 || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14 && n <= 19; // Diners Club
  if (p2 === 62) return long; // UnionPay
  return false;
}

/** Luhn (mod 10) checksum over `d[0..n)`. */
export function luhnValid(d: ArrayLike<number>, n: number): boolean {
  let sum = 0;
  for (let i = n - 1, double = false; i >= 0; i--, double = !double) {
    let v = d[i]!;
    if (double) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return sum % 10 === 0;
}

/** Whether the first `k` group lengths form a printed card layout. */
function cardLayout(g: DigitGroups, k: number): boolean {
  const L = g.len;
  if (k === 1) return L[0]! >= 13 && L[0]! <= 19;
  if (k === 3) return L[0] === 4 && L[1] === 6 && (L[2] === 5 || L[2] === 4); // Amex 4-6-5, Diners 4-6-4
  if (k === 4) return L[0] === 4 && L[1] === 4 && L[2] === 4 && L[3]! >= 1 && L[3]! <= 4;
  if (k === 5) return L[0] === 4 && L[1] === 4 && L[2] === 4 && L[3] === 4 && L[4]! >= 1 && L[4]! <= 3;
  return false;
}

/**
 * Card number made of the leading groups of `g`, longest layout first. Returns the index just past
 * it, or -1. Groups must share one separator (space or dash); a further group of 4+ digits with
 * that separator means the token is some longer number, not a card.
 */
export function matchCard(text: string, g: DigitGroups): number {
  for (let k = Math.min(g.count, 5); k >= 1; k--) {
    if (!cardLayout(g, k)) continue;
    if (k > 1) {
      const sep = g.sep[0];
      if (sep !== 32 && sep !== 45) continue;
      let uniform = true;
      for (let j = 1; j < k - 1; j++) if (g.sep[j] !== sep) uniform = false;
      if (!uniform) continue;
      if (k < g.count && g.sep[k - 1] === sep && g.len[k]! >= 4) continue;
    }
    if (!endsOnBoundary(text, g, k)) continue;
    let n = 0;
    for (let j = 0; j < k; j++) {
      const s = g.start[j]!;
      for (let i = s; i < s + g.len[j]!; i++) digits[n++] = text.charCodeAt(i) - 48;
    }
    if (hasCardIssuer(digits, n) && luhnValid(digits, n)) return groupEnd(g, k - 1);
  }
  return -1;
}
