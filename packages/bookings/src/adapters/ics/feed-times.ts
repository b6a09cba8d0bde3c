import ICAL from 'ical.js';
import type { Logger } from '@almanac/core';
import type { EventTime } from '../../spec';
import { IntlTimezone } from './ical-zones';
import { civilDate } from './zones';
import type { ZoneMath } from './zones';

/** Converts ical.js times of one feed into instants and {@link EventTime}s. */
export interface FeedTimes {
  /** Zone of floating times and all-day dates: `X-WR-TIMEZONE`, else `defaultTimeZone`, else `UTC`. */
  readonly calendarZone: string;
  /** The instant `time` stands for; a date stands for its midnight in the calendar zone. */
  instant(time: ICAL.Time): number;
  /** `YYYY-MM-DD` of a date (or of the wall-clock date of a date-time). */
  date(time: ICAL.Time): string;
  /** The IANA zone `time` is labelled with. */
  zoneOf(time: ICAL.Time): string;
  /** `{ date }` for a date, `{ dateTime, timeZone }` otherwise. */
  eventTime(time: ICAL.Time): EventTime;
  /** Midnight of civil date `date` in the calendar zone. */
  startOfDate(date: string): number;
}

/** Creates the converters of one feed. */
export function createFeedTimes(zones: ZoneMath, calendarZone: string, logger: Logger): FeedTimes {
  const labels = new Map<string, string>();
  const utc = ICAL.Timezone.utcTimezone;
  const floating = ICAL.Timezone.localTimezone;

  const isFloating = (time: ICAL.Time) => time.zone === floating || time.zone === undefined || time.zone === null;

  const zoneOf = (time: ICAL.Time): string => {
    if (time.zone === utc) return 'UTC';
    if (isFloating(time)) return calendarZone;
    const zone = time.zone;
    if (zone instanceof IntlTimezone) return zone.iana;
    const tzid = zone.tzid;
    let label = labels.get(tzid);
    if (label === undefined) {
      const location = zone.component?.getFirstPropertyValue('x-lic-location');
      label = zones.ianaName(tzid) ?? (typeof location === 'string' ? zones.ianaName(location) : undefined);
      if (label === undefined) {
        // The VTIMEZONE still gives the right instants; only the display zone is a guess.
        logger.warn('ics: TZID is not an IANA or Windows zone; labelling its times with the calendar zone', {
          tzid,
          calendarZone,
        });
        label = calendarZone;
      }
      labels.set(tzid, label);
    }
    return label;
  };

  const date = (time: ICAL.Time) => civilDate(time.year, time.month, time.day);
  const dayStart = (value: string) => zones.startOfDate(value, calendarZone);

  const instant = (time: ICAL.Time): number => {
    if (time.isDate) return dayStart(date(time));
    if (time.zone === utc) return Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
    if (isFloating(time)) {
      const { year, month, day, hour, minute, second } = time;
      return zones.wallToInstant({ year, month, day, hour, minute, second }, calendarZone);
    }
    return Math.round(time.toUnixTime() * 1000);
  };

  const eventTime = (time: ICAL.Time): EventTime =>
    time.isDate ? { date: date(time) } : { dateTime: new Date(instant(time)), timeZone: zoneOf(time) };

  return { calendarZone, instant, date, zoneOf, eventTime, startOfDate: dayStart };
}
