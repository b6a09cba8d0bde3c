import * as z from '@almanac/core/schema';
import { isDotSegment } from '../path-ids';
import { dateInZone, isIsoDate, isValidTimeZone, parseIsoInstant, startOfDayInZone } from '@almanac/oracle/time';

// Facade input schemas. Paths of issues are the caller's field names (`range.end`,
// `patch.timeZone`), so a ValidationError says exactly what to fix.

const INSTANT_MESSAGE = 'must be a valid Date or an ISO 8601 date-time with an offset (Z or ±HH:MM)';

function readInstant(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'string') return parseIsoInstant(value);
  return undefined;
}

/** A `Date` or an ISO string with an offset; zone-less strings are refused, never read in the server's zone. */
export const instantSchema = z.unknown().transform((value, ctx) => {
  const instant = readInstant(value);
  if (instant === undefined) {
    ctx.issues.push({ code: 'custom', message: value === undefined ? 'Required' : INSTANT_MESSAGE, input: value });
    return z.NEVER;
  }
  return instant;
});

/** A non-empty id; `.` and `..` are refused, since ids become URL path segments (issue 13). */
export const idSchema = z
  .string()
  .refine((value) => value.trim().length > 0, 'must not be empty')
  .refine((value) => !isDotSegment(value), 'must not be "." or ".."');

/** A known IANA time zone. */
export const timeZoneSchema = z.string().refine(isValidTimeZone, 'must be a known IANA time zone, e.g. Europe/London');

const signalSchema = z.instanceof(AbortSignal).optional();

/** `{ start, end }` with `end` after `start`. */
export const rangeSchema = z.object({ start: instantSchema, end: instantSchema }).check((ctx) => {
  if (ctx.value.end.getTime() <= ctx.value.start.getTime()) {
    ctx.issues.push({ code: 'custom', message: 'must be after range.start', input: ctx.value.end, path: ['end'] });
  }
});

const attendeeSchema = z.object({
  email: z.email('must be an email address'),
  name: z.string().optional(),
  optional: z.boolean().optional(),
  response: z.enum(['accepted', 'declined', 'tentative', 'needsAction']).optional(),
  resource: z.boolean().optional(),
});

const reminderSchema = z.object({
  minutesBefore: z.number().int().min(0),
  method: z.enum(['popup', 'email']).optional(),
});

/** Input of `freeBusy`. */
export const freeBusySchema = z.object({
  calendars: z.array(idSchema).min(1, 'must list at least one calendar (omit it for the primary calendar)').optional(),
  range: rangeSchema,
  signal: signalSchema,
});

/** Input of `listEvents`. */
export const listEventsSchema = z.object({
  calendarId: idSchema,
  range: rangeSchema,
  pageSize: z.number().int().positive().max(2500).optional(),
  signal: signalSchema,
});

/** Input of `getEvent`. */
export const getEventSchema = z.object({ calendarId: idSchema, eventId: idSchema, signal: signalSchema });

const conferenceSchema = z.enum(['meet', 'teams']);

/** Input of `createEvent`; all-day boundaries may be `YYYY-MM-DD` dates in `timeZone`. */
export const createEventSchema = z
  .object({
    calendarId: idSchema,
    title: z.string(),
    description: z.string().optional(),
    start: z.union([z.date(), z.string()]),
    end: z.union([z.date(), z.string()]),
    timeZone: timeZoneSchema,
    allDay: z.boolean().optional(),
    attendees: z.array(attendeeSchema).optional(),
    location: z.string().optional(),
    conference: conferenceSchema.optional(),
    reminders: z.array(reminderSchema).optional(),
    idempotencyKey: idSchema.optional(),
    notify: z.boolean().optional(),
    signal: signalSchema,
  })
  .transform((input, ctx) => {
    const allDay = input.allDay === true;
    const read = (field: 'start' | 'end'): Date | undefined => {
      const value = input[field];
      if (allDay && typeof value === 'string' && isIsoDate(value)) return startOfDayInZone(value, input.timeZone);
      const instant = readInstant(value);
      if (instant === undefined) {
        const message = allDay ? `${INSTANT_MESSAGE}, or a YYYY-MM-DD date` : INSTANT_MESSAGE;
        ctx.issues.push({ code: 'custom', message, input: value, path: [field] });
      }
      return instant;
    };
    const start = read('start');
    const end = read('end');
    if (start === undefined || end === undefined) return z.NEVER;
    const ordered = allDay
      ? dateInZone(end, input.timeZone) > dateInZone(start, input.timeZone)
      : end.getTime() > start.getTime();
    if (!ordered) {
      const message = allDay ? 'must be a later date than start (the end date is exclusive)' : 'must be after start';
      ctx.issues.push({ code: 'custom', message, input: input.end, path: ['end'] });
      return z.NEVER;
    }
    return { ...input, start, end };
  });

/** Input of `updateEvent`. */
export const updateEventSchema = z.object({
  calendarId: idSchema,
  eventId: idSchema,
  patch: z
    .object({
      title: z.string().optional(),
      description: z.string().optional(),
      start: instantSchema.optional(),
      end: instantSchema.optional(),
      timeZone: timeZoneSchema.optional(),
      location: z.string().optional(),
      attendees: z.array(attendeeSchema).optional(),
      reminders: z.array(reminderSchema).optional(),
    })
    .check((ctx) => {
      const patch = ctx.value;
      if (Object.values(patch).every((value) => value === undefined)) {
        ctx.issues.push({ code: 'custom', message: 'must change at least one field', input: patch });
      }
      if (patch.start && patch.end && patch.end.getTime() <= patch.start.getTime()) {
        ctx.issues.push({ code: 'custom', message: 'must be after patch.start', input: patch.end, path: ['end'] });
      }
    }),
  etag: idSchema.optional(),
  notify: z.boolean().optional(),
  signal: signalSchema,
});

/** Input of `cancelEvent`. */
export const cancelEventSchema = z.object({
  calendarId: idSchema,
  eventId: idSchema,
  notify: z.boolean(),
  etag: idSchema.optional(),
  signal: signalSchema,
});

/** Input of `sync`. */
export const syncSchema = z.object({ calendarId: idSchema, syncToken: idSchema.optional(), signal: signalSchema });

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Input of `watch`. */
export const watchSchema = z.object({
  calendarId: idSchema,
  address: z.string().refine(isHttpsUrl, 'must be an https:// URL'),
  lifecycleAddress: z.string().refine(isHttpsUrl, 'must be an https:// URL').optional(),
  token: idSchema,
  ttlSeconds: z.number().int().positive().optional(),
  signal: signalSchema,
});

/** The channel given to `unwatch`. */
export const channelSchema = z.object({
  id: idSchema,
  resourceId: z.string().optional(),
  calendarId: idSchema,
  expiresAt: z.date(),
  address: z.string(),
});

/** Options of `unwatch`. */
export const unwatchOptionsSchema = z.object({ signal: signalSchema }).optional();

/** Input of `unwatch`: the channel and the call options, named `channel.*` and `options.*` in issues. */
export const unwatchSchema = z.object({ channel: channelSchema, options: unwatchOptionsSchema });

/** Facade options. */
export const calendarOptionsSchema = z.object({
  timeoutMs: z.number().positive().optional(),
  freeBusyConcurrency: z.number().int().positive().optional(),
  onEvent: z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'must be a function').optional(),
});
