// The object-key rules every adapter shares (facade/keys.ts), one rule per assertion, so a
// loosened check (a wrong byte count, a dropped segment rule, a shorter control range) fails here.
import { ValidationError } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { checkKey, checkPrefix, normalizeKey, normalizePrefix, utf8Length } from '../src/facade/keys';

const refused = (value: unknown, max = 1024) => {
  const result = checkKey(value, max);
  return result.ok ? undefined : result.message;
};

describe('utf8Length', () => {
  it('counts UTF-8 bytes, with U+007F as the last one-byte character', () => {
    expect(utf8Length('')).toBe(0);
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('\u007f')).toBe(1);
    expect(utf8Length('\u0080')).toBe(2);
    expect(utf8Length('aé')).toBe(3);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
    expect(utf8Length(`${'a'.repeat(10)}é`)).toBe(12);
  });
});

describe('checkKey', () => {
  it('accepts ordinary keys unchanged and returns NFC', () => {
    expect(checkKey('a/b.txt', 1024)).toEqual({ ok: true, value: 'a/b.txt' });
    expect(checkKey('dir/', 1024)).toEqual({ ok: true, value: 'dir/' });
    expect(checkKey('a//b', 1024)).toEqual({ ok: true, value: 'a//b' });
    expect(checkKey('cafe\u0301', 1024)).toEqual({ ok: true, value: 'caf\u00e9' });
    for (const fine of ['...', '.a', 'a.', '..a/b', 'a/.../b', 'C:\\x', '+ %']) expect(checkKey(fine, 1024), fine).toEqual({ ok: true, value: fine });
  });

  it('refuses non-strings, empty keys and a leading slash', () => {
    expect(refused(7)).toBe('must be a string');
    expect(refused(undefined)).toBe('must be a string');
    expect(refused('')).toBe('must not be empty');
    expect(refused('/abs')).toBe('must not start with "/"');
  });

  it('refuses unpaired surrogates (high or low alone) but accepts pairs', () => {
    expect(refused('a\ud800b')).toBe('must be well-formed Unicode (found an unpaired surrogate)');
    expect(refused('a\udc00')).toBe('must be well-formed Unicode (found an unpaired surrogate)');
    expect(refused('a\ud83d\ude00')).toBeUndefined();
  });

  it('counts the limit in UTF-8 bytes after normalisation: exactly max passes, one more fails', () => {
    expect(refused('k'.repeat(10), 10)).toBeUndefined();
    expect(refused('k'.repeat(11), 10)).toBe('must be at most 10 UTF-8 bytes (got 11)');
    expect(refused('é'.repeat(5), 10)).toBeUndefined();
    expect(refused(`${'é'.repeat(5)}k`, 10)).toBe('must be at most 10 UTF-8 bytes (got 11)');
    expect(refused('e\u0301'.repeat(5), 10)).toBeUndefined();
  });

  it('refuses C0, DEL and C1 control characters, naming the first and its index', () => {
    expect(refused('a\u0000b')).toBe('must not contain control characters (found U+0000 at index 1)');
    expect(refused('ab\u001f')).toBe('must not contain control characters (found U+001F at index 2)');
    expect(refused('\u007f')).toBe('must not contain control characters (found U+007F at index 0)');
    expect(refused('x\u009fy\u0001')).toBe('must not contain control characters (found U+009F at index 1)');
    expect(refused('a\u00a0b')).toBeUndefined();
    expect(refused(' ~')).toBeUndefined();
  });

  it('refuses . and .. path segments anywhere', () => {
    for (const key of ['.', '..', 'a/./b', 'a/../b', 'a/..', 'a/.', '../x', './x']) {
      expect(refused(key), key).toBe(`must not contain "${key.split('/').find((s) => s === '.' || s === '..')}" path segments`);
    }
  });
});

describe('checkPrefix and the throwing forms', () => {
  it('accepts a missing prefix as empty, normalises, and checks length and controls', () => {
    expect(checkPrefix(undefined, 10)).toEqual({ ok: true, value: '' });
    expect(checkPrefix('', 10)).toEqual({ ok: true, value: '' });
    expect(checkPrefix('photos/.', 10)).toEqual({ ok: true, value: 'photos/.' });
    expect(checkPrefix('cafe\u0301', 10)).toEqual({ ok: true, value: 'caf\u00e9' });
    expect(checkPrefix(3, 10)).toEqual({ ok: false, message: 'must be a string' });
    expect(checkPrefix('k'.repeat(10), 10).ok).toBe(true);
    expect(checkPrefix('k'.repeat(11), 10)).toEqual({ ok: false, message: 'must be at most 10 UTF-8 bytes' });
    expect(checkPrefix('a\u0007', 10)).toEqual({ ok: false, message: 'must not contain control characters' });
  });

  it('normalizeKey and normalizePrefix throw ValidationError naming the field', () => {
    expect(normalizeKey('ok', 10)).toBe('ok');
    expect(normalizePrefix(undefined, 10)).toBe('');
    for (const [call, path, message] of [
      [() => normalizeKey('', 10), 'key', 'Invalid key: must not be empty'],
      [() => normalizeKey('/x', 10, 'keys.3'), 'keys.3', 'Invalid keys.3: must not start with "/"'],
      [() => normalizePrefix('a\u0000', 10), 'prefix', 'Invalid prefix: must not contain control characters'],
      [() => normalizePrefix('k'.repeat(11), 10, 'from'), 'from', 'Invalid from: must be at most 10 UTF-8 bytes'],
    ] as const) {
      const error = (() => {
        try {
          call();
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(ValidationError.isInstance(error), path).toBe(true);
      expect((error as ValidationError).message).toBe(message);
      expect((error as ValidationError).issues).toEqual([{ path, message: message.slice(`Invalid ${path}: `.length) }]);
    }
  });
});
