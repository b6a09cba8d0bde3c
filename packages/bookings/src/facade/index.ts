// The facade: what users call, over any provider.
export { createCalendar } from './create-calendar';
export type {
  Calendar,
  CalendarAuditEvent,
  CalendarCapabilitySupport,
  CalendarOptions,
  CreateEventInput,
  EventListing,
  EventPatchInput,
  FreeBusyInput,
  InstantInput,
  ListEventsInput,
  RangeInput,
  UpdateEventInput,
} from './types';
export { mergeBusy } from './free-busy';
