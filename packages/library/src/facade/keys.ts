import { ValidationError } from '@almanac/core';

const encoder = new TextEncoder();

/** UTF-8 length of a string, without allocating when it is plain ASCII. */
export function utf8Length(value: string): number {
  let ascii = true;
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  return ascii ? value.length : encoder.encode(value).length;
}

// C0 controls, DEL and C1 controls: invisible in consoles and mangled by HTTP headers and XML.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

// An unpaired surrogate has no UTF-8 encoding: TextEncoder would silently turn it into U+FFFD,
// so two different strings would name one object.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A normalised key or prefix, or why the value is not one. */
export type KeyCheck = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string };

const problem = (message: string): KeyCheck => ({ ok: false, message });

/**
 * The key rules of {@link normalizeKey} without throwing, so a schema can report them as
 * issues of the field they belong to.
 *
 * @internal
 */
export function checkKey(value: unknown, maxKeyBytes: number): KeyCheck {
  if (typeof value !== 'string') return problem('must be a string');
  const key = value.normalize('NFC');
  if (key.length === 0) return problem('must not be empty');
  // A leading `/` reads as an absolute path on disk and as an empty first segment elsewhere:
  // refused everywhere, so a key that works on one adapter works on all.
  if (key.startsWith('/')) return problem('must not start with "/"');
  if (LONE_SURROGATE.test(key)) return problem('must be well-formed Unicode (found an unpaired surrogate)');
  const bytes = utf8Length(key);
  if (bytes > maxKeyBytes) return problem(`must be at most ${maxKeyBytes} UTF-8 bytes (got ${bytes})`);
  const control = CONTROL.exec(key);
  if (control) {
    const code = (control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return problem(`must not contain control characters (found U+${code} at index ${control.index})`);
  }
  for (const segment of key.split('/')) {
    if (segment === '.' || segment === '..') return problem(`must not contain "${segment}" path segments`);
  }
  return { ok: true, value: key };
}

/**
 * Whether `value` is a key every rule of {@link checkKey} accepts unchanged: printable ASCII
 * (so already NFC, without control characters or surrogates), not empty, not starting with
 * `/`, no `.` or `..` segment, at most `maxKeyBytes` long. One pass over the characters, no
 * allocation: the facade's fast path for the keys almost every call uses.
 *
 * @internal
 */
export function isPlainKey(value: unknown, maxKeyBytes: number): value is string {
  if (typeof value !== 'string') return false;
  const length = value.length;
  if (length === 0 || length > maxKeyBytes || value.charCodeAt(0) === 0x2f) return false;
  let segment = 0;
  for (let i = 0; i <= length; i++) {
    const code = i < length ? value.charCodeAt(i) : 0x2f;
    if (code === 0x2f) {
      const size = i - segment;
      if ((size === 1 || size === 2) && value.charCodeAt(segment) === 0x2e && value.charCodeAt(i - 1) === 0x2e) return false;
      segment = i + 1;
    } else if (code < 0x20 || code > 0x7e) {
      return false;
    }
  }
  return true;
}

/**
 * The prefix rules of {@link normalizePrefix} without throwing.
 *
 * @internal
 */
export function checkPrefix(value: unknown, maxKeyBytes: number): KeyCheck {
  if (value === undefined) return { ok: true, value: '' };
  if (typeof value !== 'string') return problem('must be a string');
  const prefix = value.normalize('NFC');
  if (utf8Length(prefix) > maxKeyBytes) return problem(`must be at most ${maxKeyBytes} UTF-8 bytes`);
  if (CONTROL.test(prefix)) return problem('must not contain control characters');
  return { ok: true, value: prefix };
}

/**
 * Normalises and validates an object key; returns the key to send to the provider.
 *
 * Rules, the same for every provider so code that works on one works on all:
 * - the key is converted to Unicode NFC, so `é` typed either way names the same object;
 * - it must not be empty, must not start with `/`, nor be longer than `maxKeyBytes` UTF-8 bytes (after normalisation);
 * - it must not contain control characters (U+0000–U+001F, U+007F–U+009F), including NUL,
 *   nor unpaired UTF-16 surrogates (which have no UTF-8 form);
 * - no `/`-separated segment may be `.` or `..`, which disk stores and URL handling resolve away;
 * - everything else is kept exactly: `//`, `\\`, `C:`, spaces, `+`, `%`, unicode. Adapters encode.
 *
 * @throws `ValidationError` (from `@almanac/core`) whose issue path is `field` (`key`, `from`, `to`, `keys.3`).
 */
export function normalizeKey(value: unknown, maxKeyBytes: number, field = 'key'): string {
  return settle(checkKey(value, maxKeyBytes), field);
}

/**
 * Normalises a listing prefix: NFC and no control characters, like keys, but it may be empty and
 * may end mid-segment (`photos/.` matches `photos/.hidden`), so segment rules do not apply.
 */
export function normalizePrefix(value: unknown, maxKeyBytes: number, field = 'prefix'): string {
  return settle(checkPrefix(value, maxKeyBytes), field);
}

function settle(check: KeyCheck, path: string): string {
  if (check.ok) return check.value;
  throw new ValidationError(`Invalid ${path}: ${check.message}`, [{ path, message: check.message }]);
}
