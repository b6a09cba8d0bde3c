/**
 * Twitch: the EventSub webhook endpoint, app and user OAuth, and a Helix client.
 *
 * @packageDocumentation
 */
export { createEventSubHandler } from './eventsub-handler';
export type { EventSubHandlerOptions, EventSubNotification, EventSubRevocation, EventSubSubscription } from './eventsub-handler';
export { toNodeListener } from '../../webhooks/node-listener';
export type { NodeListenerOptions } from '../../webhooks/node-listener';
export type { WebhookHandler, WebhookRejection, WebhookRejectionReason } from '../../webhooks/types';
export { TWITCH_ID_BASE_URL, createTwitchAppAuth, createTwitchOAuth } from './auth';
export type { TwitchAppAuth, TwitchAppAuthOptions, TwitchAuthorizationRequest, TwitchOAuth, TwitchOAuthOptions, TwitchUserAuthOptions } from './auth';
export { TWITCH_HELIX_BASE_URL, createTwitchClient } from './client';
export type {
  CreateEventSubSubscriptionInput,
  DropsEntitlement,
  DropsEntitlementsFilter,
  DropsUpdateFailure,
  DropsUpdateResult,
  DropsUpdateStatus,
  EventSubCost,
  TwitchCallOptions,
  TwitchClient,
  TwitchClientOptions,
  TwitchPage,
  TwitchStream,
  TwitchSubscriptionCheck,
  TwitchUser,
} from './client';
export { createTwitchRateLimitedFetch } from './rate-limit';
export type { TwitchRateLimitState, TwitchRateLimitedFetch } from './rate-limit';
export type { ArcadeOperationOptions } from '../../kit/operations';
