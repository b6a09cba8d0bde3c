import { parse } from '@almanac/core';
import type { Clock, FetchLike, Logger, RetryPolicy } from '@almanac/core';
import * as z from '@almanac/core/schema';
import { isValidTimeZone } from '@almanac/oracle/time';

/**
 * Where the feed comes from. A bare string is read by its content:
 * - starting with `BEGIN:VCALENDAR` (after a BOM or whitespace): the iCalendar text itself;
 * - `http://`, `https://`, `webcal://` or `webcals://`: a URL (webcal is fetched over https);
 * - anything else is refused.
 *
 * A `URL` and `{ url }` must be http(s) or webcal. Local files are read only when asked for
 * explicitly with `{ path }`: a feed URL often comes from a user, and `file:///…` or a bare
 * path would let them read the server's files. Use `{ text }` for text in hand.
 */
export type IcsSource =
  | string
  | URL
  | {
      /** An `http(s)://` or `webcal(s)://` URL; `file:` and other schemes are refused. */
      readonly url: string | URL;
    }
  | {
      /** A file path (relative paths resolve against the working directory): the only way to read a file. */
      readonly path: string;
    }
  | {
      /** The iCalendar text itself. */
      readonly text: string;
    };

/** Options of `createIcsCalendarProvider`. */
export interface IcsProviderOptions {
  /** The feed; see {@link IcsSource} for how a bare string is read. */
  readonly source: IcsSource;
  /** Id of the feed's one calendar. Default `feed`; `primary` is accepted as an alias. */
  readonly calendarId?: string | undefined;
  /**
   * IANA zone for floating times (no `TZID`, no `Z`) and all-day dates when the feed
   * declares no usable `X-WR-TIMEZONE`. Without either, they are read in `UTC`.
   */
  readonly defaultTimeZone?: string | undefined;
  /**
   * How long a fetched or read feed is reused, in ms; `0` reloads on every call. Default
   * 300 000 (5 minutes). URL reloads are conditional (`ETag`/`Last-Modified`), file reloads
   * skip parsing when size and mtime are unchanged. A `text` source is parsed once.
   */
  readonly refreshIntervalMs?: number | undefined;
  /** `fetch` used for URL sources. Default: the global `fetch`. */
  readonly fetch?: FetchLike | undefined;
  /** Extra request headers for URL sources, e.g. `authorization` for a private feed. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Retry policy of URL fetches (see core's `createHttpClient`). Default: 3 attempts. */
  readonly retry?: RetryPolicy | undefined;
  /** Largest feed accepted, in bytes; bigger ones fail with `ProviderError`. Default 20 MiB. */
  readonly maxFeedBytes?: number | undefined;
  /**
   * Most occurrences generated per recurring series per query (counted from its
   * `DTSTART`). A series needing more (say, `FREQ=MINUTELY` for years) is cut off there
   * with a warning instead of stalling the call, and treated as {@link IcsProviderOptions.maxExpansionSteps}
   * describes. Default 100 000.
   */
  readonly maxOccurrencesPerSeries?: number | undefined;
  /**
   * Work one query may spend expanding recurrences, over all series of the feed together: a
   * step is one occurrence produced or one candidate time tried on the way. Series not
   * expanded through the requested range by then are cut: `freeBusy` shows the rest of the
   * range busy (never free), listings and `getEvent` fail with a `ProviderError`. Expansion
   * yields to the event loop every 2,000 steps, and one rule may try at most 5,000
   * candidates between occurrences. Default 200 000.
   */
  readonly maxExpansionSteps?: number | undefined;
  /** Receives warnings about skipped events, unknown zones and truncated series. */
  readonly logger?: Logger | undefined;
  /** Time source for refresh intervals and retry backoff. */
  readonly clock?: Clock | undefined;
}

/** A source after {@link resolveSource}. */
export type ResolvedSource =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'url'; readonly url: URL }
  | { readonly kind: 'path'; readonly path: string };

/** Defaults applied to {@link IcsProviderOptions}. */
export const ICS_DEFAULTS = Object.freeze({
  /** Id of the feed's one calendar. */
  calendarId: 'feed',
  /** How long a fetched or read feed is reused, in ms (5 minutes). */
  refreshIntervalMs: 300_000,
  /** Largest feed accepted, in bytes (20 MiB). */
  maxFeedBytes: 20 * 1024 * 1024,
  /** Most occurrences generated per recurring series per query. */
  maxOccurrencesPerSeries: 100_000,
  /** Expansion steps per query, over all series. */
  maxExpansionSteps: 200_000,
});

const VCALENDAR_TEXT = /^\uFEFF?\s*BEGIN:VCALENDAR/i;
const WEB_URL = /^(https?|webcals?):\/\//i;

/** A URL to fetch: webcal becomes https; anything but http(s) is refused. */
function webUrl(value: string | URL): URL | string {
  const text = typeof value === 'string' ? value.trim() : value.href;
  const https = text.replace(/^webcals?:\/\//i, 'https://');
  let url: URL;
  try {
    url = new URL(https);
  } catch {
    return 'must be an absolute http(s) or webcal URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http, https or webcal; read a local file with { path }';
  if (url.username !== '' || url.password !== '') return 'must not contain credentials; pass them in headers';
  return url;
}

function fromUrl(value: string | URL): ResolvedSource | string {
  const url = webUrl(value);
  return typeof url === 'string' ? url : { kind: 'url', url };
}

/** Reads an {@link IcsSource}; returns an error message for an unusable one. */
export function resolveSource(source: IcsSource): ResolvedSource | string {
  if (typeof source === 'string') {
    if (VCALENDAR_TEXT.test(source)) return { kind: 'text', text: source };
    if (WEB_URL.test(source.trim())) return fromUrl(source);
    if (source.trim() === '') return 'must not be empty';
    // Never a file path: the string may come from a user. Files need an explicit { path }.
    return 'must be iCalendar text or an http(s)/webcal URL; read a local file with { path }';
  }
  if (source instanceof URL) return fromUrl(source);
  if ('text' in source) return { kind: 'text', text: source.text };
  if ('path' in source) return source.path.trim() === '' ? 'path must not be empty' : { kind: 'path', path: source.path };
  return fromUrl(source.url);
}

const sourceSchema = z
  .union([
    z.string(),
    z.instanceof(URL),
    z.strictObject({ url: z.union([z.string(), z.instanceof(URL)]) }),
    z.strictObject({ path: z.string() }),
    z.strictObject({ text: z.string() }),
  ])
  .transform((source, ctx): ResolvedSource => {
    const resolved = resolveSource(source);
    if (typeof resolved === 'string') {
      ctx.issues.push({ code: 'custom', message: resolved, input: source });
      return z.NEVER;
    }
    return resolved;
  });

const fn = (message: string) => z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', message);
const hasMethods = (names: readonly string[]) => (value: unknown) =>
  typeof value === 'object' && value !== null && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');

const optionsSchema = z.object({
  source: sourceSchema,
  calendarId: z.string().regex(/\S/, 'must not be empty').optional(),
  defaultTimeZone: z.string().refine(isValidTimeZone, 'must be a known IANA time zone, e.g. Europe/London').optional(),
  refreshIntervalMs: z.number().int().min(0).optional(),
  fetch: fn('must be a function').optional(),
  headers: z.record(z.string(), z.string()).optional(),
  retry: z.object({}).loose().optional(),
  maxFeedBytes: z.number().int().positive().optional(),
  maxOccurrencesPerSeries: z.number().int().positive().optional(),
  maxExpansionSteps: z.number().int().positive().optional(),
  logger: z.custom<Logger>(hasMethods(['debug', 'info', 'warn', 'error']), 'must implement debug, info, warn and error').optional(),
  clock: z.custom<Clock>(hasMethods(['now', 'sleep']), 'must implement now and sleep').optional(),
});

/** Options after validation, source resolved. */
export type ValidatedIcsOptions = Omit<IcsProviderOptions, 'source'> & { readonly source: ResolvedSource };

/** Validates options with core's `parse`: `ValidationError` naming every bad field (`options.source`, ...). */
export function validateIcsOptions(options: IcsProviderOptions): ValidatedIcsOptions {
  const parsed = parse(optionsSchema, options, { provider: 'ics', operation: 'createIcsCalendarProvider', path: 'options' });
  // The schema only checks shapes; the caller's own objects (fetch, logger, clock, retry) pass through untouched.
  return { ...options, source: parsed.source };
}
