import type { CalendarOptions } from './types';

/**
 * The facade's own options out of an adapter factory's options (`create<Provider>Calendar`
 * takes both in one object), leaving out those not given.
 */
export function calendarOptionsOf(options: CalendarOptions): CalendarOptions {
  const { timeoutMs, logger, clock, onEvent, freeBusyConcurrency } = options;
  return {
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(logger !== undefined ? { logger } : {}),
    ...(clock !== undefined ? { clock } : {}),
    ...(onEvent !== undefined ? { onEvent } : {}),
    ...(freeBusyConcurrency !== undefined ? { freeBusyConcurrency } : {}),
  };
}
