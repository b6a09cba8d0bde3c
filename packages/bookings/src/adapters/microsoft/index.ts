/**
 * `@almanac/bookings/microsoft`: Microsoft 365 calendars through Microsoft Graph v1.0.
 *
 * The Graph SDK (`@microsoft/microsoft-graph-client`) and `@azure/msal-node` are optional
 * peers, loaded on first use; pass your own `client` to need neither. No public type here
 * refers to them.
 *
 * @packageDocumentation
 */
import { checkFactoryOptions } from '@almanac/core';
import type { OptionKeys } from '@almanac/core';
import { createCalendar } from '../../facade/create-calendar';
import { calendarOptionsOf } from '../../facade/options';
import type { Calendar, CalendarOptions } from '../../facade/types';
import { createMicrosoftCalendarProvider } from './provider';
import type { MicrosoftProviderOptions } from './types';

/** Options of {@link createMicrosoftCalendar}: provider options plus the facade's. */
export type MicrosoftCalendarOptions = MicrosoftProviderOptions & CalendarOptions;

// Every option, so plain-JavaScript callers get "did you mean" for a misspelt one (the type keeps it complete).
const MICROSOFT_CALENDAR_OPTION_KEYS: OptionKeys<MicrosoftCalendarOptions> = { client: true, getAccessToken: true, credentials: true, userId: true, baseUrl: true, retry: true, clock: true, logger: true, pageSize: true, syncWindow: true, cancelComment: true, distributionLists: true, modules: true, timeoutMs: true, onEvent: true, freeBusyConcurrency: true };

/**
 * A {@link Calendar} over Microsoft 365. `calendar.provider` is a `MicrosoftCalendarProvider`
 * (for `renewSubscriptionIfNeeded`). Throws `ConfigError` naming every bad option.
 */
export function createMicrosoftCalendar(options: MicrosoftCalendarOptions): Calendar {
  checkFactoryOptions(options, MICROSOFT_CALENDAR_OPTION_KEYS, { factory: 'createMicrosoftCalendar', provider: 'microsoft' });
  return createCalendar(createMicrosoftCalendarProvider(options), calendarOptionsOf(options));
}

export { createMicrosoftCalendarProvider, createMicrosoftProvider, isMicrosoftProvider, MICROSOFT_CAPABILITIES } from './provider';
export type { MicrosoftCalendarProvider } from './provider';
export type {
  GraphAccessTokenProvider,
  GraphClientLike,
  GraphRequestLike,
  MicrosoftAppCredentials,
  MicrosoftAuthOptions,
  MicrosoftModuleLoaders,
  MicrosoftProviderOptions,
  MicrosoftProviderSettings,
  MicrosoftSyncWindow,
  MsalConfidentialClientConstructor,
  MsalConfidentialClientLike,
  MsalConfigurationLike,
  MsalModuleLike,
  MsalTokenResultLike,
} from './types';
export { MAX_SUBSCRIPTION_MINUTES } from './subscriptions';
export type { RenewSubscriptionOptions } from './subscriptions';
export { renewSubscriptionIfNeeded } from './renewal';
export { handleGraphLifecycleEvent } from './lifecycle';
export type { GraphLifecycleOptions, GraphLifecycleOutcome } from './lifecycle';
export type { RenewIfNeededOptions } from './renewal';
export { graphZoneToIana } from './windows-zones';
export { createGraphNotificationHandler, handleGraphNotification } from './webhook';
export type {
  GraphChangeNotification,
  GraphNotificationOptions,
  GraphNotificationRequest,
  GraphNotificationResponse,
  GraphResourceData,
} from './webhook';
export {
  createMicrosoftTokenProvider,
  exchangeMicrosoftCode,
  MICROSOFT_AUTHORITY,
  microsoftAuthorizationUrl,
  refreshMicrosoftToken,
  saveMicrosoftTokens,
} from './oauth';
export type {
  ExchangeMicrosoftCodeOptions,
  MicrosoftAuthorizationUrlOptions,
  MicrosoftOAuthApp,
  MicrosoftTokenProviderOptions,
  RefreshMicrosoftTokenOptions,
} from './oauth';
export { GRAPH_DEFAULT_SCOPE } from './app-only';
