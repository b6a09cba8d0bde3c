// Factories called from plain JavaScript with no options, or a misspelt one, get a ConfigError
// naming the field instead of a TypeError from destructuring.
import { describe, expect, it } from 'vitest';
import { createIcsCalendar } from '../src/adapters/ics/index';
import { createMemoryCalendar } from '../src/adapters/memory/index';
import { createMicrosoftCalendar } from '../src/adapters/microsoft/index';

type AnyFactory = (options?: unknown) => unknown;
const call = (factory: unknown, options?: unknown) => () => (factory as AnyFactory)(options);

describe('calendar factories check their options', () => {
  it('createIcsCalendar() without options names source', () => {
    expect(call(createIcsCalendar)).toThrow(expect.objectContaining({ code: 'config', message: 'createIcsCalendar: options: must be an options object with source, got nothing' }));
  });

  it('suggests the option a typo meant', () => {
    expect(call(createMicrosoftCalendar, { userID: 'ben@example.com' })).toThrow('options.userID: unknown option (did you mean "userId"?)');
    expect(call(createMemoryCalendar, { timezone: 'Europe/London' })).toThrow('did you mean "timeZone"?');
  });
});
