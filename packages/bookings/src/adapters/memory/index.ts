/**
 * `@almanac/bookings/memory`: an in-memory calendar with every capability, for tests, demos
 * and benchmarks. Conference links are placeholders on `.invalid` domains, never real meetings.
 *
 * @packageDocumentation
 */
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

/**
 * Creates an in-memory calendar behind the facade: read-write, recurring series (seeded via
 * `seed`), sync tokens, watch channels, etags and idempotency keys all behave like a real
 * provider's, deterministically and on the injected clock.
 */
export function createMemoryCalendar(options: MemoryCalendarOptions = {}): MemoryCalendar {
  const provider = createMemoryCalendarProvider(options);
  return createCalendar(provider, options) as MemoryCalendar;
}
