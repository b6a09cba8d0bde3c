/**
 * `@almanac/bookings/google`: the Google Calendar adapter over the official
 * `@googleapis/calendar` client (an optional peer dependency, loaded on first use), plus
 * OAuth helpers, push-channel renewal and the notification receiver.
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
import { createCalendar } from '../../facade/create-calendar';
import { calendarOptionsOf } from '../../facade/options';
import type { Calendar, CalendarOptions } from '../../facade/types';
import { createGoogleCalendarProvider } from './provider';
import type { GoogleCalendarProviderOptions } from './provider';

/** Options of {@link createGoogleCalendar}: the adapter's plus the facade's. */
export type GoogleCalendarOptions = GoogleCalendarProviderOptions & CalendarOptions;

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const GOOGLE_CALENDAR_OPTION_KEYS: OptionKeys<GoogleCalendarOptions> = { auth: true, tokens: true, client: true, retry: true, clock: true, logger: true, defaultTimeZone: true, conferencePollDelaysMs: true, syncWindow: true, timeoutMs: true, onEvent: true, freeBusyConcurrency: true };

/**
 * A {@link Calendar} over Google Calendar. Give `auth` (e.g. an `OAuth2Client`), `tokens`
 * (e.g. {@link createGoogleTokenProvider}) or an injected `client`.
 */
export function createGoogleCalendar(options: GoogleCalendarOptions): Calendar {
  checkFactoryOptions(options, GOOGLE_CALENDAR_OPTION_KEYS, { factory: 'createGoogleCalendar', provider: 'google' });
  return createCalendar(createGoogleCalendarProvider(options), calendarOptionsOf(options));
}

export { createGoogleCalendarProvider, GOOGLE_CAPABILITIES } from './provider';
export type { GoogleCalendarProviderOptions } from './provider';
export type {
  GoogleAccessTokenSource,
  GoogleAuthLike,
  GoogleCalendarClient,
  GoogleMethod,
  GoogleRequestOptions,
  GoogleResponse,
} from './client';
export { GOOGLE_BUSY_SOURCE } from './freebusy';
export { DEFAULT_CONFERENCE_POLL_DELAYS_MS } from './events';
export { googleEventIdFor } from './event-id';
export { renewChannelIfNeeded } from './watch';
export type { ChannelRenewer, RenewChannelOptions, RenewChannelResult } from './watch';
export {
  createGoogleTokenProvider,
  exchangeGoogleCode,
  googleAuthorizationUrl,
  GOOGLE_AUTHORIZATION_ENDPOINT,
  GOOGLE_TOKEN_ENDPOINT,
  refreshGoogleToken,
} from './oauth';
export type {
  ExchangeGoogleCodeOptions,
  GoogleAuthorizationUrlOptions,
  GoogleFetch,
  GoogleTokenCallOptions,
  GoogleTokenProvider,
  GoogleTokenProviderOptions,
  RefreshGoogleTokenOptions,
} from './oauth';
export { createGoogleMessageNumberGuard, handleGoogleNotification } from './notifications';
export type {
  GoogleMessageNumberGuard,
  GoogleNotificationHeaders,
  GoogleNotificationOutcome,
  GoogleNotificationResult,
  HandleGoogleNotificationOptions,
} from './notifications';
