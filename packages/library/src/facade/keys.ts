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

/**
 * Normalises and validates an object key; returns the key to send to the provider.
 *
 * Rules, the same for every provider so code that works on one works on all:
 * - the key is converted to Unicode NFC, so `é` typed either way names the same object;
 * - it must not be empty, nor longer than `maxKeyBytes` UTF-8 bytes (after normalisation);
 * - it must not contain control characters (U+0000–U+001F, U+007F–U+009F), including NUL,
 *   nor unpaired UTF-16 surrogates (which have no UTF-8 form);
 * - no `/`-separated segment may be `.` or `..`, which disk stores and URL handling resolve away;
 * - everything else is kept exactly: `//`, leading `/`, spaces, `+`, `%`, unicode. Adapters encode.
 *
 * @throws `ValidationError` (from `@almanac/core`) whose issue path is `field` (`key`, `from`, `to`, `keys.3`).
 */
export function normalizeKey(value: unknown, maxKeyBytes: number, field = 'key'): string {
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  const key = value.normalize('NFC');
  if (key.length === 0) throw invalid(field, 'must not be empty');
  if (LONE_SURROGATE.test(key)) throw invalid(field, 'must be well-formed Unicode (found an unpaired surrogate)');
  const bytes = utf8Length(key);
  if (bytes > maxKeyBytes) throw invalid(field, `must be at most ${maxKeyBytes} UTF-8 bytes (got ${bytes})`);
  const control = CONTROL.exec(key);
  if (control) {
    const code = (control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw invalid(field, `must not contain control characters (found U+${code} at index ${control.index})`);
  }
  for (const segment of key.split('/')) {
    if (segment === '.' || segment === '..') throw invalid(field, `must not contain "${segment}" path segments`);
  }
  return key;
}

/**
 * Normalises a listing prefix: NFC and no control characters, like keys, but it may be empty and
 * may end mid-segment (`photos/.` matches `photos/.hidden`), so segment rules do not apply.
 */
export function normalizePrefix(value: unknown, maxKeyBytes: number, field = 'prefix'): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  const prefix = value.normalize('NFC');
  if (utf8Length(prefix) > maxKeyBytes) throw invalid(field, `must be at most ${maxKeyBytes} UTF-8 bytes`);
  if (CONTROL.test(prefix)) throw invalid(field, 'must not contain control characters');
  return prefix;
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`Invalid ${path}: ${message}`, [{ path, message }]);
}
