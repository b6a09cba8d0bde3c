import { parse, silentLogger, systemClock } from '@almanac/core';
import type { Clock, Logger, RetryPolicy } from '@almanac/core';
import * as z from '@almanac/core/schema';
import { CALENDAR_SPECIFICATION_VERSION } from '../../spec';
import type { CalendarCapabilities, CalendarProvider } from '../../spec';
import { isValidTimeZone } from '@almanac/oracle/time';
import type { GoogleContext } from './call';
import { lazyGoogleClient } from './client';
import type { GoogleAccessTokenSource, GoogleAuthLike, GoogleCalendarClient, GoogleSdkImporter } from './client';
import { checkPathId } from '../../path-ids';
import { GOOGLE_PROVIDER } from './errors';
import {
  DEFAULT_CONFERENCE_POLL_DELAYS_MS,
  googleCancelEvent,
  googleCreateEvent,
  googleGetEvent,
  googleListEventsPage,
  googleUpdateEvent,
} from './events';
import { GOOGLE_MAX_FREEBUSY_CALENDARS, GOOGLE_MAX_FREEBUSY_RANGE_DAYS, googleFreeBusy } from './freebusy';
import { googleSync } from './sync';
import { syncWindowSchema } from '../../sync/window-schema';
import type { SyncWindowSettings } from '../../sync/window';
import { googleUnwatch, googleWatch } from './watch';

/** Options of {@link createGoogleCalendarProvider}. Give exactly one of `auth`, `tokens` or `client`. */
export interface GoogleCalendarProviderOptions {
  /** Credentials for `@googleapis/calendar` (e.g. an `OAuth2Client`); the SDK is loaded on first use. */
  auth?: GoogleAuthLike | undefined;
  /** Access tokens from e.g. {@link createGoogleTokenProvider}; wrapped into the SDK's OAuth2 client. */
  tokens?: GoogleAccessTokenSource | undefined;
  /** A ready client, e.g. `calendar({ version: 'v3', auth })`, or a fake in tests. */
  client?: GoogleCalendarClient | undefined;
  /** Retry policy of SDK calls (core `withRetry`); the SDK's own retry is always off. */
  retry?: RetryPolicy | undefined;
  /** Time source for backoff, conference polling and token expiry. */
  clock?: Clock | undefined;
  /** Debug output. */
  logger?: Logger | undefined;
  /** Zone for timed events whose calendar zone is not yet known. Default `UTC`. */
  defaultTimeZone?: string | undefined;
  /** Waits between re-fetches while a Meet link is pending. Default 0.5 s, 1 s, 2 s, 4 s, 8 s. */
  conferencePollDelaysMs?: readonly number[] | undefined;
  /** The window `sync` reports occurrences in, and how often it re-baselines. Default 30 days back, 365 ahead, every 30 days. */
  syncWindow?: SyncWindowSettings | undefined;
}

/** What the Google adapter supports. */
export const GOOGLE_CAPABILITIES: CalendarCapabilities = Object.freeze({
  freeBusy: true,
  events: true,
  write: true,
  conferencing: Object.freeze(['meet'] as const),
  incrementalSync: true,
  push: true,
  recurrence: true,
  maxFreeBusyCalendars: GOOGLE_MAX_FREEBUSY_CALENDARS,
  maxFreeBusyRangeDays: GOOGLE_MAX_FREEBUSY_RANGE_DAYS,
});

const objectOrString = z.custom<GoogleAuthLike>(
  (value) => typeof value === 'string' || (typeof value === 'object' && value !== null),
  'must be an auth client or an API key',
);

const optionsSchema = z
  .object({
    auth: objectOrString.optional(),
    tokens: z.custom<GoogleAccessTokenSource>(
      (value) => typeof (value as { getToken?: unknown } | null)?.getToken === 'function',
      'must have getToken()',
    ).optional(),
    client: z.custom<GoogleCalendarClient>(
      (value) => typeof (value as { events?: { list?: unknown } | undefined } | null)?.events?.list === 'function',
      'must be a Calendar API v3 client',
    ).optional(),
    defaultTimeZone: z.string().refine(isValidTimeZone, 'must be a known IANA time zone').optional(),
    conferencePollDelaysMs: z.array(z.number().finite().min(0)).max(20).optional(),
    syncWindow: syncWindowSchema.optional(),
  })
  .loose()
  .check((ctx) => {
    const given = (['auth', 'tokens', 'client'] as const).filter((key) => ctx.value[key] !== undefined);
    if (given.length !== 1) {
      ctx.issues.push({
        code: 'custom',
        message: given.length === 0 ? 'give one of auth, tokens or client' : `give only one of ${given.join(', ')}`,
        input: ctx.value,
        path: ['auth'],
      });
    }
  });

/**
 * The Google Calendar adapter as a bare {@link CalendarProvider}, over the official
 * `@googleapis/calendar` client (an optional peer, loaded on the first call). Most code wants
 * `createGoogleCalendar`, which wraps this in the validating facade.
 */
export function createGoogleCalendarProvider(options: GoogleCalendarProviderOptions): CalendarProvider {
  return buildGoogleProvider(options, undefined);
}

/**
 * {@link createGoogleCalendarProvider} with an injectable SDK importer (tests of the missing-package path).
 *
 * @internal
 */
/**
 * The SDK puts `calendarId` and `eventId` into the URL path escaped with
 * `encodeURIComponent`, which keeps dots: `.` and `..` are refused before any call.
 */
function ids<R extends { readonly calendarId?: string | undefined; readonly eventId?: string | undefined }>(request: R, operation: string): R {
  checkPathId(request?.calendarId, 'calendarId', GOOGLE_PROVIDER, operation);
  checkPathId(request?.eventId, 'eventId', GOOGLE_PROVIDER, operation);
  return request;
}

export function buildGoogleProvider(options: GoogleCalendarProviderOptions, importer: GoogleSdkImporter | undefined): CalendarProvider {
  parse(optionsSchema, options, { provider: GOOGLE_PROVIDER, operation: 'createGoogleCalendar', path: 'options' });
  const context: GoogleContext = {
    client: lazyGoogleClient({
      client: options.client,
      auth: options.auth,
      tokens: options.tokens,
      importer,
    }),
    clock: options.clock ?? systemClock,
    retry: options.retry,
    logger: options.logger ?? silentLogger,
    zones: new Map(),
    defaultTimeZone: options.defaultTimeZone ?? 'UTC',
  };
  const pollDelays = options.conferencePollDelaysMs ?? DEFAULT_CONFERENCE_POLL_DELAYS_MS;
  return {
    name: GOOGLE_PROVIDER,
    specificationVersion: CALENDAR_SPECIFICATION_VERSION,
    capabilities: GOOGLE_CAPABILITIES,
    freeBusy: (request) => googleFreeBusy(context, request),
    listEventsPage: async (request) => googleListEventsPage(context, ids(request, 'listEvents')),
    getEvent: async (request) => googleGetEvent(context, ids(request, 'getEvent')),
    createEvent: async (request) => googleCreateEvent(context, ids(request, 'createEvent'), pollDelays),
    updateEvent: async (request) => googleUpdateEvent(context, ids(request, 'updateEvent')),
    cancelEvent: async (request) => googleCancelEvent(context, ids(request, 'cancelEvent')),
    sync: async (request) => googleSync(context, ids(request, 'sync'), options.syncWindow),
    watch: async (request) => googleWatch(context, ids(request, 'watch')),
    unwatch: (channel, callOptions) => googleUnwatch(context, channel, callOptions),
  };
}
