import { ValidationError } from '@almanac/core';
import { expectAlmanacError } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { parseMeetingRequest } from '../src/assistant/parse-meeting-request';

// Sunday 22 November 2026, 10:00 in New York (15:00Z).
const now = new Date('2026-11-22T15:00:00Z');
const ny = { now, timeZone: 'America/New_York' };
const iso = (date: Date) => date.toISOString();

describe('parseMeetingRequest', () => {
  it('reads the canonical request', async () => {
    const request = await parseMeetingRequest('Find a 30-minute slot next Tuesday for the Sales team kickoff with Sarah and John', ny);
    expect(request).toEqual({
      durationMinutes: 30,
      durationDefaulted: false,
      range: { start: new Date('2026-11-24T05:00:00Z'), end: new Date('2026-11-25T05:00:00Z') },
      title: 'Sales team kickoff',
      attendees: ['Sarah', 'John'],
      alternatives: [],
    });
  });

  it('resolves names through a directory, case-insensitively', async () => {
    const directory = { sarah: 'sarah@example.com', John: 'john@example.com' };
    const request = await parseMeetingRequest('Find a 30-minute slot next Tuesday for the Sales team kickoff with Sarah and John', { ...ny, directory });
    expect(request.attendees).toEqual(['sarah@example.com', 'john@example.com']);
    const viaFunction = await parseMeetingRequest('Meet with Ana tomorrow', { ...ny, directory: (name) => (name === 'Ana' ? 'ana@example.com' : undefined) });
    expect(viaFunction.attendees).toEqual(['ana@example.com']);
  });

  const cases: Array<[string, { duration: number; start: string; end: string; title?: string; attendees?: string[] }]> = [
    ['Schedule a 45 minute meeting tomorrow with Priya', { duration: 45, start: '2026-11-23T05:00:00.000Z', end: '2026-11-24T05:00:00.000Z', attendees: ['Priya'] }],
    ['1 hour sync with Bob on Friday', { duration: 60, start: '2026-11-27T05:00:00.000Z', end: '2026-11-28T05:00:00.000Z', attendees: ['Bob'] }],
    ['Book an hour with Alice next Monday about budget review', { duration: 60, start: '2026-11-23T05:00:00.000Z', end: '2026-11-24T05:00:00.000Z', title: 'budget review', attendees: ['Alice'] }],
    ['half an hour with Dan tomorrow afternoon', { duration: 30, start: '2026-11-23T17:00:00.000Z', end: '2026-11-23T22:00:00.000Z', attendees: ['Dan'] }],
    ['Meet Carol tomorrow morning for coffee', { duration: 30, start: '2026-11-23T13:00:00.000Z', end: '2026-11-23T17:00:00.000Z', title: 'coffee' }],
    ['15 min check-in with Eve on Wednesday at 3pm', { duration: 15, start: '2026-11-25T20:00:00.000Z', end: '2026-11-25T20:15:00.000Z', attendees: ['Eve'] }],
    ['Find time next week for "Q1 planning" with Sam, Kim and Lee', { duration: 30, start: '2026-11-30T05:00:00.000Z', end: '2026-12-05T05:00:00.000Z', title: 'Q1 planning', attendees: ['Sam', 'Kim', 'Lee'] }],
    ['Set up a 2 hour workshop this week with the design team', { duration: 120, start: '2026-11-23T05:00:00.000Z', end: '2026-11-28T05:00:00.000Z', attendees: ['design team'] }],
    ['90-minute interview with Omar on December 3', { duration: 90, start: '2026-12-03T05:00:00.000Z', end: '2026-12-04T05:00:00.000Z', attendees: ['Omar'] }],
    ['ninety minutes with Ivy on Dec 3rd', { duration: 90, start: '2026-12-03T05:00:00.000Z', end: '2026-12-04T05:00:00.000Z', attendees: ['Ivy'] }],
    ['a quarter of an hour with Jo tomorrow', { duration: 15, start: '2026-11-23T05:00:00.000Z', end: '2026-11-24T05:00:00.000Z', attendees: ['Jo'] }],
    ['Meeting with Max between 2pm and 4pm on Friday', { duration: 30, start: '2026-11-27T19:00:00.000Z', end: '2026-11-27T21:00:00.000Z', attendees: ['Max'] }],
    ['Call with Nina tomorrow at 9:30am for 20 minutes', { duration: 20, start: '2026-11-23T14:30:00.000Z', end: '2026-11-23T14:50:00.000Z', attendees: ['Nina'] }],
    ['Lunch with Paul on Thursday', { duration: 30, start: '2026-11-26T05:00:00.000Z', end: '2026-11-27T05:00:00.000Z', attendees: ['Paul'] }],
    ['1.5 hours with Quinn next Tuesday evening', { duration: 90, start: '2026-11-24T22:00:00.000Z', end: '2026-11-25T02:00:00.000Z', attendees: ['Quinn'] }],
    ['Sync with Rita & Tom on March 10', { duration: 30, start: '2027-03-10T05:00:00.000Z', end: '2027-03-11T05:00:00.000Z', attendees: ['Rita', 'Tom'] }],
    ['1h 30m design review with Uma tomorrow', { duration: 90, start: '2026-11-23T05:00:00.000Z', end: '2026-11-24T05:00:00.000Z', attendees: ['Uma'] }],
    ['Find a slot on Monday for the retro', { duration: 30, start: '2026-11-23T05:00:00.000Z', end: '2026-11-24T05:00:00.000Z', title: 'retro' }],
    ['Can we meet on November 30 with Victor regarding hiring?', { duration: 30, start: '2026-11-30T05:00:00.000Z', end: '2026-12-01T05:00:00.000Z', title: 'hiring', attendees: ['Victor'] }],
    ['60 minutes today with Wes', { duration: 60, start: '2026-11-22T15:00:00.000Z', end: '2026-11-23T05:00:00.000Z', attendees: ['Wes'] }],
  ];
  for (const [text, expected] of cases) {
    it(`reads: ${text}`, async () => {
      const request = await parseMeetingRequest(text, ny);
      expect(request.durationMinutes).toBe(expected.duration);
      expect(iso(request.range.start)).toBe(expected.start);
      expect(iso(request.range.end)).toBe(expected.end);
      if (expected.title !== undefined) expect(request.title).toBe(expected.title);
      if (expected.attendees !== undefined) expect(request.attendees).toEqual(expected.attendees);
    });
  }

  it('reads dates in the requester zone, also across DST', async () => {
    const kolkata = await parseMeetingRequest('30 minutes tomorrow at 10am with Raj', { now, timeZone: 'Asia/Kolkata' });
    expect(iso(kolkata.range.start)).toBe('2026-11-23T04:30:00.000Z');
    // The US springs forward on 2027-03-14: 09:00 on March 20 is EDT (UTC-4), although `now` is EST.
    const afterDst = await parseMeetingRequest('Meet Ann on March 20 at 9am', ny);
    expect(iso(afterDst.range.start)).toBe('2027-03-20T13:00:00.000Z');
  });

  const rejects: Array<[string, RegExp, Record<string, unknown>?]> = [
    ['', /text/],
    ['   ', /text/],
    ['Let us meet with Sarah sometime', /names no date or time/],
    ['A 12 hour workshop tomorrow', /durationMinutes/],
    ['Meet with Alice and Bob tomorrow', /attendees\.1: "Bob" is not in the directory/, { directory: { alice: 'a@example.com' } }],
    ['Meet with Zed tomorrow', /"Zed" is not in the directory/, { directory: { alice: 'a@example.com' } }],
    ['Meet tomorrow', /timeZone/, { timeZone: 'Mars/Olympus' }],
    ['Meet yesterday at 3pm', /in the past/],
  ];
  for (const [text, message, extra] of rejects) {
    it(`rejects: ${JSON.stringify(text)}${extra ? ` with ${JSON.stringify(extra)}` : ''}`, async () => {
      await expect(parseMeetingRequest(text, { ...ny, ...extra })).rejects.toThrow(ValidationError);
      await expect(parseMeetingRequest(text, { ...ny, ...extra })).rejects.toThrow(message);
    });
  }
});

describe('parseMeetingRequest never guesses silently', () => {
  // Friday 20 November 2026, 10:00 in New York.
  const friday = { now: new Date('2026-11-20T15:00:00Z'), timeZone: 'America/New_York' };
  // Monday 23 November 2026, 10:00 in New York.
  const monday = { now: new Date('2026-11-23T15:00:00Z'), timeZone: 'America/New_York' };

  it('refuses "last Monday" naming the phrase and when it was, instead of reading next Monday', async () => {
    const error = await expectAlmanacError(parseMeetingRequest('30 min last Monday', friday), { code: 'validation', field: 'text' });
    expect(error.message).toContain('"last Monday" is in the past (2026-11-16');
  });

  it('handles every past reference the same way: "yesterday at 3pm" and "today at 9am" after 9am', async () => {
    const yesterday = await expectAlmanacError(parseMeetingRequest('30 min yesterday at 3pm', friday), { code: 'validation', field: 'text' });
    expect(yesterday.message).toContain('"yesterday at 3pm" is in the past (2026-11-19 15:00 America/New_York)');
    const earlier = await expectAlmanacError(parseMeetingRequest('30 min today at 9am', friday), { code: 'validation', field: 'text' });
    expect(earlier.message).toContain('"today at 9am" is in the past (2026-11-20 09:00 America/New_York)');
  });

  it('reads "next Tuesday" said on Monday as the Tuesday of next week, offering this week\'s as an alternative', async () => {
    const request = await parseMeetingRequest('1 hour next Tuesday with Ana', monday);
    expect(iso(request.range.start)).toBe('2026-12-01T05:00:00.000Z');
    expect(iso(request.range.end)).toBe('2026-12-02T05:00:00.000Z');
    expect(request.alternatives).toEqual([
      {
        phrase: 'next Tuesday',
        reading: 'tuesday of this week (2026-11-24)',
        range: { start: new Date('2026-11-24T05:00:00Z'), end: new Date('2026-11-25T05:00:00Z') },
      },
    ]);
  });

  it('keeps an exact time under the rule, and has no alternative when the readings agree', async () => {
    const request = await parseMeetingRequest('next Tuesday at 2pm with Ana', monday);
    expect(iso(request.range.start)).toBe('2026-12-01T19:00:00.000Z');
    expect(request.alternatives.map((alternative) => iso(alternative.range.start))).toEqual(['2026-11-24T19:00:00.000Z']);
    // Said on Wednesday, the next Tuesday is the one of next week either way.
    const wednesday = await parseMeetingRequest('next Tuesday with Ana', { ...monday, now: new Date('2026-11-25T15:00:00Z') });
    expect(iso(wednesday.range.start)).toBe('2026-12-01T05:00:00.000Z');
    expect(wednesday.alternatives).toEqual([]);
  });
});
