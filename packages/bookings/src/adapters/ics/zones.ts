import { createZoneOffsetReader, DAY_MS, formatDate, startOfDayInZone, wallMsToInstantMs, type ZoneOffsetReader } from '@almanac/oracle/time';
import { WINDOWS_ZONES } from '../../time/windows-zones';

/** A wall-clock reading with no zone attached. */
export interface WallTime {
  /** Year. */
  readonly year: number;
  /** Month, 1–12. */
  readonly month: number;
  /** Day of the month. */
  readonly day: number;
  /** Hour, 0–23. */
  readonly hour: number;
  /** Minute. */
  readonly minute: number;
  /** Second. */
  readonly second: number;
}

/** Zone arithmetic through `Intl`, with offset readers cached per instance (never per module). */
export interface ZoneMath {
  /**
   * The IANA name a feed's zone id stands for: the id itself when Intl knows it (spelled as
   * written), a Windows id through {@link WINDOWS_ZONES}, or the IANA tail of a vendor-prefixed
   * id such as `/mozilla.org/20050126_1/America/New_York`. `undefined` when none applies.
   */
  ianaName(name: string): string | undefined;
  /**
   * The instant a wall-clock time in `zone` stands for. Times skipped by a DST gap are
   * read with the offset in force before the gap, and repeated times take their first
   * occurrence, as RFC 5545 §3.3.5 prescribes.
   */
  wallToInstant(wall: WallTime, zone: string): number;
  /** Midnight starting civil date `date` (`YYYY-MM-DD`) in `zone`. */
  startOfDate(date: string, zone: string): number;
}

/** Creates a {@link ZoneMath}. */
export function createZoneMath(): ZoneMath {
  const readers = new Map<string, ZoneOffsetReader>();
  const names = new Map<string, string | undefined>();

  const reader = (zone: string): ZoneOffsetReader => {
    let found = readers.get(zone);
    if (found === undefined) {
      found = createZoneOffsetReader(zone);
      readers.set(zone, found);
    }
    return found;
  };

  const validName = (name: string): string | undefined => {
    try {
      const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
      // Keep the feed's spelling: ICU canonicalises to legacy names (Asia/Kolkata → Asia/Calcutta).
      return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
    } catch {
      return undefined;
    }
  };

  const resolve = (name: string): string | undefined => {
    const trimmed = name.trim().replace(/^"(.*)"$/, '$1');
    if (trimmed === '') return undefined;
    if (/^z$/i.test(trimmed)) return 'UTC';
    const direct = validName(trimmed);
    if (direct !== undefined) return direct;
    const windows = WINDOWS_ZONES[trimmed];
    if (windows !== undefined) return validName(windows);
    const segments = trimmed.split('/').filter((segment) => segment !== '');
    for (let i = 1; i < segments.length - 1; i++) {
      const candidate = validName(segments.slice(i).join('/'));
      if (candidate !== undefined) return candidate;
    }
    return undefined;
  };

  return {
    ianaName(name) {
      if (!names.has(name)) names.set(name, resolve(name));
      return names.get(name);
    },
    wallToInstant(wall, zone) {
      const wallMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
      return wallMsToInstantMs(wallMs, reader(zone), 'compatible');
    },
    startOfDate(date, zone) {
      return startOfDayInZone(date, reader(zone)).getTime();
    },
  };
}

/** `YYYY-MM-DD` of a civil date. */
export function civilDate(year: number, month: number, day: number): string {
  return formatDate({ year, month, day });
}

/** Whole days from civil date `from` to `to` (`YYYY-MM-DD`). */
export function daysBetween(from: string, to: string): number {
  const utc = (date: string) => {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    return Date.UTC(year, month - 1, day);
  };
  return Math.round((utc(to) - utc(from)) / DAY_MS);
}
