/**
 * `@almanac/bookings`: one calendar interface over Google Calendar, Microsoft 365, ICS feeds
 * and memory, and a scheduling assistant that finds and books the best time.
 *
 * Adapters ship as subpath exports (`@almanac/bookings/memory`, `/ics`, `/google`,
 * `/microsoft`); this root entry loads no provider SDK.
 *
 * @packageDocumentation
 */
export * from './spec';
export * from './facade/index';
export * from './assistant/index';
