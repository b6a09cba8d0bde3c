/**
 * `@almanac/bookings/memory`: an in-memory calendar with every capability, for tests, demos
 * and benchmarks. Conference links are placeholders on `.invalid` domains, never real meetings.
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
import { createCalendar } from '../../facade/create-calendar';
import type { Calendar } from '../../facade/types';
import { createMemoryCalendarProvider } from './provider';
import type { MemoryCalendarOptions, MemoryCalendarProvider } from './types';

export { createMemoryCalendarProvider, createMemoryProvider } from './provider';
export type {
  MemoryCalendarOptions,
  MemoryCalendarProvider,
  MemoryNotification,
  MemorySeedEvent,
  MemorySeedOverride,
  MemorySeedRecurrence,
} from './types';

/** A {@link Calendar} whose `provider` is a {@link MemoryCalendarProvider} (for its test hooks). */
export type MemoryCalendar = Calendar & {
  /** The memory provider, with its test hooks. */
  readonly provider: MemoryCalendarProvider;
};

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const MEMORY_CALENDAR_OPTION_KEYS: OptionKeys<MemoryCalendarOptions> = { calendars: true, timeZone: true, seed: true, organizer: true, capabilities: true, onNotification: true, syncWindow: true, timeoutMs: true, logger: true, clock: true, onEvent: true, freeBusyConcurrency: true };

/**
 * Creates an in-memory calendar behind the facade: read-write, recurring series (seeded via
 * `seed`), sync tokens, watch channels, etags and idempotency keys all behave like a real
 * provider's, deterministically and on the injected clock.
 */
export function createMemoryCalendar(options: MemoryCalendarOptions = {}): MemoryCalendar {
  checkFactoryOptions(options, MEMORY_CALENDAR_OPTION_KEYS, { factory: 'createMemoryCalendar', provider: 'memory' });
  const provider = createMemoryCalendarProvider(options);
  return createCalendar(provider, options) as MemoryCalendar;
}
