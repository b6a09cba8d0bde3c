/**
 * Gaming: rewards, challenges, matchmaking and community sentiment. Twitch and Discord live
 * in the `@almanac/arcade/twitch` and `@almanac/arcade/discord` subpaths.
 *
 * @packageDocumentation
 */
export { toNodeListener } from './webhooks/node-listener';
export type { NodeListenerOptions } from './webhooks/node-listener';
export type { WebhookHandler, WebhookRejection, WebhookRejectionReason } from './webhooks/types';
