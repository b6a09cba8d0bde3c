// Overhead of the scheduling assistant around the slot engine.
//
// Scenario: `findMeetingTimes` for 50 attendees (2 required in New York and London, 48 optional
// across 10 zones, all 09:00–17:00 local working hours)
// on 50 memory calendars with 2,000 events (10–20 min) each over 4 weeks (seeded). Provider calls are
// timed exclusively (the wrapper runs them one at a time), so "outside" is everything else:
// validation, grouping calls, building participants, `findSlots`, rooms, alternatives and
// labels. A provider call is a call of the `Calendar` each attendee hands in (the facade and
// its adapter: what any caller of `freeBusy` pays). The baseline is bare `findSlots` over the
// same busy data in the same run.
//
// Target: outside time / bare findSlots time <= 1.5 (median of runs). Always exits 0.
// Run: npm run bench -- bookings
import { type Calendar, findMeetingTimes } from '@almanac/bookings';
import { createMemoryCalendar } from '@almanac/bookings/memory';
import { findSlots, type SlotParticipant } from '@almanac/oracle';

const ATTENDEES = 50;
const EVENTS = 2_000;
const RUNS = 15;
const TARGET = 1.5;
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Tokyo', 'Australia/Sydney', 'America/Sao_Paulo', 'UTC'];
const RANGE = { start: new Date('2026-03-02T00:00:00Z'), end: new Date('2026-03-30T00:00:00Z') };
const NOW = new Date('2026-03-01T00:00:00Z');
const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));

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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;

// Provider time, measured exclusively: calls are chained so their durations never overlap.
let providerMs = 0;
let chain: Promise<unknown> = Promise.resolve();
function timed(calendar: Calendar): Calendar {
  return new Proxy(calendar, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const run = chain.then(async () => {
          const start = performance.now();
          try {
            return await value.apply(target, args);
          } finally {
            providerMs += performance.now() - start;
          }
        });
        chain = run.catch(() => undefined);
        return run;
      };
    },
  });
}

const random = mulberry32(42);
const attendees = Array.from({ length: ATTENDEES }, (_, index) => {
  const email = `person${index}@bench.example`;
  const seed = Array.from({ length: EVENTS }, (_, n) => {
    const start = RANGE.start.getTime() + Math.floor(random() * (RANGE.end.getTime() - RANGE.start.getTime()) / 900_000) * 900_000;
    return { id: `e${n}`, calendarId: email, title: 'Busy', start: new Date(start), end: new Date(start + (1 + Math.floor(random() * 2)) * 600_000), timeZone: 'UTC' };
  });
  const calendar = timed(createMemoryCalendar({ calendars: [email], seed }));
  // Two required attendees in New York and London (whose hours overlap), 48 optional ones anywhere.
  const required = index < 2;
  const timeZone = required ? (index % 2 === 0 ? 'America/New_York' : 'Europe/London') : (ZONES[index % ZONES.length] as string);
  return { email, calendar, timeZone, workingHours: weekdays, optional: !required };
});

async function main(): Promise<void> {
  // Busy data exactly as the assistant sees it, for the bare baseline.
  const participants: SlotParticipant[] = [];
  for (const attendee of attendees) {
    const [row] = await attendee.calendar.freeBusy({ calendars: [attendee.email], range: { start: RANGE.start, end: new Date(RANGE.end.getTime() + (RANGE.end.getTime() - RANGE.start.getTime())) } });
    participants.push({ id: attendee.email, timeZone: attendee.timeZone, workingHours: attendee.workingHours, busy: [...(row?.busy ?? [])], ...(attendee.optional ? { optional: true } : {}) });
  }
  const bare = () => findSlots({ range: RANGE, durationMinutes: 30, participants, now: NOW, maxResults: 10 });
  const assistant = () => findMeetingTimes({ attendees, durationMinutes: 30, range: RANGE, now: NOW, maxResults: 10 });

  const expected = bare().map((slot) => slot.start.toISOString());
  const warm = await assistant();
  const got = warm.slots.map((slot) => slot.start.toISOString());
  if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`assistant and findSlots disagree:\n${got}\n${expected}`);

  const bareTimes: number[] = [];
  const outsideTimes: number[] = [];
  const providerTimes: number[] = [];
  // Collect garbage before each timed section (bench/run.ts passes --expose-gc) so one
  // section's garbage is not collected on the other's clock.
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  for (let run = 0; run < RUNS; run++) {
    gc();
    let start = performance.now();
    bare();
    bareTimes.push(performance.now() - start);
    providerMs = 0;
    gc();
    start = performance.now();
    await assistant();
    const total = performance.now() - start;
    providerTimes.push(providerMs);
    outsideTimes.push(total - providerMs);
  }
  const ratio = median(outsideTimes) / median(bareTimes);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(`bookings: findMeetingTimes, ${ATTENDEES} attendees x ${EVENTS} events on memory calendars, 4 weeks, ${RUNS} runs`);
  console.log(`  bare findSlots median              ${ms(median(bareTimes))}`);
  console.log(`  provider calls median (excluded)   ${ms(median(providerTimes))}`);
  console.log(`  assistant outside providers median ${ms(median(outsideTimes))}`);
  console.log(`  same ${got.length} slots from both: yes`);
  console.log(`  ratio outside/bare                 ${ratio.toFixed(2)} (target <= ${TARGET}) ${ratio <= TARGET ? 'PASS' : 'MISS'}`);
  console.log('  (outside time contains one findSlots call itself, so a ratio near or under 1 means the');
  console.log('   assistant adds little beyond it; the remaining spread is JIT and GC noise between runs)');
}

main().catch((error: unknown) => {
  console.error('bookings bench failed:', error);
  process.exitCode = 1;
});
