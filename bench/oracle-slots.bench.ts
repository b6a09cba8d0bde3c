// Benchmark of `findSlots` against a naive reference measured in the same run.
//
// Scenario: 4 weeks (2024-03-04 → 2024-04-01, crossing both the US and the EU spring DST change),
// 15-minute step, 30-minute meetings; 10 required participants (New York and London, 09:00–17:00
// local Mon–Fri) and 190 optional participants in mixed zones with working hours; every
// participant has N busy events inside their working hours (seeded PRNG). Slots are ranked by
// how many optional participants can come.
//
// Targets (printed as PASS/MISS; the script always exits 0):
//   1. findSlots >= 30x faster than the naive reference;
//   2. findSlots median under 10 ms;
//   3. 10x more busy events (500 each) costs at most 15x more time.
// Run: npx tsx bench/oracle-slots.bench.ts
import { findSlots } from '../packages/oracle/src/slots';
import type { Slot, SlotParticipant, SlotRequest, WeeklyWindow } from '../packages/oracle/src/slots';

const MIN = 60_000;
const RANGE_START = Date.parse('2024-03-04T00:00:00Z');
const RANGE_END = Date.parse('2024-04-01T00:00:00Z');
const STEP_MIN = 15;
const DURATION_MIN = 30;
const TIME_BUDGET_MS = 50_000;
const benchStart = performance.now();

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// --- Naive local-time check, in the style of the old seed: ask Intl for the wall time of each
// slot's start and end and compare with the windows of that weekday. ---------------------------
const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
function localParts(zone: string, t: number): { date: string; day: number; minute: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(t)) p[part.type] = part.value;
  return {
    date: `${p['year']}-${p['month']}-${p['day']}`,
    day: WEEKDAYS[p['weekday'] as string] as number,
    minute: (Number(p['hour']) % 24) * 60 + Number(p['minute']),
  };
}
const hhmm = (s: string) => (s === '24:00' ? 1440 : Number(s.slice(0, 2)) * 60 + Number(s.slice(3)));

// Valid for same-day windows without a DST change inside them, which is all this scenario has.
function naiveInHours(zone: string, windows: readonly WeeklyWindow[], s: number, e: number): boolean {
  const a = localParts(zone, s);
  const b = localParts(zone, e);
  const endMinute = b.date === a.date ? b.minute : b.minute === 0 ? 1440 : -1;
  if (endMinute < 0) return false;
  return windows.some((w) => w.day === a.day && hhmm(w.start) <= a.minute && endMinute <= hhmm(w.end));
}

interface NaiveSlot {
  start: number;
  optionalPresent: number;
  attendees: string[];
  missing: string[];
}

interface NaiveParticipant {
  id: string;
  zone: string;
  optional: boolean;
  windows: WeeklyWindow[];
  busy: Array<[number, number]>;
}

function toNaive(participants: readonly SlotParticipant[]): NaiveParticipant[] {
  return participants.map((p) => ({
    id: p.id,
    zone: p.timeZone ?? 'UTC',
    optional: p.optional === true,
    windows: [...(p.workingHours ?? [])],
    busy: p.busy.map((b) => [(b.start as Date).getTime(), (b.end as Date).getTime()]),
  }));
}

// The reference: every step-aligned start against every participant's busy intervals and
// working hours, as the old seed's loop did. With `stopEarly` it skips the remaining
// participants of a start once a required one cannot come (a stronger baseline, printed for
// information only).
function naiveSlots(participants: readonly NaiveParticipant[], maxResults: number, stopEarly = false): NaiveSlot[] {
  const step = STEP_MIN * MIN;
  const dur = DURATION_MIN * MIN;
  const out: NaiveSlot[] = [];
  const ordered = stopEarly ? [...participants].sort((a, b) => Number(a.optional) - Number(b.optional)) : participants;
  for (let s = Math.ceil(RANGE_START / step) * step; s + dur <= RANGE_END; s += step) {
    const e = s + dur;
    const free = new Set<string>();
    let ok = true;
    for (const p of ordered) {
      const isFree = p.busy.every(([bs, be]) => !(s < be && bs < e)) && naiveInHours(p.zone, p.windows, s, e);
      if (isFree) free.add(p.id);
      else if (!p.optional) {
        ok = false;
        if (stopEarly) break;
      }
    }
    if (!ok) continue;
    out.push({
      start: s,
      optionalPresent: participants.filter((p) => p.optional && free.has(p.id)).length,
      attendees: participants.filter((p) => free.has(p.id)).map((p) => p.id),
      missing: participants.filter((p) => !free.has(p.id)).map((p) => p.id),
    });
  }
  out.sort((a, b) => b.optionalPresent - a.optionalPresent || a.start - b.start);
  return out.slice(0, maxResults);
}

// --- Scenario --------------------------------------------------------------------------------
const OPTIONAL_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Africa/Lagos',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
];
const weekdays = (start: string, end: string): WeeklyWindow[] =>
  [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));

function scenario(busyPerParticipant: number, seed: number): SlotParticipant[] {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const participants: SlotParticipant[] = [];
  for (let i = 0; i < 200; i++) {
    const required = i < 10;
    const timeZone = required ? (i % 2 === 0 ? 'America/New_York' : 'Europe/London') : pick(OPTIONAL_ZONES);
    const workingHours = required ? weekdays('09:00', '17:00') : pick([weekdays('09:00', '17:00'), weekdays('08:00', '16:00'), weekdays('10:00', '18:00')]);
    const busy: Array<{ start: Date; end: Date }> = [];
    while (busy.length < busyPerParticipant) {
      // Rejection-sample events that lie inside the participant's working hours.
      const start = RANGE_START + Math.floor(rand() * ((RANGE_END - RANGE_START) / (15 * MIN))) * 15 * MIN;
      const end = start + pick([15, 30, 45, 60, 90]) * MIN;
      if (naiveInHours(timeZone, workingHours, start, end)) busy.push({ start: new Date(start), end: new Date(end) });
    }
    const p: SlotParticipant = { id: `p${i}`, timeZone, workingHours, busy };
    if (!required) p.optional = true;
    participants.push(p);
  }
  return participants;
}

function request(participants: SlotParticipant[], maxResults: number): SlotRequest {
  return {
    range: { start: new Date(RANGE_START), end: new Date(RANGE_END) },
    durationMinutes: DURATION_MIN,
    stepMinutes: STEP_MIN,
    maxResults,
    participants,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function timeIt(fn: () => unknown, runs: number, budgetMs: number): number {
  const times: number[] = [];
  const until = performance.now() + budgetMs;
  for (let i = 0; i < runs && (i < 3 || performance.now() < until); i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function sameSlots(fast: readonly Slot[], naive: readonly NaiveSlot[]): string | undefined {
  if (fast.length !== naive.length) return `count ${fast.length} vs ${naive.length}`;
  const byStart = new Map(naive.map((n) => [n.start, n]));
  for (const s of fast) {
    const n = byStart.get(s.start.getTime());
    if (!n) return `extra start ${s.start.toISOString()}`;
    if (s.attendees.join() !== n.attendees.join() || s.missing.join() !== n.missing.join()) {
      return `attendees differ at ${s.start.toISOString()}`;
    }
  }
  return undefined;
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

const base = scenario(50, 1);
const heavy = scenario(500, 2);
const naiveBase = toNaive(base);

// Correctness first: the full slot set and the top 50 must agree with the naive reference.
const ALL = 1_000_000_000;
const fastAll = findSlots(request(base, ALL));
const naiveAll = naiveSlots(naiveBase, ALL);
const mismatch = sameSlots(fastAll, naiveAll) ?? sameSlots(fastAll, naiveSlots(naiveBase, ALL, true));
const fastTop = findSlots(request(base, 50));
const naiveTop = naiveAll.slice(0, 50);
const topAgree =
  fastTop.map((s) => Math.floor(s.score)).join() === naiveTop.map((n) => n.optionalPresent).join();
console.log(`valid slots: findSlots ${fastAll.length}, naive ${naiveAll.length}`);
console.log(`same slots (starts, attendees, missing): ${mismatch === undefined ? 'yes' : `NO (${mismatch})`}`);
console.log(`same top-50 optional-attendee counts: ${topAgree ? 'yes' : 'NO'}`);
console.log(`best slot: ${fastTop[0]?.start.toISOString()} with ${fastTop[0]?.attendees.length} attendees`);

const fastMedian = timeIt(() => findSlots(request(base, 50)), 41, 10_000);
const heavyMedian = timeIt(() => findSlots(request(heavy, 50)), 21, 10_000);
const earlyMedian = timeIt(() => naiveSlots(naiveBase, 50, true), 5, 5_000);
const remaining = TIME_BUDGET_MS - (performance.now() - benchStart);
const naiveMedian = timeIt(() => naiveSlots(naiveBase, 50), 3, Math.max(0, remaining - 10_000));

const speedup = naiveMedian / fastMedian;
const growth = heavyMedian / fastMedian;
const ok = mismatch === undefined && topAgree;
console.log('');
console.log(`findSlots median (50 busy each):        ${fmt(fastMedian)}`);
console.log(`findSlots median (500 busy each):       ${fmt(heavyMedian)}`);
console.log(`naive reference median:                 ${fmt(naiveMedian)}`);
console.log(`naive, stopping at first busy required: ${fmt(earlyMedian)} (info: ${(earlyMedian / fastMedian).toFixed(1)}x)`);
console.log('');
console.log(`${verdict(speedup >= 30 && ok)}  speed-up vs naive: ${speedup.toFixed(1)}x (target >= 30x)`);
console.log(`${verdict(fastMedian < 10 && ok)}  absolute median: ${fmt(fastMedian)} (target < 10 ms)`);
console.log(`${verdict(growth <= 15 && ok)}  10x busy events cost: ${growth.toFixed(2)}x (target <= 15x)`);
if (!ok) console.log('MISS  results differ from the naive reference');
console.log(`total bench time: ${((performance.now() - benchStart) / 1000).toFixed(1)} s`);
