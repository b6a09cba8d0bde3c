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
