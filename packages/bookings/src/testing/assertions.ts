// Comparison keys and error assertions the conformance groups share.
import { CapabilityError, ValidationError } from '@almanac/core';
import { expect } from 'vitest';
import type { Calendar } from '../facade/types';
import type { BusyInterval, CalendarEvent, EventTime, TimeRange } from '../spec';
import type { ExpectedEvent } from './expectations';

/** A boundary as text: the date, or the instant and its zone. */
export function timeKey(time: EventTime | ExpectedEvent['start']): string {
  return 'date' in time ? `date ${time.date}` : `${time.dateTime.toISOString()} ${time.timeZone}`;
}

/** What a listed event must match in an expected one. */
export function eventKey(event: CalendarEvent | ExpectedEvent): string {
  return `${event.title} | ${timeKey(event.start)} -> ${timeKey(event.end)} | ${event.transparency} ${event.status}`;
}

/** Intervals as ISO `start/end` strings, for readable diffs. */
export const iso = (intervals: readonly TimeRange[]): string[] =>
  intervals.map((interval) => `${interval.start.toISOString()}/${interval.end.toISOString()}`);

/** Whether busy blocks are sorted by start. */
export function sortedByStart(busy: readonly BusyInterval[]): boolean {
  return busy.every((block, i) => i === 0 || (busy[i - 1] as BusyInterval).start.getTime() <= block.start.getTime());
}

/** The error a call fails with; fails the test when it succeeds. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The call fails with a `ValidationError` naming `path` in its issues and message. */
export async function expectValidation(promise: Promise<unknown>, path: string): Promise<void> {
  const error = await rejection(promise);
  expect(ValidationError.isInstance(error), `expected ValidationError, got ${String(error)}`).toBe(true);
  expect((error as ValidationError).issues.map((issue) => issue.path)).toContain(path);
  expect((error as ValidationError).message).toContain(path);
}

/** The call fails with a `CapabilityError` naming the calendar's provider. */
export async function expectCapability(calendar: Calendar, promise: Promise<unknown>): Promise<void> {
  const error = await rejection(promise);
  expect(CapabilityError.isInstance(error), `expected CapabilityError, got ${String(error)}`).toBe(true);
  expect((error as CapabilityError).provider).toBe(calendar.name);
}
