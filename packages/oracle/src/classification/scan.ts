import { scanAwsAccessKeyIds, scanAwsSecretKeys } from './aws';
import { matchCard } from './card';
import { isAlnumAt, isDigitAt } from './chars';
import { readGroups } from './digit-groups';
import { matchEmail } from './email';
import { matchIban } from './iban';
import { matchIpv4 } from './ipv4';
import { matchIpv6 } from './ipv6';
import { scanJwts } from './jwt';
import { maskCard, maskEmail, maskIban, maskIpv4, maskIpv6, maskPhone, maskSsn } from './mask';
import { matchInternationalPhone, matchNationalPhone } from './phone';
import { scanPrivateKeys } from './private-key';
import type { FindingSink } from './sink';
import { matchSsn } from './ssn';

// Scanning strategy. A JavaScript loop that branches on every character pays a misprediction on
// each digit or punctuation mark; the regex engine's compiled character-class scans do not. So
// each detector family has a cheap, non-backtracking prefilter the engine runs (`indexOf` for
// literal prefixes, a fixed-width regex for candidates), and JavaScript validators run only at
// candidates. Every validator reads a bounded token, so cost is linear in the text length.
//
// Prefilters:
// - numeric detectors (cards, SSN, phones, IPv4): a digit at a word start followed by six more
//   digits or separators (the shortest is `1.1.1.1`), so years, counts and ids glued to letters
//   never reach JavaScript;
// - IBAN: two capitals at a word start, two digits, and 11 more IBAN characters;
// - e-mail: `indexOf('@')`; IPv6: a `:` followed by a hex digit or `:`;
// - PEM, AWS, JWT: `indexOf` of their literal prefixes (see their files).
// IBAN and IPv6 matches are claimed first so the numeric pass does not re-read their digit groups
// as cards or IPv4 (`DE89 3704 0044 …`, `::ffff:192.0.2.1`).

const NUMERIC_CANDIDATE = /\b\d[\d ()./-]{6}/g;
const NUMERIC_CANDIDATE_LEN = 7;
const IBAN_CANDIDATE = /\b[A-Z]{2}\d{2}[ A-Z0-9]{11}/g;
const IBAN_CANDIDATE_LEN = 15;
const IPV6_CANDIDATE = /:[\dA-Fa-f:]/g;

const start = new Int32Array(1);

/** Whether `c` is a separator that makes a following digit the middle of a longer number. */
function isInnerSeparator(c: number): boolean {
  return c === 45 || c === 46 || c === 47 || c === 58 || c === 44; // - . / : ,
}

/**
 * Whether the digits at `i`, right after a comma, start a new field rather than continue a
 * number: a thousands group is exactly three digits, so `1,234,567` continues but the card in
 * the CSV row `1001,4111 1111 1111 1111` starts its own token.
 */
function isCommaFieldStart(text: string, i: number): boolean {
  return text.charCodeAt(i - 1) === 44 && skipDigits(text, i) - i !== 3;
}

/** Index just past the digit run at `i`. */
function skipDigits(text: string, i: number): number {
  while (isDigitAt(text, i)) i++;
  return i;
}

/** Numeric detectors at a digit `i` that starts a token. Returns the end of a match, or -1. */
function matchNumeric(text: string, i: number, sink: FindingSink): number {
  if (text.charCodeAt(i - 1) === 43) {
    const end = matchInternationalPhone(text, i - 1);
    if (end > 0) {
      sink.add('phone', text, i - 1, end, maskPhone);
      return end;
    }
  }
  const g = readGroups(text, i);
  let digits = 0;
  for (let k = 0; k < g.count; k++) digits += g.len[k]!;
  // Every numeric detector needs 9+ digits (SSN) or 4 groups (IPv4), except `(415) 555-2671`,
  // whose first token is the 3-digit area code.
  if ((digits < 9 && g.count < 4) || (g.count === 1 && isAlnumAt(text, g.end))) {
    if (g.len[0] !== 3 || text.charCodeAt(i - 1) !== 40) return -1;
  }
  let end = matchCard(text, g);
  if (end > 0) {
    sink.add('credit_card', text, i, end, maskCard);
    return end;
  }
  end = matchSsn(text, g);
  if (end > 0) {
    sink.add('us_ssn', text, i, end, maskSsn);
    return end;
  }
  end = matchNationalPhone(text, g);
  if (end > 0) {
    const from = text.charCodeAt(i - 1) === 40 ? i - 1 : i; // keep the `(` of `(415) 555-2671`
    sink.add('phone', text, from, end, maskPhone);
    return end;
  }
  end = matchIpv4(text, g);
  if (end > 0) {
    sink.add('ipv4', text, i, end, maskIpv4);
    return end;
  }
  return -1;
}

/** IBANs; appends their ranges to `claimed` as flat `[start, end, …]`. */
function scanIbans(text: string, sink: FindingSink, claimed: number[]): void {
  const re = IBAN_CANDIDATE;
  re.lastIndex = 0;
  while (re.test(text)) {
    const s = re.lastIndex - IBAN_CANDIDATE_LEN;
    const end = matchIban(text, s + 2);
    if (end > 0) {
      sink.add('iban', text, s, end, maskIban);
      claimed.push(s, end);
      re.lastIndex = end;
    } else re.lastIndex = s + 1;
  }
}

/** IPv6 addresses; appends their ranges to `claimed`. */
function scanIpv6(text: string, sink: FindingSink, claimed: number[]): void {
  const re = IPV6_CANDIDATE;
  re.lastIndex = 0;
  while (re.test(text)) {
    const colon = re.lastIndex - 2;
    const end = matchIpv6(text, colon, start);
    if (end > 0) {
      sink.add('ipv6', text, start[0]!, end, maskIpv6);
      claimed.push(start[0]!, end);
      re.lastIndex = end;
    } else re.lastIndex = colon + 1;
  }
}

/** E-mail addresses. */
function scanEmails(text: string, sink: FindingSink): void {
  for (let at = text.indexOf('@'); at !== -1; ) {
    const end = matchEmail(text, at, start);
    if (end > 0) sink.add('email', text, start[0]!, end, maskEmail);
    at = text.indexOf('@', end > 0 ? end : at + 1);
  }
}

/** Sorts flat `[start, end, …]` pairs by start. */
function sortRanges(flat: number[]): number[] {
  const pairs: [number, number][] = [];
  for (let k = 0; k < flat.length; k += 2) pairs.push([flat[k]!, flat[k + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  return pairs.flat();
}

/** Cards, SSNs, phones and IPv4, skipping ranges already claimed by IBAN/IPv6 matches. */
function scanNumeric(text: string, sink: FindingSink, claimed: readonly number[]): void {
  const re = NUMERIC_CANDIDATE;
  re.lastIndex = 0;
  let r = 0;
  while (re.test(text)) {
    const i = re.lastIndex - NUMERIC_CANDIDATE_LEN;
    while (r < claimed.length && claimed[r + 1]! <= i) r += 2;
    if (r < claimed.length && claimed[r]! <= i) {
      re.lastIndex = claimed[r + 1]!;
      continue;
    }
    if (isInnerSeparator(text.charCodeAt(i - 1)) && isDigitAt(text, i - 2) && !isCommaFieldStart(text, i)) {
      re.lastIndex = skipDigits(text, i); // middle of a date, decimal, version or dotted number
      continue;
    }
    const end = matchNumeric(text, i, sink);
    re.lastIndex = end > 0 ? end : skipDigits(text, i);
  }
}

/** Runs every content detector over `text`, recording masked matches in `sink`. */
export function scanContent(text: string, sink: FindingSink): void {
  scanPrivateKeys(text, sink);
  scanAwsAccessKeyIds(text, sink);
  scanAwsSecretKeys(text, sink);
  scanJwts(text, sink);
  const claimed: number[] = [];
  scanIbans(text, sink, claimed);
  const ibanRanges = claimed.length;
  scanIpv6(text, sink, claimed);
  scanEmails(text, sink);
  scanNumeric(text, sink, ibanRanges > 0 && claimed.length > ibanRanges ? sortRanges(claimed) : claimed);
}
