import { CapabilityError, ConfigError } from '@almanac/core';
import { checkCapabilityTable } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { createIcsCalendarProvider, createIcsProvider } from '../src/adapters/ics';
import { createMemoryCalendarProvider, createMemoryProvider } from '../src/adapters/memory';
import { createMicrosoftCalendarProvider, createMicrosoftProvider } from '../src/adapters/microsoft';
import type { GraphClientLike } from '../src/adapters/microsoft';
import { createCalendar } from '../src/facade';
import type { Calendar } from '../src/facade';
import { CALENDAR_CAPABILITY_METHODS, CALENDAR_SPECIFICATION_VERSION } from '../src/spec';
import type { CalendarProvider } from '../src/spec';

const ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Almanac//Test//EN', 'END:VCALENDAR', ''].join('\r\n');
const graphClient = { api: () => ({}) } as unknown as GraphClientLike;

describe('provider contract version', () => {
  it('every adapter declares v1', () => {
    expect(CALENDAR_SPECIFICATION_VERSION).toBe('v1');
    expect(createMemoryCalendarProvider().specificationVersion).toBe('v1');
    expect(createIcsCalendarProvider({ source: { text: ICS } }).specificationVersion).toBe('v1');
    expect(createMicrosoftCalendarProvider({ client: graphClient }).specificationVersion).toBe('v1');
  });

  it('refuses a provider written for another version with a ConfigError naming the field', () => {
    const future = { ...createMemoryCalendarProvider(), specificationVersion: 'v2' } as unknown as CalendarProvider;
    const error = (() => {
      try {
        createCalendar(future);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).message).toMatch(/calendar provider "memory" implements specificationVersion "v2".*expects "v1"/);
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual(['provider.specificationVersion']);
  });

  it('refuses a provider without a version, and a value that is no provider', () => {
    const { specificationVersion: _version, ...legacy } = createMemoryCalendarProvider();
    expect(() => createCalendar(legacy as unknown as CalendarProvider)).toThrow(ConfigError);
    expect(() => createCalendar(null as unknown as CalendarProvider)).toThrow(/Expected a calendar provider object/);
  });

  it('keeps the old factory names as working aliases', () => {
    expect(createMemoryProvider().name).toBe('memory');
    expect(createIcsProvider({ source: { text: ICS } }).name).toBe('ics');
    expect(createMicrosoftProvider({ client: graphClient }).name).toBe('microsoft');
  });
});

describe('capability table', () => {
  it('lists a method for every capability that needs one, and none for recurrence', () => {
    expect(Object.keys(CALENDAR_CAPABILITY_METHODS)).toEqual(['freeBusy', 'events', 'write', 'incrementalSync', 'push', 'recurrence']);
    expect(CALENDAR_CAPABILITY_METHODS.recurrence).toEqual([]);
    expect(Object.isFrozen(CALENDAR_CAPABILITY_METHODS)).toBe(true);
  });

  it('derives supports() and describeCapabilities() from the flags and the methods present', () => {
    const { unwatch: _unwatch, ...withoutUnwatch } = createMemoryCalendarProvider({ capabilities: { conferencing: ['teams'] } });
    const calendar = createCalendar(withoutUnwatch as CalendarProvider);
    expect(calendar.supports('push')).toBe(false);
    expect(calendar.supports('write')).toBe(true);
    expect(calendar.supports('teams')).toBe(true);
    expect(calendar.supports('meet')).toBe(false);
    expect(calendar.describeCapabilities()).toEqual({
      freeBusy: 'native',
      events: 'native',
      write: 'native',
      incrementalSync: 'native',
      push: false,
      recurrence: 'native',
      meet: false,
      teams: 'native',
    });
  });

  it('offers no conference kind without write', () => {
    const calendar = createCalendar(createMemoryCalendarProvider({ capabilities: { write: false } }));
    expect(calendar.supports('meet')).toBe(false);
    expect(calendar.describeCapabilities().teams).toBe(false);
  });

  it('refuses through require() before touching the provider', async () => {
    const provider = createMemoryCalendarProvider({ capabilities: { incrementalSync: false } });
    const error = await createCalendar(provider)
      .sync({ calendarId: 'primary' })
      .catch((caught: unknown) => caught);
    expect(CapabilityError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ capability: 'incrementalSync', provider: 'memory', operation: 'sync' });
  });

  it('the conformance check catches an adapter that declares a capability it lacks', async () => {
    const { cancelEvent: _cancel, ...lying } = createMemoryCalendarProvider();
    await expect(
      checkCapabilityTable<CalendarProvider, Calendar>({
        provider: lying as CalendarProvider,
        capabilityMethods: CALENDAR_CAPABILITY_METHODS,
        facade: (provider) => createCalendar(provider),
        calls: {},
      }),
    ).rejects.toThrow(/write: declared, but the provider has no cancelEvent/);
  });
});
