import { createPeerLoader } from '@almanac/core/kit';
import { GOOGLE_PROVIDER } from './errors';

// exact-optional-ignore: the real SDK's MethodOptions must stay assignable to this shape.
/** Per-request options the adapter passes to the SDK (a subset of gaxios `MethodOptions`). */
export interface GoogleRequestOptions {
  /** Aborts the HTTP request. */
  readonly signal?: AbortSignal;
  /** Extra headers, e.g. `If-Match`. */
  readonly headers?: Record<string, string>;
  /** Always `false`: retries belong to core's `withRetry`, so they use the injected clock. */
  readonly retry?: boolean;
}

/** What the adapter reads of an SDK response. */
export interface GoogleResponse {
  /** Parsed JSON body (empty for `204`). */
  readonly data: unknown;
}

/** One SDK method as the adapter calls it: `(params, options) => { data }`. */
export type GoogleMethod = (params: Record<string, unknown>, options?: GoogleRequestOptions) => Promise<GoogleResponse>;

/**
 * The part of `calendar({ version: 'v3' })` from `@googleapis/calendar` the adapter calls.
 * Structural, so the public types never mention the SDK: consumers without it installed
 * still type-check, and tests can inject a fake.
 */
export interface GoogleCalendarClient {
  /** `events.*` methods. */
  readonly events: {
    /** `events.list` */
    list: GoogleMethod;
    /** `events.get` */
    get: GoogleMethod;
    /** `events.insert` */
    insert: GoogleMethod;
    /** `events.patch` */
    patch: GoogleMethod;
    /** `events.delete` */
    delete: GoogleMethod;
    /** `events.watch` */
    watch: GoogleMethod;
    /** `events.instances`: `sync` expands changed recurring series with it. */
    instances?: GoogleMethod | undefined;
  };
  /** `freebusy.query`. */
  readonly freebusy: {
    /** `freebusy.query` */
    query: GoogleMethod;
  };
  /** `channels.stop`. */
  readonly channels: {
    /** `channels.stop` */
    stop: GoogleMethod;
  };
}

/**
 * Credentials the SDK accepts as `auth`: an `OAuth2Client`/`GoogleAuth` from
 * `google-auth-library` (or `auth.OAuth2` of `@googleapis/calendar`), or an API key string.
 * Typed as an opaque object so the SDK's types stay out of ours.
 */
export type GoogleAuthLike = string | object;

/** Source of access tokens, e.g. {@link createGoogleTokenProvider}; same shape as core's `HttpAuth`. */
export interface GoogleAccessTokenSource {
  /** Returns a valid access token; a fresh one when `forceRefresh` is set. */
  getToken(options: { readonly forceRefresh: boolean; readonly signal: AbortSignal }): Promise<string>;
}

/** The slice of the SDK module the loader uses. */
interface GoogleSdkModule {
  calendar(options: { version: 'v3'; auth?: unknown }): GoogleCalendarClient;
  auth: { OAuth2: new () => OAuth2Like };
}

interface OAuth2Like {
  refreshHandler?: (() => Promise<{ access_token: string; expiry_date: number }>) | undefined;
}

/** Imports the SDK module; injectable so the missing-package path can be tested. */
export type GoogleSdkImporter = () => Promise<unknown>;

/** The real importer. The specifier is a literal so bundlers can see the optional peer. */
export const importGoogleSdk: GoogleSdkImporter = () => import('@googleapis/calendar');

/**
 * The loader of `@googleapis/calendar` for one adapter instance. It is an optional peer
 * dependency: users of other providers should not pay its ~21 MB install, so a missing package
 * becomes a `ConfigError` that says what to install instead of a bare module-resolution failure.
 */
function googleSdkLoader(importer: GoogleSdkImporter): () => Promise<GoogleSdkModule> {
  return createPeerLoader<GoogleSdkModule>({
    pkg: '@googleapis/calendar',
    provider: GOOGLE_PROVIDER,
    importer,
    exportName: 'calendar',
    minVersion: '9',
    requiredBy: 'The Google Calendar adapter',
  });
}

/** How the adapter gets its client: injected, or built from credentials on first use. */
export interface GoogleClientSource {
  /** An injected client; used as is. */
  readonly client?: GoogleCalendarClient | undefined;
  /** Credentials handed to the SDK. */
  readonly auth?: GoogleAuthLike | undefined;
  /** Token source wrapped into an SDK OAuth2 client. */
  readonly tokens?: GoogleAccessTokenSource | undefined;
  /** SDK importer, for tests. */
  readonly importer?: GoogleSdkImporter | undefined;
}

/**
 * Returns a function resolving the client once. The promise is cached per adapter instance
 * (never module-wide), and a failed load is not cached so installing the package and
 * retrying works without restarting.
 */
export function lazyGoogleClient(source: GoogleClientSource): () => Promise<GoogleCalendarClient> {
  if (source.client) {
    const client = source.client;
    return () => Promise.resolve(client);
  }
  const loadSdk = googleSdkLoader(source.importer ?? importGoogleSdk);
  let pending: Promise<GoogleCalendarClient> | undefined;
  return () => {
    pending ??= loadSdk()
      .then((sdk) => build(sdk, source))
      .catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
    return pending;
  };
}

function build(sdk: GoogleSdkModule, source: GoogleClientSource): GoogleCalendarClient {
  if (source.tokens) {
    const tokens = source.tokens;
    const oauth = new sdk.auth.OAuth2();
    // An already-expired expiry makes the SDK ask our source before every request; the source
    // caches and refreshes on the injected clock, so there is one notion of "expired".
    oauth.refreshHandler = async () => ({
      access_token: await tokens.getToken({ forceRefresh: false, signal: new AbortController().signal }),
      expiry_date: 1,
    });
    return sdk.calendar({ version: 'v3', auth: oauth });
  }
  return sdk.calendar({ version: 'v3', auth: source.auth });
}
