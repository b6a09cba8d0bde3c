// Issue #13 items 1, 2 and 17: feeds that made expansion spin forever, cost minutes per
// query while offering their hours as free, or overflowed the stack.
import { describe, expect, it } from 'vitest';
import { createIcsCalendar, createIcsCalendarProvider } from '../src/adapters/ics';

const range = (start: string, end: string) => ({ start: new Date(start), end: new Date(end) });
const ics = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const vevent = (uid: string, start: string, rule: string, summary = uid) =>
  ['BEGIN:VEVENT', `UID:${uid}`, `SUMMARY:${summary}`, `DTSTART:${start}`, 'DURATION:PT1S', `RRULE:${rule}`, 'END:VEVENT'];
const MARCH = range('2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z');

/** Counts event-loop turns while `work` runs: a query that never yields lets none through. */
async function loopTurnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return { result: await work(), turns };
  } finally {
    running = false;
  }
}

describe('ics: recurrence rules that never yield an occurrence (item 1)', () => {
  it('answers for the 183-byte FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30 feed (February 30 never comes)', async () => {
    const text = ics(...vevent('feb30@example.com', '20260101T000000Z', 'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30'));
    const calendar = createIcsCalendar({ source: { text } });
    const [feed] = await calendar.freeBusy({ range: MARCH });
    // Only DTSTART itself occurs, in January: March is free, and correctly so.
    expect(feed?.busy).toEqual([]);
    const january = await calendar.freeBusy({ range: range('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z') });
    expect(january[0]?.busy).toHaveLength(1);
  });

  it('cuts off a possible rule whose next occurrence is millions of steps away, and shows the range busy', async () => {
    // February 29 is two years after this DTSTART: ical.js would test ~63 million seconds.
    const text = ics(...vevent('leap@example.com', '20260301T000000Z', 'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29', 'Leap second'));
    const warnings: unknown[] = [];
    const logger = { debug() {}, info() {}, warn: (_m: string, fields?: unknown) => warnings.push(fields), error() {} };
    const provider = createIcsCalendarProvider({ source: { text }, logger });
    const result = await provider.freeBusy({ range: MARCH });
    expect(result[0]?.busy).toEqual([
      { start: MARCH.start, end: MARCH.end, source: 'ICS: Leap second (recurrence too expensive to expand; busy from here)' },
    ]);
    expect(warnings).toContainEqual(expect.objectContaining({ uid: 'leap@example.com', reason: expect.stringContaining('no occurrence within') }));
  });
});

describe('ics: one expansion budget per query, truncation is busy (item 2)', () => {
  // 100 SECONDLY series from a year before the range: 10 KB that took 62 s and gave no busy time.
  const text = ics(...Array.from({ length: 100 }, (_, i) => vevent(`s${i}@example.com`, '20250101T000000Z', 'FREQ=SECONDLY', `Series ${i}`)).flat());

  it('shares one budget across all series, yields to the event loop, and reports the range busy', async () => {
    expect(text.length).toBeLessThan(15_000);
    const provider = createIcsCalendarProvider({ source: { text }, maxExpansionSteps: 20_000 });
    const { result, turns } = await loopTurnsDuring(() => provider.freeBusy({ range: MARCH }));
    const busy = result[0]?.busy ?? [];
    // Every series is cut short before March (the budget is spent in the first); each marks the whole range busy.
    expect(busy).toHaveLength(100);
    expect(busy.every((block) => block.start.getTime() === MARCH.start.getTime() && block.end.getTime() === MARCH.end.getTime())).toBe(true);
    // 20,000 steps with a yield every 2,000: the loop got turns in between.
    expect(turns).toBeGreaterThanOrEqual(9);
  });

  it('terminates with the default budget too, the range busy through the facade', async () => {
    const [feed] = await createIcsCalendar({ source: { text } }).freeBusy({ range: MARCH });
    expect(feed?.busy).toEqual([{ start: MARCH.start, end: MARCH.end, source: expect.stringContaining('busy from here') }]);
  });

  it('fails a listing instead of returning it with occurrences missing', async () => {
    const calendar = createIcsCalendar({ source: { text }, maxExpansionSteps: 20_000 });
    await expect(calendar.listEvents({ calendarId: 'feed', range: MARCH }).toArray()).rejects.toMatchObject({
      code: 'provider',
      message: expect.stringContaining('could not be expanded'),
    });
  });

  it('still expands ordinary series in the same feed in full', async () => {
    const ordinary = ics(
      ...vevent('daily@example.com', '20200101T090000Z', 'FREQ=DAILY', 'Standup'),
      ...vevent('weekly@example.com', '20100104T100000Z', 'FREQ=WEEKLY;BYDAY=MO', 'Planning'),
    );
    const [feed] = await createIcsCalendar({ source: { text: ordinary } }).freeBusy({ range: MARCH });
    expect(feed?.busy.map((block) => block.source)).toEqual(['ICS: Standup', 'ICS: Planning']);
  });
});

describe('ics: deeply nested components (item 17)', () => {
  const nested = (depth: number) =>
    ics('BEGIN:VEVENT', 'UID:deep@example.com', 'DTSTART:20260302T090000Z', ...Array(depth).fill('BEGIN:X-A'), ...Array(depth).fill('END:X-A'), 'END:VEVENT');

  it('refuses 50,000 nested components with a typed error instead of overflowing the stack', () => {
    expect(() => createIcsCalendar({ source: { text: nested(50_000) } })).toThrow(
      expect.objectContaining({ code: 'validation', message: expect.stringContaining('nest more than 64 deep') }),
    );
  });

  it('reads a feed nested as deep as real ones (VCALENDAR > VEVENT > VALARM) and a little deeper', async () => {
    const [feed] = await createIcsCalendar({ source: { text: nested(10) } }).freeBusy({ range: MARCH });
    expect(feed?.busy).toHaveLength(0);
  });
});
