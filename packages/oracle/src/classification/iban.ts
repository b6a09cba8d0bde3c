import { charClass, DIGIT, isAlnumAt, isDigitAt, UPPER } from './chars';

// IBAN (ISO 13616): country code, two check digits, then the BBAN, written contiguously or in
// groups of four, in upper case as banks print them. Accepted only with the country's registered
// length and mod-97 == 1, so a wrong check digit or a truncated number never matches.

/**
 * IBAN length per country, from the SWIFT IBAN registry: data of the IBAN detector.
 *
 * @internal
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28,
  IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20,
  LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28,
  NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24,
  SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

// Same table indexed by (letter1 - 'A') * 26 + (letter2 - 'A'), so the scanner looks a country up
// without building a string.
const LENGTH_BY_CODE = new Uint8Array(26 * 26);
for (const [code, len] of Object.entries(IBAN_LENGTHS)) {
  LENGTH_BY_CODE[(code.charCodeAt(0) - 65) * 26 + (code.charCodeAt(1) - 65)] = len;
}

/** Folds one IBAN character into a running mod-97 remainder (letters count as 10..35). */
function fold(rem: number, c: number): number {
  return c <= 57 ? (rem * 10 + (c - 48)) % 97 : (rem * 100 + (c - 55)) % 97;
}

/**
 * IBAN whose first check digit is at `i` (the country code is the two letters before it).
 * Returns the index just past the IBAN, or -1.
 */
export function matchIban(text: string, i: number): number {
  const cc = i - 2;
  if ((charClass(text, cc) & UPPER) === 0 || (charClass(text, cc + 1) & UPPER) === 0 || isAlnumAt(text, cc - 1)) return -1;
  const len = LENGTH_BY_CODE[(text.charCodeAt(cc) - 65) * 26 + (text.charCodeAt(cc + 1) - 65)]!;
  if (len === 0 || !isDigitAt(text, i + 1)) return -1;
  let p = i + 2;
  let count = 4;
  while (count < len) {
    if ((charClass(text, p) & (UPPER | DIGIT)) !== 0) {
      count++;
      p++;
    } else if (text.charCodeAt(p) === 32 && count % 4 === 0 && (charClass(text, p + 1) & (UPPER | DIGIT)) !== 0) {
      p++;
    } else return -1;
  }
  if (isAlnumAt(text, p)) return -1;
  let rem = 0;
  for (let q = i + 2; q < p; q++) {
    const c = text.charCodeAt(q);
    if (c !== 32) rem = fold(rem, c);
  }
  for (let q = cc; q < i + 2; q++) rem = fold(rem, text.charCodeAt(q));
  return rem === 1 ? p : -1;
}
