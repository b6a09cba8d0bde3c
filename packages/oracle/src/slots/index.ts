/**
 * `@almanac/oracle/slots`: meeting-slot finding across time zones, with working hours, buffers and
 * optional participants.
 *
 * @packageDocumentation
 */
export { findSlots } from './find-slots';
export { intersectIntervals, mergeIntervals, subtractIntervals } from './intervals';
export type {
  InstantInput,
  NumericInterval,
  Slot,
  SlotParticipant,
  SlotRequest,
  TimeRangeInput,
  WeeklyWindow,
} from './types';
