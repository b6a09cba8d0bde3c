import { parse } from '@almanac/core';
import * as z from '@almanac/core/schema';
import type { Calendar } from '../facade';
import type { Attendee } from '../spec';
import type { Booking, BookingRequest } from './types';

const calendarSchema = z.custom<Calendar>(
  (value) => typeof value === 'object' && value !== null && typeof (value as Calendar).createEvent === 'function',
  'must be a Calendar (from createCalendar or a create…Calendar factory)',
);

const instantSchema = z.union([z.date(), z.iso.datetime({ offset: true })]).transform((value) => new Date(value));

const bookingSchema = z
  .object({
    // Dates or ISO strings with an offset, as every other input accepts (e.g. a slot read back from JSON).
    slot: z.object({ start: instantSchema, end: instantSchema }),
    organizer: z.object({ email: z.email(), calendar: calendarSchema, calendarId: z.string().min(1).optional(), timeZone: z.string().min(1) }),
    attendees: z.array(z.object({ email: z.email(), optional: z.boolean().optional() })),
    title: z.string().trim().min(1).max(1024),
    description: z.string().optional(),
    conference: z.enum(['meet', 'teams']).optional(),
    room: z
      .object({ id: z.string().min(1), capacity: z.number().int().positive(), calendar: calendarSchema, calendarId: z.string().min(1).optional() })
      .optional(),
    idempotencyKey: z.string().min(1).max(200),
    signal: z.instanceof(AbortSignal).optional(),
  })
  .refine((request) => request.slot.end > request.slot.start, { path: ['slot', 'end'], message: 'must be after slot.start' });

/**
 * Books a slot: creates the event in the organizer's calendar (with the room invited as a
 * resource and the conference link when asked) and, when a room is given, holds the room's
 * calendar too. Every create carries a key derived from `idempotencyKey`, so retrying a
 * booking after a failure creates nothing twice: providers return the event they already made.
 */
export async function book(input: BookingRequest): Promise<Booking> {
  const request = parse(bookingSchema, input, { operation: 'book' });
  const { organizer, room, slot, signal } = request;
  const attendees: Attendee[] = request.attendees.map((attendee) => ({
    email: attendee.email,
    ...(attendee.optional ? { optional: true } : {}),
  }));
  if (room) attendees.push({ email: room.id, resource: true });
  const event = await organizer.calendar.createEvent({
    calendarId: organizer.calendarId ?? organizer.email,
    title: request.title,
    start: slot.start,
    end: slot.end,
    timeZone: organizer.timeZone,
    attendees,
    idempotencyKey: `${request.idempotencyKey}:event`,
    ...(request.description !== undefined ? { description: request.description } : {}),
    ...(request.conference ? { conference: request.conference } : {}),
    ...(room ? { location: room.id } : {}),
    ...(signal ? { signal } : {}),
  });
  if (!room) {
    return { event, eventIds: [event.id], ...(event.joinUrl ? { joinUrl: event.joinUrl } : {}) };
  }
  // Rooms on Google and Microsoft accept invitations themselves; calendars without that
  // (memory, a room tracked elsewhere) get an explicit hold so the room shows busy.
  const roomEvent = await room.calendar.createEvent({
    calendarId: room.calendarId ?? room.id,
    title: request.title,
    start: slot.start,
    end: slot.end,
    timeZone: organizer.timeZone,
    attendees: [{ email: organizer.email }],
    idempotencyKey: `${request.idempotencyKey}:room`,
    ...(signal ? { signal } : {}),
  });
  return {
    event,
    roomEvent,
    eventIds: [event.id, roomEvent.id],
    ...(event.joinUrl ? { joinUrl: event.joinUrl } : {}),
  };
}
