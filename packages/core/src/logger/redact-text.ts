// Masking secrets in free text in linear time. Text reaching the redactor is often hostile
// (an upstream error body, an invalid JSON document), so nothing here may backtrack: one
// pass moves from separator to separator, looks at most MAX_KEY_LENGTH characters back
// from each, and jumps past every masked value. The previous regex (`[A-Za-z0-9_-]+` then a separator) took 18 s on
// 80,000 `a`s.

/** Replacement written wherever a secret was. */
export const REDACTED = '[REDACTED]';

/** Characters of a key that are looked at: no real parameter or header name is longer. */
const MAX_KEY_LENGTH = 128;
/** Spaces or tabs skipped between a key, its separator and its value, or after a scheme word. */
const MAX_GAP = 16;
/** Characters read after `://` looking for the `@` that ends credentials. */
const MAX_USERINFO = 1024;

/** How the scanner decides which keys are secret. */
export interface PairRules {
  /** Whether `key` names a secret wherever it appears. */
  readonly isSecretKey: (key: string) => boolean;
  /** Whether `key` names a secret as a URL query or fragment parameter (after `?`, `&` or `#`). */
  readonly isSecretParam: (key: string) => boolean;
}

/**
 * An HTTP auth scheme word followed by a space: its credentials follow ("Bearer abc",
 * "Basic dXNlcjpwdw=="). Digest is absent: its parameters are `key=value` pairs, and a
 * whole `Authorization` line is masked anyway. Matches start only at a fixed word, so the
 * search is linear.
 */
const SCHEME_WORD = /\b(?:Bearer|bearer|BEARER|Basic|Bot|Negotiate|NTLM)[ \t]/g;

/** Keys whose unquoted value runs to the end of the line: the scheme and every parameter. */
const WHOLE_LINE_KEYS = /authori[sz]ation|cookie/i;

const TAB = 9;
const SPACE = 32;
const QUOTE = 34; // "
const HASH = 35;
const AMPERSAND = 38;
const APOSTROPHE = 39; // '
const SLASH = 47;
const QUESTION = 63;
const AT = 64;
const BACKSLASH = 92;

function isKeyChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

/** Ends an unquoted value: whitespace and control characters, `&`, `,`, `;`, `"`, `}`. */
function endsValue(c: number): boolean {
  return c <= SPACE || c === AMPERSAND || c === 44 || c === 59 || c === QUOTE || c === 125 || c === 127;
}

/** Ends scheme credentials: whitespace, quotes, backslash, `<`, `>`, `,`, `;`. */
function endsCredentials(c: number): boolean {
  return c <= SPACE || c === QUOTE || c === APOSTROPHE || c === BACKSLASH || c === 60 || c === 62 || c === 44 || c === 59 || c === 127;
}

function isGap(c: number): boolean {
  return c === SPACE || c === TAB;
}

const CACHE_SIZE = 256;

/**
 * Remembers the verdicts on recent keys without slicing them out of the text: a key that
 * repeats (every JSON record has the same keys) costs a hash and a short comparison.
 */
class KeyVerdicts {
  private readonly hashes = new Int32Array(CACHE_SIZE);
  private readonly keys: string[] = new Array<string>(CACHE_SIZE).fill('');
  // Bit 1: secret as a key; bit 2: secret as a URL parameter; bit 4: value runs to the end of the line.
  private readonly verdicts = new Uint8Array(CACHE_SIZE);

  constructor(private readonly rules: PairRules) {}

  verdict(text: string, start: number, end: number, hash: number): number {
    const slot = (hash ^ (hash >>> 8) ^ (end - start)) & (CACHE_SIZE - 1);
    const cached = this.keys[slot] as string;
    if (this.hashes[slot] === hash && cached.length === end - start && text.startsWith(cached, start)) {
      return this.verdicts[slot] as number;
    }
    const key = text.slice(start, end);
    const verdict = (this.rules.isSecretKey(key) ? 1 : 0) | (this.rules.isSecretParam(key) ? 2 : 0) | (WHOLE_LINE_KEYS.test(key) ? 4 : 0);
    this.hashes[slot] = hash;
    this.keys[slot] = key;
    this.verdicts[slot] = verdict;
    return verdict;
  }
}

/** The masked pieces so far (joined once at the end), and how much of the input they cover. */
interface Output {
  readonly parts: string[];
  copied: number;
}

/** Index just past the closing `quote` of a string starting at `from`, or -1 if it never closes. */
function closingQuote(text: string, from: number, quote: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === quote) return i + 1;
  }
  return -1;
}

function endOfLine(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return text.length;
}

/** Index of the space after the next scheme word at or after `from`, or -1. */
function nextScheme(text: string, from: number): number {
  SCHEME_WORD.lastIndex = from;
  // test() rather than exec(): no match array per hit; lastIndex is just past the space.
  return SCHEME_WORD.test(text) ? SCHEME_WORD.lastIndex - 1 : -1;
}

/**
 * Masks, in one pass over `text`:
 * - credentials after auth scheme words (`Bearer abc` → `Bearer [REDACTED]`);
 * - URL user info (`https://user:pass@host` → `https://[REDACTED]@host`);
 * - values of `key=value`, `key: value`, `"key":"value"`, `'key': 'value'` and
 *   `\\"key\\":\\"value\\"` pairs whose key is secret; `Authorization` and `Cookie` values to
 *   the end of the line. Keys after `?`, `&` or `#` are URL parameters and are also checked
 *   against the parameter rule (`sig`, `code`, …), which would be too broad elsewhere.
 *
 * Separators and scheme words are found with `indexOf` and a sticky-free regex, so text
 * between them is skipped natively rather than walked character by character.
 */
export function maskText(text: string, rules: PairRules): string {
  let colon = text.indexOf(':');
  let equals = text.indexOf('=');
  let scheme = nextScheme(text, 0);
  if (colon < 0 && equals < 0 && scheme < 0) return text;
  const verdicts = new KeyVerdicts(rules);
  const out: Output = { parts: [], copied: 0 };
  for (;;) {
    let p = colon;
    if (equals >= 0 && (p < 0 || equals < p)) p = equals;
    if (scheme >= 0 && (p < 0 || scheme < p)) p = scheme;
    if (p < 0) break;
    let resumeAt: number;
    if (p === scheme) {
      scheme = nextScheme(text, p + 1);
      resumeAt = maskCredentialsAt(text, p, out);
    } else if (p === colon) {
      colon = text.indexOf(':', p + 1);
      resumeAt =
        text.charCodeAt(p + 1) === SLASH && text.charCodeAt(p + 2) === SLASH
          ? maskUserinfoAt(text, p + 3, out)
          : maskPairAt(text, p, verdicts, out);
    } else {
      equals = text.indexOf('=', p + 1);
      resumeAt = maskPairAt(text, p, verdicts, out);
    }
    if (resumeAt < 0) continue;
    out.copied = resumeAt;
    if (colon >= 0 && colon < resumeAt) colon = text.indexOf(':', resumeAt);
    if (equals >= 0 && equals < resumeAt) equals = text.indexOf('=', resumeAt);
    if (scheme >= 0 && scheme < resumeAt) scheme = nextScheme(text, resumeAt);
  }
  if (out.copied === 0) return text;
  out.parts.push(text.slice(out.copied));
  return out.parts.join('');
}

/** At the space after a scheme word, masks the credentials that follow. */
function maskCredentialsAt(text: string, space: number, out: Output): number {
  let v = space;
  for (let gap = 0; v < text.length && gap < MAX_GAP && isGap(text.charCodeAt(v)); gap++) v++;
  let end = v;
  while (end < text.length && !endsCredentials(text.charCodeAt(end))) end++;
  if (end === v || space < out.copied) return -1;
  out.parts.push(text.slice(out.copied, space), ` ${REDACTED}`);
  return end;
}

/** When the authority starting at `start` has user info, appends up to it and the mask; returns the `@`. */
function maskUserinfoAt(text: string, start: number, out: Output): number {
  const limit = Math.min(text.length, start + MAX_USERINFO);
  for (let i = start; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === AT) {
      if (i === start) return -1;
      out.parts.push(text.slice(out.copied, start), REDACTED);
      return i;
    }
    // The authority ends at the path, query or fragment, or wherever the URL itself ends.
    if (c <= SPACE || c === SLASH || c === QUESTION || c === HASH || c === QUOTE || c === APOSTROPHE || c === 60 || c === 62 || c === BACKSLASH) {
      return -1;
    }
  }
  return -1;
}

/**
 * Looks at the separator at `p`: when the key before it is secret, appends the text up to
 * the value and the mask to `out` and returns where the value ends; otherwise -1.
 */
function maskPairAt(text: string, p: number, verdicts: KeyVerdicts, out: Output): number {
  const n = text.length;
  // Back over spaces, a closing quote (possibly escaped), then the key itself.
  let j = p - 1;
  for (let gap = 0; j >= 0 && gap < MAX_GAP && isGap(text.charCodeAt(j)); gap++) j--;
  let quoted = false;
  let c = j >= 0 ? text.charCodeAt(j) : -1;
  if (c === QUOTE || c === APOSTROPHE) {
    quoted = true;
    j--;
    if (j >= 0 && text.charCodeAt(j) === BACKSLASH) j--;
  }
  const keyEnd = j + 1;
  let hash = 0;
  // A run longer than MAX_KEY_LENGTH is judged by its last MAX_KEY_LENGTH characters.
  while (j >= 0 && keyEnd - j <= MAX_KEY_LENGTH) {
    c = text.charCodeAt(j);
    if (!isKeyChar(c)) break;
    hash = (Math.imul(hash, 31) + c) | 0;
    j--;
  }
  const keyStart = j + 1;
  if (keyStart === keyEnd || keyStart < out.copied) return -1;
  if (quoted && j >= 0 && (text.charCodeAt(j) === QUOTE || text.charCodeAt(j) === APOSTROPHE)) {
    j--;
    if (j >= 0 && text.charCodeAt(j) === BACKSLASH) j--;
  }
  const before = j >= 0 ? text.charCodeAt(j) : -1;
  const verdict = verdicts.verdict(text, keyStart, keyEnd, hash);
  const param = before === QUESTION || before === AMPERSAND || before === HASH;
  if ((verdict & 1) === 0 && !(param && (verdict & 2) !== 0)) return -1;

  // Forward over spaces to the value.
  let v = p + 1;
  for (let gap = 0; v < n && gap < MAX_GAP && isGap(text.charCodeAt(v)); gap++) v++;
  if (v >= n) return -1;
  c = text.charCodeAt(v);
  let end: number;
  let mask = REDACTED;
  if (c === QUOTE || c === APOSTROPHE) {
    const close = closingQuote(text, v + 1, c);
    const quote = String.fromCharCode(c);
    // An unterminated string hides everything after it rather than guess where it ends.
    end = close < 0 ? n : close;
    mask = close < 0 ? `${quote}${REDACTED}` : `${quote}${REDACTED}${quote}`;
  } else if (c === BACKSLASH && text.charCodeAt(v + 1) === QUOTE) {
    const close = text.indexOf('\\"', v + 2);
    end = close < 0 ? n : close + 2;
    mask = close < 0 ? `\\"${REDACTED}` : `\\"${REDACTED}\\"`;
  } else if ((verdict & 4) !== 0) {
    // "Authorization: Digest username=…, response=…" or "Cookie: a=1; b=2": all of it.
    end = endOfLine(text, v);
  } else {
    end = v;
    while (end < n && !endsValue(text.charCodeAt(end))) end++;
  }
  if (end === v) return -1;
  out.parts.push(text.slice(out.copied, v), mask);
  return end;
}
