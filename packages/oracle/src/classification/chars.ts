// ASCII character classes shared by the validators: one table lookup per character, no regexes
// or allocations while reading a candidate token. Characters >= 128 have no class, so non-ASCII
// punctuation and spaces (NBSP, en dash) act as token boundaries.

/** ASCII digit 0-9. */
export const DIGIT = 1;
/** ASCII upper-case letter. */
export const UPPER = 2;
/** ASCII lower-case letter. */
export const LOWER = 4;
/** Hexadecimal digit. */
export const HEX = 8;
/** Allowed in an e-mail local part (the RFC 5322 dot-atom subset people actually use). */
export const LOCAL = 16;
/** Allowed in a domain name. */
export const DOMAIN = 32;
/** Base64url alphabet (JWT parts). */
export const B64URL = 64;
/** Standard base64 alphabet without padding (AWS secret keys). */
export const B64 = 128;
/** Letter or digit. */
export const ALNUM = DIGIT | UPPER | LOWER;

const TABLE = new Uint8Array(128);
for (let c = 48; c <= 57; c++) TABLE[c] = DIGIT | HEX | LOCAL | DOMAIN | B64URL | B64;
for (let c = 65; c <= 90; c++) TABLE[c] = UPPER | LOCAL | DOMAIN | B64URL | B64 | (c <= 70 ? HEX : 0);
for (let c = 97; c <= 122; c++) TABLE[c] = LOWER | LOCAL | DOMAIN | B64URL | B64 | (c <= 102 ? HEX : 0);
for (const ch of "._%+-'") TABLE[ch.charCodeAt(0)]! |= LOCAL;
TABLE[45]! |= DOMAIN | B64URL; // '-'
TABLE[46]! |= DOMAIN; // '.'
TABLE[95]! |= B64URL; // '_'
TABLE[43]! |= B64; // '+'
TABLE[47]! |= B64; // '/'

/** Class bits of the character at `i`; 0 outside the string or for non-ASCII. */
export function charClass(text: string, i: number): number {
  const c = text.charCodeAt(i); // NaN outside the string, which fails the comparison
  return c < 128 ? TABLE[c]! : 0;
}

/** Whether the character at `i` is a letter or digit (false outside the string). */
export function isAlnumAt(text: string, i: number): boolean {
  return (charClass(text, i) & ALNUM) !== 0;
}

/** Whether the character at `i` is an ASCII digit (false outside the string). */
export function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}
