export { book } from './book';
export { findMeetingTimes } from './find-meeting-times';
export { type Directory, type MeetingRequest, type MeetingRequestAlternative, type ParseMeetingRequestOptions, parseMeetingRequest } from './parse-meeting-request';
export type {
  Booking,
  BookingRequest,
  FindMeetingTimesRequest,
  MeetingAlternative,
  MeetingAttendee,
  MeetingRoom,
  MeetingSlot,
  MeetingTimes,
  NoSlotReason,
  WeeklyHours,
} from './types';
