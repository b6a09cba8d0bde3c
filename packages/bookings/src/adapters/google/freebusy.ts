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

/** `source` label of Google busy blocks: free/busy never reveals titles. */
export const GOOGLE_BUSY_SOURCE = 'Google Calendar';

const DAY_MS = 86_400_000;

interface FreeBusyResponse {
  calendars?: Record<string, { busy?: Array<{ start?: string; end?: string }>; errors?: Array<{ domain?: string; reason?: string }> }>;
}

function chunk<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < values.length; index += size) chunks.push(values.slice(index, index + size));
  return chunks;
}

/** Splits `[start, end)` into consecutive pieces of at most `maxDays`. */
export function splitRange(start: Date, end: Date, maxDays: number): Array<{ start: Date; end: Date }> {
  const pieces: Array<{ start: Date; end: Date }> = [];
  const step = maxDays * DAY_MS;
  for (let from = start.getTime(); from < end.getTime(); from += step) {
    pieces.push({ start: new Date(from), end: new Date(Math.min(from + step, end.getTime())) });
  }
  return pieces;
}

function mergeBusy(blocks: BusyInterval[]): BusyInterval[] {
  blocks.sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: BusyInterval[] = [];
  for (const block of blocks) {
    const last = merged[merged.length - 1];
    // Range splitting cuts a block in two at the seam; glue it back.
    if (last && block.start.getTime() <= last.end.getTime()) {
      if (block.end.getTime() > last.end.getTime()) merged[merged.length - 1] = { ...last, end: block.end };
    } else {
      merged.push(block);
    }
  }
  return merged;
}

/**
 * Busy time via `freebusy.query`, split into ≤ 50 calendars × ≤ 60 days per request.
 * A calendar Google reports as `notFound` (also what it says for calendars the user cannot
 * see) throws `NotFoundError` naming it; other per-calendar errors (`backendError`,
 * `internalError`) throw a retryable `ProviderError` so the request is retried.
 */
export async function googleFreeBusy(context: GoogleContext, request: FreeBusyRequest): Promise<FreeBusyResult[]> {
  const calendars = request.calendars && request.calendars.length > 0 ? [...request.calendars] : ['primary'];
  const busy = new Map<string, BusyInterval[]>(calendars.map((id) => [id, []]));
  const ranges = splitRange(request.range.start, request.range.end, GOOGLE_MAX_FREEBUSY_RANGE_DAYS);
  for (const group of chunk(calendars, GOOGLE_MAX_FREEBUSY_CALENDARS)) {
    for (const range of ranges) {
      const requestBody = {
        timeMin: range.start.toISOString(),
        timeMax: range.end.toISOString(),
        timeZone: 'UTC',
        items: group.map((id) => ({ id })),
      };
      await callGoogle(
        context,
        'freebusy.query',
        async (client, options) => {
          const response = await client.freebusy.query({ requestBody }, options);
          collect(response.data as FreeBusyResponse, group, busy);
          return response;
        },
        { idempotent: true, signal: request.signal },
      );
    }
  }
  return calendars.map((calendarId) => ({ calendarId, busy: mergeBusy(busy.get(calendarId) ?? []) }));
}

function collect(data: FreeBusyResponse, group: readonly string[], busy: Map<string, BusyInterval[]>): void {
  // Check every calendar before recording any, so a retried request never double-counts.
  for (const calendarId of group) {
    const entry = data.calendars?.[calendarId];
    const reasons = (entry?.errors ?? []).map((error) => error.reason ?? 'unknown');
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
  }
  for (const calendarId of group) {
    const target = busy.get(calendarId);
    for (const block of data.calendars?.[calendarId]?.busy ?? []) {
      if (!block.start || !block.end) continue;
      target?.push({ start: new Date(block.start), end: new Date(block.end), source: GOOGLE_BUSY_SOURCE });
    }
  }
}
