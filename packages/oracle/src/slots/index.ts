// Slot finding: the public face of this folder.
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
