// Hostile inputs: 1 MB texts shaped after the classic catastrophic-backtracking and
// quadratic-scan cases, and fast-check arbitraries for values a caller (or an attacker
// steering one) may pass to a public function.
import fc from 'fast-check';

/** Size of every hostile text: 1 MiB of UTF-16 code units. */
export const HOSTILE_SIZE = 1 << 20;

/** One family of hostile texts. */
export interface HostileText {
  /** Stable name, used in test titles and to select or skip inputs per target. */
  readonly name: string;
  /** Why this shape hurts, for docs/security.md and failure messages. */
  readonly why: string;
  /**
   * `sparse` texts have few separators, quotes or structure; `dense` ones have one every few
   * characters, so a linear scanner still does per-separator work (a higher time bound).
   */
  readonly density: 'sparse' | 'dense';
  /** Builds the text (flat, as a body read from the network would be). */
  build(size: number): string;
}

const repeatTo = (unit: string, size: number, tail = '') =>
  Buffer.from(unit.repeat(Math.floor((size - tail.length) / unit.length)) + tail).toString();

/** The hostile texts every free-text or format-parsing function is probed with. */
export const HOSTILE_TEXTS: readonly HostileText[] = [
  { name: 'a-run', why: 'one long run of word characters: the `[\\w-]+` then separator regex tried at every start', density: 'sparse', build: (n) => repeatTo('a', n) },
  { name: 'a-run-then-bang', why: 'a run that almost matches and fails at the very end', density: 'sparse', build: (n) => repeatTo('a', n, '!') },
  { name: 'spaces', why: 'whitespace runs before a missing separator (`\\s*` backtracking)', density: 'sparse', build: (n) => repeatTo(' ', n, 'x') },
  { name: 'digits', why: 'a huge number-like token', density: 'sparse', build: (n) => repeatTo('9', n) },
  { name: 'open-brackets', why: 'deep nesting for recursive parsers', density: 'dense', build: (n) => repeatTo('[', n) },
  { name: 'open-braces', why: 'deep object nesting', density: 'dense', build: (n) => repeatTo('{"a":', n) },
  { name: 'kv-pairs', why: 'a separator every two characters (key=value scanners)', density: 'dense', build: (n) => repeatTo('a=', n) },
  { name: 'secret-pairs', why: 'every pair a secret key: maximum masking work', density: 'dense', build: (n) => repeatTo('token=x&', n) },
  { name: 'quotes', why: 'unterminated JSON strings after keys', density: 'dense', build: (n) => repeatTo('"a":"', n) },
  { name: 'bearer-words', why: 'auth scheme words each followed by a space', density: 'dense', build: (n) => repeatTo('Bearer ', n) },
  { name: 'url-schemes', why: 'URL authority scans (`://` without `@`)', density: 'dense', build: (n) => repeatTo('://a', n) },
  { name: 'dot-segments', why: 'path traversal segments', density: 'dense', build: (n) => repeatTo('../%2e%2e/', n) },
  { name: 'crlf', why: 'line breaks (header and line-folding parsers)', density: 'dense', build: (n) => repeatTo('a\r\n ', n) },
  { name: 'lone-surrogates', why: 'invalid UTF-16', density: 'dense', build: (n) => repeatTo('\ud800a', n) },
  { name: 'nul-bytes', why: 'NUL and control characters', density: 'dense', build: (n) => repeatTo('\u0000\u0001', n) },
];

/** Strings that have broken path, header and id handling before. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  '.',
  '..',
  '../',
  '../../etc/passwd',
  '..\\..\\windows',
  '%2e%2e',
  '%2E%2e%2f',
  'a/../b',
  '/absolute',
  'https://evil.example/x',
  '//evil.example/x',
  'file:///etc/passwd',
  'a\r\nX-Injected: 1',
  'a\nb',
  '\u0000',
  '\ud800',
  ' ',
  'a'.repeat(10_000),
  '__proto__',
  'constructor',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style payload, literally.
  '${jndi:ldap://x}',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
];

/** A string an attacker might choose: arbitrary, or one of {@link HOSTILE_STRINGS}. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 3 },
  { arbitrary: fc.string(), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary' }), weight: 1 },
);

/** A number an attacker might choose. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e308, 5e6, 1.5),
  fc.double(),
  fc.integer(),
);

/** Any value: structured junk, hostile strings and numbers, nullish values, odd objects. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.anything({ maxDepth: 3, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withBigInt: true, withTypedArray: true }), weight: 4 },
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: hostileNumber, weight: 2 },
  { arbitrary: fc.constantFrom(null, undefined, true, false, [], {}, new Date(Number.NaN), Object.create(null) as object), weight: 2 },
);

/** An options object with hostile values under the usual option names, or any hostile value. */
export function hostileOptions(extraKeys: readonly string[] = []): fc.Arbitrary<unknown> {
  const keys = ['signal', 'timeoutMs', 'limit', 'pageSize', 'cursor', 'query', 'actor', ...extraKeys];
  return fc.oneof(
    fc.dictionary(fc.constantFrom(...keys), hostileValue, { maxKeys: 4 }),
    hostileValue,
    fc.constant(undefined),
  );
}
