// `getSchedule`: busy time of up to 20 mailboxes over less than 62 days per call.
//
// The facade splits requests to the advertised limits (`maxFreeBusyCalendars`,
// `maxFreeBusyRangeDays`), so one provider call is one `getSchedule` call, except that
// distribution lists the caller names (`distributionLists`) are each queried on their own: Graph
// counts a list's members toward the 20-entity limit of a request
// (https://learn.microsoft.com/en-us/graph/outlook-get-free-busy-schedule), which a count of
// addresses cannot see.
//
// Not sent through `$batch`: Graph throttles each `$batch` step on its own (a step can come back
// 429 with its own Retry-After while its siblings succeed), which would need a second retry loop
// for no saving in quota.
import { NotFoundError, PermissionError, ProviderError } from '@almanac/core';
import type { BusyInterval, FreeBusyRequest, FreeBusyResult, TimeRange } from '../../spec';
import { PROVIDER } from './errors';
import { graphInstant } from './event-mapping';
import type { GraphDateTimeTimeZone } from './event-mapping';
import { asObject } from './transport';
import type { GraphTransport } from './transport';

/**
 * Most mailboxes per `getSchedule` call.
 *
 * @internal
 */
export const MAX_SCHEDULES = 20;
/**
 * Longest range per `getSchedule` call, in days (Graph rejects 62 or more).
 *
 * @internal
 */
export const MAX_RANGE_DAYS = 61;
/** Granularity of `availabilityView`. The adapter reads `scheduleItems`, so this only sizes the unused view. */
const AVAILABILITY_VIEW_INTERVAL = 60;

/**
 * `scheduleItems[].status` values that do not count as busy, lower-cased: `free`, and
 * `workingElsewhere` (the person is working, just remotely). Graph's own documentation writes
 * statuses in more than one case (`busy`, `Busy`, `Tentative`), so statuses are compared
 * case-insensitively, and every other status, including `unknown`, a missing one and any value
 * Graph adds later, counts as busy: a slot we cannot classify is never offered as free.
 * https://learn.microsoft.com/en-us/graph/api/resources/scheduleitem
 *
 * @internal
 */
export const FREE_STATUSES: ReadonlySet<string> = new Set(['free', 'workingelsewhere']);

/** Whether a `scheduleItem` status counts as busy (fail closed: unknown values do). @internal */
export function isBusyStatus(status: string | null | undefined): boolean {
  return typeof status !== 'string' || !FREE_STATUSES.has(status.toLowerCase());
}

interface ScheduleItem {
  status?: string | undefined;
  subject?: string | null | undefined;
  start?: GraphDateTimeTimeZone | undefined;
  end?: GraphDateTimeTimeZone | undefined;
}

interface ScheduleInformation {
  scheduleId?: string | undefined;
  scheduleItems?: ScheduleItem[] | undefined;
  error?: { message?: string | undefined; responseCode?: string | undefined } | null | undefined;
}

/** What {@link graphFreeBusy} needs from the provider. */
export interface FreeBusyContext {
  /** Sends Graph calls. */
  readonly transport: GraphTransport;
  /** `/users/{id}` or `/me`. */
  readonly userPath: string;
  /** The SMTP address `primary` stands for. */
  readonly primaryAddress: (signal: AbortSignal | undefined) => Promise<string>;
  /** Lower-cased addresses of distribution lists, each queried in a `getSchedule` call of its own. */
  readonly distributionLists?: ReadonlySet<string> | undefined;
}

const utc = (instant: Date): GraphDateTimeTimeZone => ({ dateTime: instant.toISOString().slice(0, 23), timeZone: 'UTC' });

/** Turns a per-schedule `error` into the error class a caller can act on. */
function scheduleError(calendarId: string, error: { message?: string | undefined; responseCode?: string | undefined }): Error {
  const code = error.responseCode ?? 'unknown';
  const message = `${PROVIDER}: getSchedule failed for ${calendarId} (${code})${error.message ? `: ${error.message}` : ''}`;
  const options = { provider: PROVIDER, operation: 'getSchedule' };
  if (/NotFound|InvalidSmtpAddress|MailboxNotEnabled|NonExistent/i.test(code)) return new NotFoundError(message, options);
  if (/AccessDenied|Permission|ProxyRequestNotAllowed/i.test(code)) return new PermissionError(message, options);
  return new ProviderError(message, options);
}

function busyOf(info: ScheduleInformation, range: TimeRange): BusyInterval[] {
  const busy: BusyInterval[] = [];
  for (const item of info.scheduleItems ?? []) {
    if (!isBusyStatus(item.status)) continue;
    const start = graphInstant(item.start, 'scheduleItem start');
    const end = graphInstant(item.end, 'scheduleItem end');
    const clippedStart = Math.max(start.getTime(), range.start.getTime());
    const clippedEnd = Math.min(end.getTime(), range.end.getTime());
    if (clippedEnd <= clippedStart) continue;
    busy.push({
      start: new Date(clippedStart),
      end: new Date(clippedEnd),
      ...(item.subject ? { source: `Microsoft 365: ${item.subject}` } : {}),
    });
  }
  return busy;
}

/**
 * Busy time per calendar (an SMTP address, or `primary`), in the order asked, over the request's
 * range in one `getSchedule` call (one more per named distribution list). A mailbox Graph
 * reports an `error` for fails the whole call (`NotFoundError` for unknown mailboxes) rather
 * than looking free.
 */
export async function graphFreeBusy(context: FreeBusyContext, request: FreeBusyRequest): Promise<FreeBusyResult[]> {
  const calendars = request.calendars && request.calendars.length > 0 ? [...request.calendars] : ['primary'];
  const addresses = await Promise.all(
    calendars.map((id) => (id === 'primary' ? context.primaryAddress(request.signal) : Promise.resolve(id))),
  );
  const lists = context.distributionLists;
  const indexes = calendars.map((_, index) => index);
  const isList = (index: number) => lists?.has((addresses[index] as string).toLowerCase()) === true;
  const groups = [indexes.filter((index) => !isList(index)), ...indexes.filter(isList).map((index) => [index])].filter((group) => group.length > 0);
  const busy = new Map<number, BusyInterval[]>();
  for (const group of groups) {
    const schedules = group.map((index) => addresses[index] as string);
    const response = asObject(
      await context.transport.send({
        method: 'POST',
        path: `${context.userPath}/calendar/getSchedule`,
        headers: { Prefer: 'outlook.timezone="UTC"' },
        body: { schedules, startTime: utc(request.range.start), endTime: utc(request.range.end), availabilityViewInterval: AVAILABILITY_VIEW_INTERVAL },
        // A read despite the POST, so repeating it is safe.
        idempotent: true,
        signal: request.signal,
      }),
      'POST getSchedule',
    );
    const value = Array.isArray(response['value']) ? (response['value'] as ScheduleInformation[]) : [];
    group.forEach((calendarIndex, position) => {
      const address = (schedules[position] ?? '').toLowerCase();
      // Graph answers in request order; matching by id guards against a reordered answer.
      const info = value.find((entry) => entry.scheduleId?.toLowerCase() === address) ?? value[position];
      const calendarId = calendars[calendarIndex] as string;
      if (info === undefined) {
        throw new ProviderError(`${PROVIDER}: getSchedule returned nothing for ${calendarId}`, { provider: PROVIDER, operation: 'getSchedule' });
      }
      if (info.error) throw scheduleError(calendarId, info.error);
      busy.set(calendarIndex, busyOf(info, request.range));
    });
  }
  return calendars.map((calendarId, index) => ({
    calendarId,
    busy: (busy.get(index) ?? []).sort((a, b) => a.start.getTime() - b.start.getTime()),
  }));
}
