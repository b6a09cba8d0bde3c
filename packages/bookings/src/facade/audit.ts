import type { OperationAuditEvent, OperationAttributes } from '@almanac/core/kit';
import type { CalendarAuditEvent } from './types';

/**
 * The audit attributes of a call: the calendar it names, read off the raw input (so a call that
 * fails validation is still attributed when its `calendarId` is usable).
 */
export function calendarAttributes(input: unknown): OperationAttributes {
  if (typeof input !== 'object' || input === null) return {};
  const id = (input as { calendarId?: unknown }).calendarId;
  return typeof id === 'string' && id.length > 0 ? { calendarId: id } : {};
}

/**
 * The runner's audit event in the shape `CalendarOptions.onEvent` has always received: the
 * operation as `action`, the calendar from the attributes, nothing else (the span keeps the rest).
 */
export function toCalendarAuditEvent(event: OperationAuditEvent): CalendarAuditEvent {
  const calendarId = event.attributes['calendarId'];
  return {
    action: event.operation,
    provider: event.provider,
    outcome: event.outcome,
    durationMs: event.durationMs,
    ...(typeof calendarId === 'string' ? { calendarId } : {}),
    ...(event.errorCode === undefined ? {} : { errorCode: event.errorCode }),
  };
}
