import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSlots } from '../src/slots';
import type { Slot, SlotParticipant, SlotRequest, WeeklyWindow } from '../src/slots';

// ---------------------------------------------------------------------------------------------
// Brute-force reference, independent of the implementation: it asks Intl directly for local
// wall times, checks every step-aligned start against every busy interval, and tests working
// hours by walking the raw windows of every nearby local date.
// ---------------------------------------------------------------------------------------------

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallOf(zone: string, t: number): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']! % 24, p['minute']!, p['second']!);
}

// Documented rule: a wall time maps to the first instant at which the local clock shows it or later.
const wallToInstantCache = new Map<string, number>();
function refInstant(zone: string, wall: number): number {
  const key = `${zone}|${wall}`;
  const hit = wallToInstantCache.get(key);
  if (hit !== undefined) return hit;
  const offsets = new Set<number>();
  for (let t = wall - 2 * DAY; t <= wall + 2 * DAY; t += HOUR) offsets.add(wallOf(zone, t) - t);
  const exact = [...offsets].map((o) => wall - o).filter((t) => wallOf(zone, t) === wall);
  let result: number;
  if (exact.length > 0) {
    result = Math.min(...exact);
  } else {
    // In a gap: scan minute by minute for the first instant showing a later time.
    const lo = wall - Math.max(...offsets);
    const hi = wall - Math.min(...offsets);
    result = Number.NaN;
    for (let t = lo; t <= hi; t += MIN) {
      if (wallOf(zone, t) >= wall) {
        result = t;
        break;
      }
    }
  }
  wallToInstantCache.set(key, result);
  return result;
}

const hhmm = (s: string) => (s === '24:00' ? 1440 : Number(s.slice(0, 2)) * 60 + Number(s.slice(3)));

// Raw window instants of every local date touching [from, to]; deliberately unmerged.
function refWindows(zone: string, windows: readonly WeeklyWindow[], from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const firstDate = Math.floor(wallOf(zone, from) / DAY) - 2;
  const lastDate = Math.floor(wallOf(zone, to) / DAY) + 2;
  for (let d = firstDate; d <= lastDate; d++) {
    const dow = new Date(d * DAY).getUTCDay();
    for (const w of windows) {
      if (w.day !== dow) continue;
      out.push([refInstant(zone, d * DAY + hhmm(w.start) * MIN), refInstant(zone, d * DAY + hhmm(w.end) * MIN)]);
    }
  }
  return out;
}

// Is [s, e) covered by the union of the windows? Walk forward through any window containing the cursor.
function covered(windows: ReadonlyArray<[number, number]>, s: number, e: number): boolean {
  let cursor = s;
  for (;;) {
    if (cursor >= e) return true;
    const w = windows.find(([a, b]) => a <= cursor && cursor < b);
    if (!w) return false;
    cursor = w[1];
  }
}

function refPenalty(localMinute: number): number {
  const d =
    localMinute < 480
      ? Math.min(480 - localMinute, localMinute + 360)
      : localMinute > 1080
        ? Math.min(localMinute - 1080, 1440 - localMinute + 480)
        : 0;
  return Math.min(d / 360, 1);
}

interface RefSlot {
  start: number;
  score: number;
  attendees: string[];
  missing: string[];
}

function referenceSlots(req: SlotRequest): RefSlot[] {
  const from = Date.parse(req.range.start as string);
  const to = Date.parse(req.range.end as string);
  const step = (req.stepMinutes ?? 15) * MIN;
  const dur = req.durationMinutes * MIN;
  const buf = (req.bufferMinutes ?? 0) * MIN;
  const earliest = req.now ? req.now.getTime() + (req.minNoticeMinutes ?? 0) * MIN : from;
  const people = req.participants.map((p) => {
    const zone = p.timeZone ?? 'UTC';
    return {
      p,
      zone,
      busy: p.busy.map((b) => [Date.parse(b.start as string), Date.parse(b.end as string)] as const),
      hours: p.workingHours?.length ? refWindows(zone, p.workingHours, from, to) : undefined,
      pref: p.preferredHours?.length ? refWindows(zone, p.preferredHours, from, to) : undefined,
    };
  });
  const out: RefSlot[] = [];
  for (let s = Math.ceil(from / step) * step; s + dur <= to; s += step) {
    if (s < earliest) continue;
    const e = s + dur;
    const free = people.map(
      (x) =>
        x.busy.every(([bs, be]) => be === bs || !(s < be + buf && bs - buf < e)) && (!x.hours || covered(x.hours, s, e)),
    );
    if (people.some((x, i) => !x.p.optional && !free[i])) continue;
    let comfort = 0;
    let n = 0;
    let optionalPresent = 0;
    people.forEach((x, i) => {
      if (!free[i]) return;
      n++;
      if (x.p.optional) optionalPresent++;
      const pref = x.pref ? (covered(x.pref, s, e) ? 1 : 0) : 0.5;
      const mid = s + dur / 2;
      const localMinute = (((wallOf(x.zone, mid) % DAY) + DAY) % DAY) / MIN + ((mid % 1000) / MIN);
      comfort += (pref + 1 - refPenalty(localMinute)) / 2;
    });
    out.push({
      start: s,
      score: optionalPresent + (n ? comfort / n / 2 : 0),
      attendees: people.filter((_, i) => free[i]).map((x) => x.p.id),
      missing: people.filter((_, i) => !free[i]).map((x) => x.p.id),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generators: small requests around DST changes in several zones.
// ---------------------------------------------------------------------------------------------

const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata'];
// DST change days paired with their zone (US, EU and Sydney spring/fall), and a plain day.
const BASES: Array<[string, string]> = [
  ['2024-03-10', 'America/New_York'],
  ['2024-11-03', 'America/New_York'],
  ['2024-03-31', 'Europe/London'],
  ['2024-10-27', 'Europe/London'],
  ['2024-04-07', 'Australia/Sydney'],
  ['2024-10-06', 'Australia/Sydney'],
  ['2024-06-15', 'Asia/Kolkata'],
];
const pad = (n: number) => String(n).padStart(2, '0');
const toHHmm = (halfHours: number) => (halfHours === 48 ? '24:00' : `${pad(Math.floor(halfHours / 2))}:${halfHours % 2 ? '30' : '00'}`);

// Window edges are biased toward 00:00–03:30, where DST changes happen in the chosen zones.
const edgeArb = fc.oneof(fc.integer({ min: 0, max: 47 }), fc.integer({ min: 0, max: 7 }));
const windowArb: fc.Arbitrary<WeeklyWindow[]> = fc
  .tuple(edgeArb, fc.oneof(fc.integer({ min: 1, max: 48 }), fc.integer({ min: 1, max: 4 })), fc.integer({ min: 0, max: 6 }), fc.boolean())
  .map(([a, len, day, allDays]) => {
    const start = a;
    const end = Math.min(48, a + len);
    const days = allDays ? [0, 1, 2, 3, 4, 5, 6] : [day, (day + 1) % 7];
    return days.map((d) => ({ day: d, start: toHHmm(start), end: toHHmm(end) }));
  });
const scheduleArb = fc.option(
  fc.array(windowArb, { minLength: 1, maxLength: 3 }).map((ws) => ws.flat()),
  { nil: undefined, freq: 3 },
);

const requestArb: fc.Arbitrary<SlotRequest> = fc
  .constantFrom(...BASES)
  .chain(([day, dstZone]) =>
    fc.record({
    base: fc.constant(Date.parse(`${day}T00:00:00Z`)),
    startOffset: fc.integer({ min: -36 * 60, max: 12 * 60 }),
    lengthMinutes: fc.integer({ min: 0, max: 72 * 60 }),
    durationMinutes: fc.constantFrom(15, 20, 30, 45, 60, 90, 150),
    stepMinutes: fc.constantFrom(5, 15, 20, 30, 60, 45),
    bufferMinutes: fc.constantFrom(0, 0, 5, 15, 30),
    notice: fc.option(fc.tuple(fc.integer({ min: -120, max: 24 * 60 }), fc.option(fc.integer({ min: 0, max: 180 }), { nil: undefined }))),
    maxResults: fc.constant(100_000),
    participants: fc.array(
      fc.record({
        zone: fc.oneof({ arbitrary: fc.constant(dstZone), weight: 2 }, { arbitrary: fc.constantFrom(...ZONES), weight: 1 }),
        optional: fc.boolean(),
        busy: fc.array(fc.tuple(fc.integer({ min: -6 * 60, max: 78 * 60 }), fc.integer({ min: 0, max: 240 })), { maxLength: 5 }),
        workingHours: scheduleArb,
        preferredHours: scheduleArb,
      }),
      { minLength: 1, maxLength: 4 },
    ),
    }),
  )
  .map((r) => {
    const from = r.base + r.startOffset * MIN;
    const isoAt = (t: number) => new Date(t).toISOString();
    const req: SlotRequest = {
      range: { start: isoAt(from), end: isoAt(from + r.lengthMinutes * MIN) },
      durationMinutes: r.durationMinutes,
      stepMinutes: r.stepMinutes,
      bufferMinutes: r.bufferMinutes,
      maxResults: r.maxResults,
      participants: r.participants.map((p, i): SlotParticipant => {
        const participant: SlotParticipant = {
          id: `p${i}`,
          timeZone: p.zone,
          optional: p.optional,
          busy: p.busy.map(([at, len]) => ({ start: isoAt(from + at * MIN), end: isoAt(from + (at + len) * MIN) })),
        };
        if (p.workingHours) participant.workingHours = p.workingHours;
        if (p.preferredHours) participant.preferredHours = p.preferredHours;
        return participant;
      }),
    };
    if (r.notice) {
      req.now = new Date(from + r.notice[0] * MIN);
      if (r.notice[1] !== undefined) req.minNoticeMinutes = r.notice[1];
    }
    return req;
  });

function assertSorted(slots: readonly Slot[]): void {
  for (let i = 1; i < slots.length; i++) {
    const a = slots[i - 1]!;
    const b = slots[i]!;
    expect(a.score > b.score || (a.score === b.score && a.start.getTime() < b.start.getTime())).toBe(true);
  }
}

describe('findSlots properties', () => {
  it('matches the brute-force reference on starts, attendees, missing and score', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        const got = findSlots(req);
        const want = referenceSlots(req);
        expect(got.map((s) => s.start.getTime()).sort((a, b) => a - b)).toEqual(want.map((s) => s.start));
        const byStart = new Map(want.map((w) => [w.start, w]));
        for (const s of got) {
          const w = byStart.get(s.start.getTime())!;
          expect(s.attendees).toEqual(w.attendees);
          expect(s.missing).toEqual(w.missing);
          expect(s.score).toBeCloseTo(w.score, 9);
          expect(Number.isFinite(s.score)).toBe(true);
          expect(s.end.getTime() - s.start.getTime()).toBe(req.durationMinutes * MIN);
        }
        assertSorted(got);
      }),
      { numRuns: 250 },
    );
  });

  it('never returns a slot that breaks a required constraint', () => {
    fc.assert(
      fc.property(requestArb, (req) => {
        const from = Date.parse(req.range.start as string);
        const to = Date.parse(req.range.end as string);
        const step = (req.stepMinutes ?? 15) * MIN;
        const buf = (req.bufferMinutes ?? 0) * MIN;
        for (const slot of findSlots(req)) {
          const s = slot.start.getTime();
          const e = slot.end.getTime();
          expect(s % step).toBe(0);
          expect(s >= from && e <= to).toBe(true);
          if (req.now) expect(s).toBeGreaterThanOrEqual(req.now.getTime() + (req.minNoticeMinutes ?? 0) * MIN);
          for (const p of req.participants) {
            if (p.optional) continue;
            expect(slot.attendees).toContain(p.id);
            for (const b of p.busy) {
              const bs = Date.parse(b.start as string);
              const be = Date.parse(b.end as string);
              if (be > bs) expect(s < be + buf && bs - buf < e).toBe(false);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps exactly the best maxResults slots in order', () => {
    fc.assert(
      fc.property(requestArb, fc.integer({ min: 1, max: 20 }), (req, k) => {
        const all = findSlots(req);
        expect(findSlots({ ...req, maxResults: k })).toEqual(all.slice(0, k));
      }),
      { numRuns: 100 },
    );
  });
});
