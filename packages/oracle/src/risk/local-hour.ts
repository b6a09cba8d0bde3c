// Local hour of day of an instant in an IANA zone, via the time module's zone timelines. Login
// streams are nearly time-ordered and share a handful of zones, so each zone keeps its offset
// table in fixed chunks of time and remembers the chunk it used last: after warm-up a
// conversion is a map lookup and a binary search over at most a couple of transitions.
import { timeZone } from '../validate';
import { DAY_MS } from '../time/civil';
import { buildZoneTimeline, isFixedUtc, offsetAt, type ZoneTimeline } from '../time/timeline';

const HOUR_MS = 3_600_000;
const CHUNK_MS = 64 * DAY_MS;
// Intl refuses instants beyond ±8.64e15 ms (the ECMAScript Date range).
const DATE_LIMIT_MS = 8.64e15;
// Caps keep adversarial inputs (many zones, instants scattered over millennia) from growing the
// caches without bound; dropping entries only costs recomputation, never changes results.
const MAX_ZONES = 512;
const MAX_CHUNKS_PER_ZONE = 2048;

/** Offset lookup for one zone, memoised by chunk of time. */
export class ZoneClock {
  private readonly chunks = new Map<number, ZoneTimeline>();
  private lastChunk = Number.NaN;
  private lastTimeline: ZoneTimeline | undefined;
  private readonly utc: boolean;

  /** `zone` must already be validated. */
  constructor(readonly zone: string) {
    this.utc = isFixedUtc(zone);
  }

  /** Local hour of day in [0, 24), with minutes as the fraction. */
  hourOf(t: number): number {
    const local = this.utc ? t : t + this.offsetAt(t);
    // Floor division instead of `%`: floating-point remainder is several times slower.
    return (local - Math.floor(local / DAY_MS) * DAY_MS) / HOUR_MS;
  }

  private offsetAt(t: number): number {
    const chunk = Math.floor(t / CHUNK_MS);
    let timeline = chunk === this.lastChunk ? this.lastTimeline : this.chunks.get(chunk);
    if (timeline === undefined) {
      if (this.chunks.size >= MAX_CHUNKS_PER_ZONE) this.chunks.clear();
      const from = Math.max(-DATE_LIMIT_MS, chunk * CHUNK_MS);
      const to = Math.min(DATE_LIMIT_MS, (chunk + 1) * CHUNK_MS);
      timeline = buildZoneTimeline(this.zone, from, to);
      this.chunks.set(chunk, timeline);
    }
    this.lastChunk = chunk;
    this.lastTimeline = timeline;
    return offsetAt(timeline, t);
  }
}

const clocks = new Map<string, ZoneClock>();

/** The clock of an already validated zone name, if cached. */
export function knownZoneClock(value: unknown): ZoneClock | undefined {
  return typeof value === 'string' ? clocks.get(value) : undefined;
}

/** The clock of a zone name, validating the name the first time it is seen (`validate.timeZone` costs a formatter). */
export function zoneClock(field: string, value: unknown): ZoneClock {
  const known = knownZoneClock(value);
  if (known !== undefined) return known;
  const zone = timeZone(field, value);
  if (clocks.size >= MAX_ZONES) clocks.clear();
  const clock = new ZoneClock(zone);
  clocks.set(zone, clock);
  return clock;
}
