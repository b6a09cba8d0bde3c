import { isUuid, uuidv7Timestamp } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createMessageIds } from '../src/messages/ids';

describe('message ids (pooled UUID v7)', () => {
  it('are version 7, variant 10, carry the clock time, and sort in creation order within one millisecond', () => {
    const next = createMessageIds(() => Date.UTC(2026, 11, 3, 9, 0, 0, 123));
    const ids = Array.from({ length: 5000 }, next);
    for (const id of ids.slice(0, 50)) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
      expect(uuidv7Timestamp(id)).toBe(Date.UTC(2026, 11, 3, 9, 0, 0, 123));
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('stay ordered when the clock steps back, and across milliseconds', () => {
    const times = [1000, 1000, 999, 1001, 1001, 5];
    const next = createMessageIds(() => times.shift() ?? 5);
    const ids = Array.from({ length: 8 }, next);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map(uuidv7Timestamp)).toEqual([1000, 1000, 1000, 1001, 1001, 1001, 1001, 1001]);
  });

  it('two generators in the same millisecond give different ids (random counter start and tail)', () => {
    const clock = () => 42;
    const a = createMessageIds(clock);
    const b = createMessageIds(clock);
    expect(a()).not.toBe(b());
  });
});
