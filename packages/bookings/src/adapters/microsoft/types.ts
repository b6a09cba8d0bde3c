// Public types of the Microsoft adapter. Nothing here references the Graph SDK or msal, so a
// consumer without those optional peers installed can still import and type-check.
import type { Clock, Logger, RetryPolicy } from '@almanac/core';

/**
 * One request being built, the part of the Graph SDK's `GraphRequest` this adapter uses.
 * The SDK's own class satisfies it; so can a hand-written fake.
 */
export interface GraphRequestLike {
  /** Sets one request header. */
  header(name: string, value: string): GraphRequestLike;
  /** Sets one `fetch` option; the adapter passes `signal` this way. */
  option(key: string, value: unknown): GraphRequestLike;
  /** Sends a GET; resolves the parsed body. */
  get(): Promise<unknown>;
  /** Sends a POST with a JSON body; resolves the parsed body. */
  post(content: unknown): Promise<unknown>;
  /** Sends a PATCH with a JSON body; resolves the parsed body. */
  patch(content: unknown): Promise<unknown>;
  /** Sends a DELETE. */
  delete(): Promise<unknown>;
}

/**
 * A Microsoft Graph client: the SDK's `Client` (from `Client.init`/`initWithMiddleware`) fits.
 * `path` is an absolute Graph URL. If the client has the SDK's default middleware, its own
 * `RetryHandler` retries throttled calls before this adapter sees them.
 */
export interface GraphClientLike {
  /** Starts a request to an absolute Graph URL. */
  api(path: string): GraphRequestLike;
}

/**
 * Returns a Graph access token. Called before every request, so cache inside (the helpers
 * in this module do). Honour `signal` when fetching a fresh token.
 */
export type GraphAccessTokenProvider = (signal: AbortSignal) => Promise<string>;

/** App-only (client credentials) sign-in, used through `@azure/msal-node`. */
export interface MicrosoftAppCredentials {
  /** Directory (tenant) id or domain. */
  readonly tenantId: string;
  /** Application (client) id. */
  readonly clientId: string;
  /** Client secret. Never logged or put in errors. */
  readonly clientSecret: string;
}

/** The token msal returns for a client-credentials request. */
export interface MsalTokenResultLike {
  /** The bearer token. */
  readonly accessToken: string;
  /** When it expires, if msal says. */
  readonly expiresOn?: Date | null | undefined;
}

/** The msal confidential client, as far as client credentials go. */
export interface MsalConfidentialClientLike {
  /** Gets an app-only token (from msal's cache when still valid). */
  acquireTokenByClientCredential(request: { scopes: string[] }): Promise<MsalTokenResultLike | null>;
}

/** Configuration handed to the msal confidential client. */
export interface MsalConfigurationLike {
  /** App registration and authority. */
  readonly auth: {
    /** Application (client) id. */
    clientId: string;
    /** `https://login.microsoftonline.com/{tenant}`. */
    authority: string;
    /** Client secret. */
    clientSecret: string;
  };
}

/** Constructs an msal confidential client. */
export type MsalConfidentialClientConstructor = new (configuration: MsalConfigurationLike) => MsalConfidentialClientLike;

/**
 * What `@azure/msal-node` provides for client credentials; injectable so tests and bundlers
 * can supply it without the package being resolvable.
 */
export interface MsalModuleLike {
  /** The msal confidential client constructor. */
  readonly ConfidentialClientApplication: MsalConfidentialClientConstructor;
}

/** Where the optional peers come from. Defaults load them with `import()` on first use. */
export interface MicrosoftModuleLoaders {
  /** Loads `@microsoft/microsoft-graph-client` (or a stand-in exposing `Client.initWithMiddleware`). */
  readonly graph?: (() => Promise<unknown>) | undefined;
  /** Loads `@azure/msal-node` (or a stand-in with `ConfidentialClientApplication`). */
  readonly msal?: (() => Promise<unknown>) | undefined;
}

/** The rolling window `sync` asks Graph to track; delta queries on calendar views need one. */
export interface MicrosoftSyncWindow {
  /** Days before now the window starts. Default 30. */
  readonly pastDays?: number | undefined;
  /** Days after now the window ends. Default 365. */
  readonly futureDays?: number | undefined;
  /**
   * Graph bakes the window into the deltaLink, so it never moves on its own: once it ends more
   * than this many days before `now + futureDays`, the next `sync` re-baselines (a full delta
   * over the current window, `fullResync: true`). Default 30.
   */
  readonly rebaselineDays?: number | undefined;
}

/** How the adapter reaches Graph: exactly one of these. */
export type MicrosoftAuthOptions =
  | {
      /** A ready Graph client (e.g. the SDK's `Client`). */
      readonly client: GraphClientLike;
      /** Not with `client`. */
      readonly getAccessToken?: never | undefined;
      /** Not with `client`. */
      readonly credentials?: never | undefined;
    }
  | {
      /** A token provider; the adapter builds an SDK client on first use. */
      readonly getAccessToken: GraphAccessTokenProvider;
      /** Not with `getAccessToken`. */
      readonly client?: never | undefined;
      /** Not with `getAccessToken`. */
      readonly credentials?: never | undefined;
    }
  | {
      /** App-only credentials; requires `userId`. */
      readonly credentials: MicrosoftAppCredentials;
      /** Not with `credentials`. */
      readonly client?: never | undefined;
      /** Not with `credentials`. */
      readonly getAccessToken?: never | undefined;
    };

/** Settings of the Microsoft provider, besides how it authenticates. */
export interface MicrosoftProviderSettings {
  /**
   * Mailbox to act on (id or UPN). Required for app-only tokens, which have no `/me`; with it
   * every path is `/users/{userId}/...`, without it `/me/...`.
   */
  readonly userId?: string | undefined;
  /** Graph root. Default `https://graph.microsoft.com/v1.0`; set for national clouds. */
  readonly baseUrl?: string | undefined;
  /** Retry policy for idempotent calls. */
  readonly retry?: RetryPolicy | undefined;
  /** Clock for backoff sleeps, subscription expiry and the sync window. */
  readonly clock?: Clock | undefined;
  /** Receives diagnostics; secrets are never passed to it. */
  readonly logger?: Logger | undefined;
  /** `calendarView` page size. Default 100. */
  readonly pageSize?: number | undefined;
  /** Range covered by `sync`. */
  readonly syncWindow?: MicrosoftSyncWindow | undefined;
  /** Message sent to attendees when an event is cancelled with `notify: true`. Default none. */
  readonly cancelComment?: string | undefined;
  /**
   * SMTP addresses of distribution lists that `freeBusy` may be asked about. Graph counts a
   * list's members toward the 20-entity limit of one `getSchedule` call, so each list named
   * here is queried in a call of its own. Default none.
   */
  readonly distributionLists?: readonly string[] | undefined;
  /** Overrides how optional peers are loaded. */
  readonly modules?: MicrosoftModuleLoaders | undefined;
}

/** Options of `createMicrosoftCalendarProvider`. */
export type MicrosoftProviderOptions = MicrosoftAuthOptions & MicrosoftProviderSettings;
