import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createIcsCalendar } from '../src/adapters/ics';
import { describeCalendarConformance } from '../src/testing';
import type { ConformanceFixture, FixtureEvent } from '../src/testing';

/** `2026-03-07T23:00:00-05:00` → `20260307T230000`: the wall-clock part, which the fixture defines as local time in the event's zone. */
function wall(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(iso);
  if (!match) throw new Error(`not a fixture date-time: ${iso}`);
  return `${match[1]}${match[2]}${match[3]}T${match[4]}${match[5]}${match[6]}`;
}

const date = (value: string) => value.replaceAll('-', '');
const escapeText = (value: string) => value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');

function timing(event: FixtureEvent, start: string, end: string): string[] {
  if (event.allDay === true) return [`DTSTART;VALUE=DATE:${date(start)}`, `DTEND;VALUE=DATE:${date(end)}`];
  return [`DTSTART;TZID=${event.timeZone}:${wall(start)}`, `DTEND;TZID=${event.timeZone}:${wall(end)}`];
}

function common(event: FixtureEvent): string[] {
  return [
    `UID:${event.uid}`,
    'DTSTAMP:20260201T000000Z',
    `SUMMARY:${escapeText(event.title)}`,
    ...(event.description === undefined ? [] : [`DESCRIPTION:${escapeText(event.description)}`]),
    `STATUS:${event.status.toUpperCase()}`,
    `TRANSP:${event.transparency.toUpperCase()}`,
  ];
}

/** Serialises fixture events to VEVENTs with `TZID`s, as a calendar app would export them. */
function fixtureToIcs(fixture: ConformanceFixture, vtimezones: string[]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Almanac//Conformance fixture//EN', `X-WR-TIMEZONE:${fixture.timeZone}`];
  lines.push(...vtimezones);
  for (const event of fixture.events) {
    lines.push('BEGIN:VEVENT', ...common(event), ...timing(event, event.start, event.end));
    if (event.rrule !== undefined) lines.push(`RRULE:${event.rrule}`);
    for (const exdate of event.exdates ?? []) lines.push(`EXDATE;TZID=${event.timeZone}:${wall(exdate)}`);
    lines.push('END:VEVENT');
    for (const override of event.overrides ?? []) {
      lines.push(
        'BEGIN:VEVENT',
        ...common(event),
        `RECURRENCE-ID;TZID=${event.timeZone}:${wall(override.recurrenceId)}`,
        ...timing(event, override.start, override.end),
        'SEQUENCE:1',
        'END:VEVENT',
      );
    }
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

/** The VTIMEZONE blocks of the Google export fixture (New York, London, Kolkata, with DST rules). */
const GOOGLE_VTIMEZONES = (() => {
  const text = readFileSync(fileURLToPath(new URL('./fixtures/ics/google.ics', import.meta.url)), 'utf8');
  return [...text.matchAll(/BEGIN:VTIMEZONE[\s\S]*?END:VTIMEZONE/g)].map((match) => match[0]);
})();

describe('conformance fixture serialisation', () => {
  it('has a VTIMEZONE for every zone the fixture uses', async () => {
    const { CONFORMANCE_FIXTURE } = await import('../src/testing');
    const zones = new Set(CONFORMANCE_FIXTURE.events.filter((event) => event.allDay !== true).map((event) => event.timeZone));
    for (const zone of zones) expect(GOOGLE_VTIMEZONES.some((block) => block.includes(`TZID:${zone}`))).toBe(true);
  });
});

// IANA TZIDs without VTIMEZONE blocks: offsets come from Intl.
describeCalendarConformance({
  name: 'ics',
  async create(fixture) {
    return { calendar: createIcsCalendar({ source: { text: fixtureToIcs(fixture, []) }, calendarId: fixture.calendarId }) };
  },
});

// The same feed with VTIMEZONE blocks, as Google and Apple export it: offsets come from the blocks.
describeCalendarConformance({
  name: 'ics (VTIMEZONE)',
  async create(fixture) {
    return {
      calendar: createIcsCalendar({ source: { text: fixtureToIcs(fixture, GOOGLE_VTIMEZONES) }, calendarId: fixture.calendarId }),
    };
  },
});
