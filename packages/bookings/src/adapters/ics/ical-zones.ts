import ICAL from 'ical.js';
import type { ZoneMath } from './zones';

/**
 * An ical.js zone whose offsets come from `Intl`. Used for a `TZID` that names an IANA
 * (or Windows) zone but has no `VTIMEZONE` block in the feed, so recurrence expansion,
 * `EXDATE` matching and UTC conversion all see the real offsets instead of ical.js's
 * fallback, which would treat the time as floating.
 */
export class IntlTimezone extends ICAL.Timezone {
  /** The IANA zone the offsets come from. */
  readonly iana: string;
  readonly #zones: ZoneMath;

  /** Creates a zone for `tzid` (as written in the feed) backed by the IANA zone `iana`. */
  constructor(tzid: string, iana: string, zones: ZoneMath) {
    super({ tzid });
    this.iana = iana;
    this.#zones = zones;
  }

  /** Offset in seconds of the wall-clock time `tt` read in this zone. */
  override utcOffset(tt: ICAL.Time): number {
    const wall = { year: tt.year, month: tt.month, day: tt.day, hour: tt.hour, minute: tt.minute, second: tt.second };
    const instant = this.#zones.wallToInstant(wall, this.iana);
    const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
    return (asUtc - instant) / 1000;
  }
}

/**
 * Root `VCALENDAR` component that resolves a `TZID` from the feed's own `VTIMEZONE`
 * blocks first and from `Intl` second. Resolution stays per feed: ical.js's
 * `TimezoneService` is process-wide, so registering zones there would let one feed's
 * (possibly wrong) definitions leak into every other feed parsed in the process.
 */
export class FeedRoot extends ICAL.Component {
  readonly #zones: ZoneMath;
  readonly #onUnknownZone: (tzid: string) => void;
  readonly #intlZones = new Map<string, IntlTimezone | null>();

  /** Wraps a parsed `VCALENDAR` jCal; `onUnknownZone` hears of each TZID neither the feed nor Intl knows. */
  constructor(jCal: unknown[], zones: ZoneMath, onUnknownZone: (tzid: string) => void) {
    super(jCal);
    this.#zones = zones;
    this.#onUnknownZone = onUnknownZone;
  }

  /** The zone for `tzid`: its `VTIMEZONE` when the feed has one, else an Intl-backed zone, else `null`. */
  override getTimeZoneByID(tzid: string): ICAL.Timezone {
    const defined = super.getTimeZoneByID(tzid) as ICAL.Timezone | null;
    if (defined) return defined;
    let zone = this.#intlZones.get(tzid);
    if (zone === undefined) {
      const iana = this.#zones.ianaName(tzid);
      zone = iana === undefined ? null : new IntlTimezone(tzid, iana, this.#zones);
      this.#intlZones.set(tzid, zone);
      if (zone === null) this.#onUnknownZone(tzid);
    }
    // ical.js declares a non-null return but handles null (unknown zone) itself.
    return zone as ICAL.Timezone;
  }
}
