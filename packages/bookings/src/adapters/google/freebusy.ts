import { NotFoundError, ProviderError } from '@almanac/core';
import type { BusyInterval, FreeBusyRequest, FreeBusyResult } from '../../spec';
import { callGoogle } from './call';
import type { GoogleContext } from './call';
import { GOOGLE_PROVIDER } from './errors';

/**
 * `freebusy.query` accepts at most 50 calendars (`items`) per request.
 *
 * @internal
 */
export const GOOGLE_MAX_FREEBUSY_CALENDARS = 50;

/**
 * Longest range per `freebusy.query`, in days. Google does not document the limit but
 * rejects long ranges with `400 timeRangeTooLong`; reports put the cut-off around three
 * months, so 60 days leaves margin on every calendar while still covering two months in
 * one call.
 *
 * @internal
 */
export const GOOGLE_MAX_FREEBUSY_RANGE_DAYS = 60;

/**
 * Most member calendars Google lists per group (`groupExpansionMax`), the documented maximum:
 * a larger group comes back with the error `groupTooBig` and no members.
 * https://developers.google.com/workspace/calendar/api/v3/reference/freebusy/query
 *
 * @internal
 */
export const GOOGLE_GROUP_EXPANSION_MAX = 100;

/** `source` label of Google busy blocks: free/busy never reveals titles. */
export const GOOGLE_BUSY_SOURCE = 'Google Calendar';

interface GoogleError {
  domain?: string | undefined;
  reason?: string | undefined;
}

interface FreeBusyResponse {
  calendars?: Record<string, { busy?: Array<{ start?: string | undefined; end?: string | undefined }> | undefined; errors?: GoogleError[] | undefined }> | undefined;
  groups?: Record<string, { calendars?: string[] | undefined; errors?: GoogleError[] | undefined }> | undefined;
}

/**
 * Busy time via one `freebusy.query` (the facade splits requests to
 * `maxFreeBusyCalendars` × `maxFreeBusyRangeDays`, so the adapter never does).
 *
 * A requested id may be a Google Group address: Google then lists it under `groups` with its
 * members' calendar ids, whose busy time comes under `calendars`. The group's result is the
 * union of its members' busy time, with `members` naming them; a group Google could not
 * expand (`groupTooBig` beyond {@link GOOGLE_GROUP_EXPANSION_MAX} members, or any other group
 * error) comes back with `unavailable` instead of failing the whole query, because its busy
 * time is unknown, not empty. A calendar Google reports as `notFound` (also what it says for
 * calendars the user cannot see) throws `NotFoundError` naming it; other per-calendar errors
 * (`backendError`, `internalError`) throw a retryable `ProviderError` so the request is retried.
 */
export async function googleFreeBusy(context: GoogleContext, request: FreeBusyRequest): Promise<FreeBusyResult[]> {
  const calendars = request.calendars && request.calendars.length > 0 ? [...request.calendars] : ['primary'];
  const requestBody = {
    timeMin: request.range.start.toISOString(),
    timeMax: request.range.end.toISOString(),
    timeZone: 'UTC',
    groupExpansionMax: GOOGLE_GROUP_EXPANSION_MAX,
    items: calendars.map((id) => ({ id })),
  };
  let results: FreeBusyResult[] = [];
  await callGoogle(
    context,
    'freebusy.query',
    async (client, options) => {
      const response = await client.freebusy.query({ requestBody }, options);
      // Read inside the call, so a per-calendar backendError is retried like a failed request.
      results = collect(response.data as FreeBusyResponse, calendars);
      return response;
    },
    { idempotent: true, signal: request.signal },
  );
  return results;
}

const reasonsOf = (errors: readonly GoogleError[] | undefined): string[] => (errors ?? []).map((error) => error.reason ?? 'unknown');

function calendarBusy(data: FreeBusyResponse, calendarId: string): BusyInterval[] {
  const entry = data.calendars?.[calendarId];
  const reasons = reasonsOf(entry?.errors);
  if (reasons.includes('notFound')) {
    throw new NotFoundError(`google: calendar "${calendarId}" was not found or is not shared with this account`, {
      provider: GOOGLE_PROVIDER,
      operation: 'freebusy.query',
    });
  }
  if (!entry || reasons.length > 0) {
    throw new ProviderError(
      `google: freebusy.query returned no busy data for "${calendarId}"${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`,
      { provider: GOOGLE_PROVIDER, operation: 'freebusy.query', retryable: true },
    );
  }
  const busy: BusyInterval[] = [];
  for (const block of entry.busy ?? []) {
    if (!block.start || !block.end) continue;
    busy.push({ start: new Date(block.start), end: new Date(block.end), source: GOOGLE_BUSY_SOURCE });
  }
  return busy;
}

function collect(data: FreeBusyResponse, calendars: readonly string[]): FreeBusyResult[] {
  return calendars.map((calendarId): FreeBusyResult => {
    const group = data.groups?.[calendarId];
    if (group === undefined || data.calendars?.[calendarId] !== undefined) return { calendarId, busy: sortBusy(calendarBusy(data, calendarId)) };
    const reasons = reasonsOf(group.errors);
    if (reasons.length > 0) {
      return {
        calendarId,
        busy: [],
        unavailable: {
          reason: reasons.join(', '),
          message:
            reasons.includes('groupTooBig')
              ? `google: group "${calendarId}" has more than ${GOOGLE_GROUP_EXPANSION_MAX} members and could not be expanded; query its members directly`
              : `google: group "${calendarId}" could not be expanded (${reasons.join(', ')})`,
        },
      };
    }
    const members = group.calendars ?? [];
    const busy: BusyInterval[] = [];
    const unreadable: string[] = [];
    for (const member of members) {
      // A member Google could not read leaves the group's busy time incomplete: reported, not thrown.
      if (reasonsOf(data.calendars?.[member]?.errors).length > 0 || data.calendars?.[member] === undefined) unreadable.push(member);
      else busy.push(...calendarBusy(data, member));
    }
    return {
      calendarId,
      busy: sortBusy(busy),
      members,
      ...(unreadable.length > 0
        ? { unavailable: { reason: 'memberErrors', message: `google: busy time of ${unreadable.length} member(s) of group "${calendarId}" is unknown`, members: unreadable } }
        : {}),
    };
  });
}

const sortBusy = (busy: BusyInterval[]): BusyInterval[] => busy.sort((a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime());
