import { syncWindowSchema } from '../../sync/window-schema';
import * as z from '@almanac/core/schema';
import { isValidTimeZone } from '@almanac/oracle/time';

const id = z.string().refine((value) => value.trim().length > 0, 'must not be empty');
const date = z.date();

/**
 * Schema of the options `createMemoryCalendar` reads itself (the facade checks its own). Built
 * per call with its own memo of checked zones: building an `Intl` formatter per seed event
 * would make a benchmark-sized seed take seconds.
 */
export function createMemoryOptionsSchema() {
  const checked = new Map<string, boolean>();
  const knownZone = (zone: string) => {
    let known = checked.get(zone);
    if (known === undefined) {
      known = isValidTimeZone(zone);
      checked.set(zone, known);
    }
    return known;
  };
  return z.object({
  calendars: z
    .array(id)
    .min(1, 'must list at least one calendar')
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a calendar')
    .optional(),
  timeZone: z.string().refine(knownZone, 'must be a known IANA time zone').optional(),
  organizer: z.string().optional(),
  onNotification: z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'must be a function').optional(),
  syncWindow: syncWindowSchema.optional(),
  seed: z
    .array(
      z
        .object({
          id: id.optional(),
          calendarId: id,
          title: z.string(),
          start: date,
          end: date,
          timeZone: z.string().refine(knownZone, 'must be a known IANA time zone'),
          allDay: z.boolean().optional(),
          status: z.enum(['confirmed', 'tentative', 'cancelled']).optional(),
          transparency: z.enum(['opaque', 'transparent']).optional(),
          conference: z.enum(['meet', 'teams']).optional(),
          recurrence: z
            .object({
              rrule: z.string().min(1),
              exdates: z.array(date).optional(),
              overrides: z.array(z.object({ recurrenceId: date, start: date, end: date })).optional(),
            })
            .optional(),
        })
        .check((ctx) => {
          if (ctx.value.allDay !== true && ctx.value.end.getTime() <= ctx.value.start.getTime()) {
            ctx.issues.push({ code: 'custom', message: 'must be after start', input: ctx.value.end, path: ['end'] });
          }
        }),
    )
    .optional(),
});
}
