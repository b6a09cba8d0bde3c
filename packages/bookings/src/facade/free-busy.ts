import { DAY_MS } from '@almanac/oracle/time';
import type { BusyInterval, CalendarCapabilities, FreeBusyResult, FreeBusyUnavailable, TimeRange } from '../spec';

/** One provider call of a split free/busy request. */
export interface FreeBusyChunk {
  /** Calendars of this call; `undefined` asks for the provider's primary calendar. */
  readonly calendars: readonly string[] | undefined;
  /** Range of this call. */
  readonly range: TimeRange;
}

/**
 * Splits a request into calls of at most `maxFreeBusyCalendars` calendars ×
 * `maxFreeBusyRangeDays` days (calendar chunks outermost).
 */
export function planFreeBusy(
  calendars: readonly string[] | undefined,
  range: TimeRange,
  capabilities: Pick<CalendarCapabilities, 'maxFreeBusyCalendars' | 'maxFreeBusyRangeDays'>,
): FreeBusyChunk[] {
  const perCall = Math.max(1, Math.floor(capabilities.maxFreeBusyCalendars));
  const sliceMs = Math.max(1, capabilities.maxFreeBusyRangeDays) * DAY_MS;
  const groups: Array<readonly string[] | undefined> = [];
  if (calendars === undefined) groups.push(undefined);
  else for (let i = 0; i < calendars.length; i += perCall) groups.push(calendars.slice(i, i + perCall));
  const slices: TimeRange[] = [];
  const end = range.end.getTime();
  for (let start = range.start.getTime(); start < end; start += sliceMs) {
    slices.push({ start: new Date(start), end: new Date(Math.min(start + sliceMs, end)) });
  }
  return groups.flatMap((group) => slices.map((slice) => ({ calendars: group, range: slice })));
}

/**
 * Runs `task` over `items` with at most `limit` in flight, results in input order. After the
 * first failure no further item starts, and the failure is what rejects.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Merges chunk results into one result per calendar: requested calendars first in the order
 * asked (empty when nothing came back), then any others the provider added (its primary).
 * A group's `members` are united over the chunks and its `unavailable` mark kept.
 * Blocks are clipped to the range, sorted, and merged where they overlap — or touch with the
 * same source, which is how one event split at a chunk boundary comes back. A merged block
 * keeps `source` only when all its parts agree.
 */
export function mergeFreeBusy(
  requested: readonly string[] | undefined,
  range: TimeRange,
  results: readonly (readonly FreeBusyResult[])[],
): FreeBusyResult[] {
  interface Parts {
    busy: (readonly BusyInterval[])[];
    members?: Set<string> | undefined;
    unavailable?: FreeBusyUnavailable | undefined;
  }
  const byCalendar = new Map<string, Parts>();
  for (const id of requested ?? []) byCalendar.set(id, { busy: [] });
  for (const chunk of results) {
    for (const result of chunk) {
      let parts = byCalendar.get(result.calendarId);
      if (parts === undefined) {
        parts = { busy: [] };
        byCalendar.set(result.calendarId, parts);
      }
      parts.busy.push(result.busy);
      // A group split over several time slices: its members are the union, and one slice it
      // could not be read in makes the whole answer incomplete.
      if (result.members !== undefined) {
        const members = parts.members ?? new Set<string>();
        for (const member of result.members) members.add(member);
        parts.members = members;
      }
      if (result.unavailable !== undefined && parts.unavailable === undefined) parts.unavailable = result.unavailable;
    }
  }
  const from = range.start.getTime();
  const to = range.end.getTime();
  return [...byCalendar].map(([calendarId, parts]) => ({
    calendarId,
    busy: mergeBusy(parts.busy.length === 1 ? (parts.busy[0] as readonly BusyInterval[]) : parts.busy.flat(), { start: from, end: to }),
    ...(parts.members !== undefined ? { members: [...parts.members] } : {}),
    ...(parts.unavailable !== undefined ? { unavailable: parts.unavailable } : {}),
  }));
}

const byStartThenEnd = (a: BusyInterval, b: BusyInterval) =>
  a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime();

/**
 * Sorts busy blocks, clips them to `clip` (epoch ms) when given, and merges overlapping ones
 * (the rules `createCalendar` applies to free/busy answers). Blocks that need no change are returned as they are, and
 * input that is already sorted is not copied: a provider's answer usually is, and calendars
 * with thousands of events make those allocations the cost of a free/busy call.
 */
export function mergeBusy(blocks: readonly BusyInterval[], clip?: { start: number; end: number }): BusyInterval[] {
  let sorted = true;
  for (let i = 1; i < blocks.length && sorted; i++) {
    if (byStartThenEnd(blocks[i - 1] as BusyInterval, blocks[i] as BusyInterval) > 0) sorted = false;
  }
  const list = sorted ? blocks : [...blocks].sort(byStartThenEnd);
  const from = clip?.start ?? Number.NEGATIVE_INFINITY;
  const to = clip?.end ?? Number.POSITIVE_INFINITY;
  const out: BusyInterval[] = [];
  // The merged block being built, and the input block whose end it currently ends at: its
  // Date objects are reused, so merging allocates only where clipping made a new instant.
  let first: BusyInterval | undefined;
  let last: BusyInterval | undefined;
  let start = 0;
  let end = 0;
  let source: string | undefined;
  let mixed = false;
  const flush = () => {
    if (first === undefined || last === undefined) return;
    if (first === last && start === first.start.getTime() && end === first.end.getTime()) {
      out.push(first);
      return;
    }
    const block = {
      start: start === first.start.getTime() ? first.start : new Date(start),
      end: end === last.end.getTime() ? last.end : new Date(end),
    };
    out.push(source === undefined || mixed ? block : { ...block, source });
  };
  for (const block of list) {
    const blockStart = block.start.getTime();
    const blockEnd = block.end.getTime();
    const s = blockStart < from ? from : blockStart;
    const e = blockEnd > to ? to : blockEnd;
    if (e <= s) continue;
    if (first !== undefined && (s < end || (s === end && !mixed && block.source === source))) {
      if (e > end) {
        end = e;
        last = block;
      }
      if (block.source !== source) mixed = true;
      continue;
    }
    flush();
    first = block;
    last = block;
    start = s;
    end = e;
    source = block.source;
    mixed = false;
  }
  flush();
  return out;
}
