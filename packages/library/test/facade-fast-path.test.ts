import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@almanac/core';
import { createMemoryStorage } from '../src/adapters/memory';
import { checkKey, isPlainKey } from '../src/facade/keys';

// The facade skips its zod schema for plain calls (a printable-ASCII key, no options but a
// signal): the fast path must accept only what the full rules accept, unchanged.
describe('facade fast path for plain keys', () => {
  it('accepts a key only when checkKey accepts it unchanged', () => {
    const keyChars = fc.constantFrom('a', 'Z', '0', '/', '.', ' ', '-', '~', '\u007f', '\u0000', '\u001f', 'é', 'e\u0301', '\uD800', '😀');
    fc.assert(
      fc.property(fc.array(keyChars, { maxLength: 12 }).map((chars) => chars.join('')), fc.integer({ min: 1, max: 16 }), (key, max) => {
        if (!isPlainKey(key, max)) return;
        const checked = checkKey(key, max);
        expect(checked).toEqual({ ok: true, value: key });
      }),
    );
  });

  it('sends every rule-breaking key to the full check', () => {
    for (const key of ['', '/a', 'a/./b', 'a/..', '..', '.', 'a\u0000b', 'a\u007fb', 'caf\u00e9', 'x'.repeat(11), 42, undefined]) {
      expect(isPlainKey(key, 10)).toBe(false);
    }
    for (const key of ['a', 'a/b', '.hidden/...', 'a//b', 'x'.repeat(10), 'a/.b/c.', 'trailing/']) expect(isPlainKey(key, 11)).toBe(true);
  });

  it('still reports bad options and bodies through the schema, naming the field', async () => {
    const storage = createMemoryStorage();
    await storage.write('k', 'v');
    const options = [{ signal: 'nope' }, { signal: new AbortController().signal, extra: 1 }, Object.create({ signal: undefined })];
    const results = await Promise.all([
      storage.write('k', 42 as never).catch((error: unknown) => error),
      storage.stat('k', options[0] as never).catch((error: unknown) => error),
      storage.readBytes('k', { range: { start: 2, end: 1 } }).catch((error: unknown) => error),
    ]);
    for (const error of results) expect(ValidationError.isInstance(error)).toBe(true);
    expect((results[0] as ValidationError).issues[0]?.path).toBe('body');
    expect((results[1] as ValidationError).issues[0]?.path).toBe('options.signal');
    expect((results[2] as ValidationError).issues[0]?.path).toBe('options.range.end');
    // Unknown option fields are dropped by the schema, as before the fast path.
    expect(new TextDecoder().decode(await storage.readBytes('k', options[1] as never))).toBe('v');
    const aborted = await storage.stat('k', { signal: AbortSignal.abort() }).catch((error: unknown) => error);
    expect((aborted as Error).name).toBe('AbortedError');
    // A non-ASCII key takes the schema path and is normalised to NFC there.
    await storage.write('cafe\u0301', 'nfc');
    expect((await storage.stat('caf\u00e9')).key).toBe('caf\u00e9');
  });
});
