import { charClass, HEX, isAlnumAt } from './chars';

// IPv6 in RFC 4291 text form: eight 1-4 digit hex groups, or fewer with one `::`, optionally
// ending in a dotted IPv4. To keep C++/Rust paths (`std::vec`), MAC addresses and clock times out,
// the token must stand alone (no letters or digits around it), contain a digit, and be more than
// a bare `::`.

const MAX_TEXT = 45; // longest IPv6 text form, with an embedded IPv4

/** Whether `[s, e)` is a dotted-quad IPv4 (used for the embedded form). */
function embeddedIpv4(text: string, s: number, e: number): boolean {
  let octets = 0;
  let value = 0;
  let len = 0;
  for (let p = s; p <= e; p++) {
    const c = p < e ? text.charCodeAt(p) : 46;
    if (c === 46) {
      if (len === 0 || value > 255) return false;
      octets++;
      value = 0;
      len = 0;
    } else if (c >= 48 && c <= 57) {
      if (len > 0 && value === 0) return false; // leading zero
      value = value * 10 + (c - 48);
      if (++len > 3) return false;
    } else return false;
  }
  return octets === 4;
}

/** Whether `[s, e)` is a valid IPv6 address in text form. */
export function validIpv6(text: string, s: number, e: number): boolean {
  let groups = 0;
  let compressed = false;
  let sawDigit = false;
  let p = s;
  if (text.charCodeAt(p) === 58) {
    if (text.charCodeAt(p + 1) !== 58) return false;
    compressed = true;
    p += 2;
    if (p === e) return false; // bare `::`
  }
  while (p < e) {
    const g = p;
    let hasDot = false;
    while (p < e && text.charCodeAt(p) !== 58) {
      const c = text.charCodeAt(p);
      if (c === 46) hasDot = true;
      else if (c >= 48 && c <= 57) sawDigit = true;
      else if ((charClass(text, p) & HEX) === 0) return false;
      p++;
    }
    if (hasDot) {
      if (p !== e || !embeddedIpv4(text, g, p)) return false;
      groups += 2;
      break;
    }
    const len = p - g;
    if (len < 1 || len > 4) return false;
    groups++;
    if (p === e) break;
    p++; // ':'
    if (text.charCodeAt(p) === 58) {
      if (compressed) return false;
      compressed = true;
      p++;
      if (p === e) break; // trailing `::`
    } else if (p === e) return false; // trailing single ':'
  }
  if (!sawDigit) return false;
  return compressed ? groups <= 7 && groups >= 1 : groups === 8;
}

/**
 * IPv6 address around the `:` at `colon`. Returns the index just past it, or -1, and writes its
 * start to `out[0]`.
 */
export function matchIpv6(text: string, colon: number, out: Int32Array): number {
  let s = colon;
  while (s > 0 && colon - s < MAX_TEXT && ((charClass(text, s - 1) & HEX) !== 0 || text.charCodeAt(s - 1) === 58)) s--;
  let e = colon + 1;
  const n = text.length;
  while (e < n && e - s < MAX_TEXT) {
    const c = text.charCodeAt(e);
    if (c !== 58 && c !== 46 && (charClass(text, e) & HEX) === 0) break;
    e++;
  }
  if (text.charCodeAt(e - 1) === 46) e--; // sentence full stop
  const before = text.charCodeAt(s - 1);
  if (isAlnumAt(text, s - 1) || before === 58 || before === 46) return -1;
  const after = text.charCodeAt(e);
  if (isAlnumAt(text, e) || after === 58 || (after === 46 && isAlnumAt(text, e + 1))) return -1;
  if (!validIpv6(text, s, e)) return -1;
  out[0] = s;
  return e;
}
