import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../src/errors';
import { isUuid, uuidv4, uuidv7, uuidv7Timestamp } from '../src/ids';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

afterEach(() => {
  vi.useRealTimers();
});

describe('uuidv4', () => {
  it('is a lowercase version 4 UUID, different every time', () => {
    const ids = Array.from({ length: 200 }, uuidv4);
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('uuidv7', () => {
  it('is a version 7 UUID', () => {
    expect(uuidv7()).toMatch(V7);
  });

  it('sorts in creation order, also within one millisecond', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // Far in the future: uuid keeps its last timestamp when the clock goes backwards.
    vi.setSystemTime(3_000_000_000_000);
    const sameMs = Array.from({ length: 500 }, uuidv7);
    vi.setSystemTime(3_000_000_000_001);
    const later = uuidv7();
    const ids = [...sameMs, later];
    expect(uuidv7Timestamp(sameMs[0] ?? '')).toBe(3_000_000_000_000);
    expect(uuidv7Timestamp(later)).toBe(3_000_000_000_001);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('embeds the creation time', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(3_100_000_123_456);
    const id = uuidv7();
    expect(uuidv7Timestamp(id)).toBe(3_100_000_123_456);
    vi.setSystemTime(3_200_000_000_000);
    const next = uuidv7();
    expect(uuidv7Timestamp(next)).toBe(3_200_000_000_000);
    expect(next > id).toBe(true);
  });

  it('uuidv7Timestamp rejects anything but a v7 UUID', () => {
    expect(() => uuidv7Timestamp(uuidv4())).toThrow(ValidationError);
    expect(() => uuidv7Timestamp('nope')).toThrow(/id/);
  });
});

describe('isUuid', () => {
  it('accepts UUIDs of any version and case', () => {
    expect(isUuid(uuidv4())).toBe(true);
    expect(isUuid(uuidv7())).toBe(true);
    expect(isUuid(uuidv4().toUpperCase())).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
  });

  it('rejects non-UUIDs', () => {
    for (const value of ['', 'not-a-uuid', `${uuidv4()}x`, uuidv4().replaceAll('-', ''), 42, null, undefined, {}]) {
      expect(isUuid(value)).toBe(false);
    }
  });
});
