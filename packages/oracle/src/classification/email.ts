import { charClass, DOMAIN, isAlnumAt, LOCAL, LOWER, UPPER } from './chars';

// E-mail addresses: dot-atom local part (letters, digits, `._%+-'`, no leading/trailing/double
// dots, at most 64 chars) and a domain of at least two labels (1-63 chars, alphanumerics and
// inner hyphens) ending in an alphabetic TLD. Not e-mails: URL credentials
// (`https://user:pass@host`), SSH remotes (`git@github.com:org/repo`), `@handles`, scoped
// package specs (`pkg@1.2.3`) and retina assets (`logo@2x.png`).

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

/** File extensions that look like TLDs in `name@2x.png` but are not delegated TLDs. */
const FILE_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'bmp', 'tif', 'tiff', 'avif', 'heic',
  'css', 'scss', 'less', 'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'json', 'map', 'html', 'htm',
  'xml', 'yml', 'yaml', 'txt', 'php', 'java', 'lock', 'woff', 'ttf', 'otf', 'eot', 'wasm',
]);

/** Whether `[s, e)` is a valid domain (labels, lengths, alphabetic TLD that is not a file extension). */
function validDomain(text: string, s: number, e: number): boolean {
  if (e - s > MAX_DOMAIN) return false;
  let labels = 0;
  let labelStart = s;
  for (let p = s; p <= e; p++) {
    if (p < e && text.charCodeAt(p) !== 46) continue;
    const len = p - labelStart;
    if (len < 1 || len > 63) return false;
    if (text.charCodeAt(labelStart) === 45 || text.charCodeAt(p - 1) === 45) return false;
    labels++;
    if (p === e) {
      if (len < 2) return false;
      for (let q = labelStart; q < e; q++) if ((charClass(text, q) & (UPPER | LOWER)) === 0) return false;
      if (len <= 5 && FILE_EXTENSIONS.has(text.slice(labelStart, e).toLowerCase())) return false;
    }
    labelStart = p + 1;
  }
  return labels >= 2;
}

/** Whether the `@` at `at` sits in a URL's authority (`scheme://user:pass@host`), scanning back to whitespace. */
function inUrlAuthority(text: string, at: number): boolean {
  for (let p = at - 1; p >= 2 && at - p < 2048; p--) {
    const c = text.charCodeAt(p);
    if (c <= 32 || c === 47 || c === 63 || c === 35 || c === 34 || c === 39 || c === 60) {
      // Reached whitespace, a quote, `<`, or a path/query/fragment delimiter before any `://`.
      return c === 47 && text.charCodeAt(p - 1) === 47 && text.charCodeAt(p - 2) === 58;
    }
  }
  return false;
}

/**
 * E-mail address around the `@` at `at`. Returns the index just past it, or -1, and writes its
 * start to `out[0]` (an out-parameter rather than a tuple keeps the scanner allocation-free).
 */
export function matchEmail(text: string, at: number, out: Int32Array): number {
  let s = at;
  while (s > 0 && at - s <= MAX_LOCAL && (charClass(text, s - 1) & LOCAL) !== 0) s--;
  if ((charClass(text, s - 1) & LOCAL) !== 0) return -1; // local part longer than 64
  // Leading dots and apostrophes are punctuation or quoting (`'jane@example.com'`), not the address.
  while (s < at && (text.charCodeAt(s) === 46 || text.charCodeAt(s) === 39)) s++;
  const localLen = at - s;
  if (localLen < 1 || localLen > MAX_LOCAL) return -1;
  if (text.charCodeAt(at - 1) === 46) return -1;
  for (let p = s + 1; p < at; p++) if (text.charCodeAt(p) === 46 && text.charCodeAt(p - 1) === 46) return -1;
  if (text.charCodeAt(s - 1) === 64) return -1; // `a@b@c`
  let e = at + 1;
  const n = text.length;
  while (e < n && e - at <= MAX_DOMAIN + 1 && (charClass(text, e) & DOMAIN) !== 0) e++;
  while (e > at + 1 && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--; // trailing punctuation
  if (e === at + 1 || isAlnumAt(text, e) || text.charCodeAt(e) === 64) return -1;
  if (!validDomain(text, at + 1, e)) return -1;
  if (text.charCodeAt(e) === 58 && text.charCodeAt(e + 1) > 32) return -1; // `git@host:org/repo`
  if (inUrlAuthority(text, s)) return -1;
  out[0] = s;
  return e;
}
