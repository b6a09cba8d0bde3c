/**
 * Discord: the interactions endpoint, a rate-limit-aware REST client, embeds validation,
 * OAuth2 account linking and Linked Roles.
 *
 * @packageDocumentation
 */
export { InteractionResponseType, InteractionType, createInteractionsHandler } from './interactions-handler';
export type { DiscordInteraction, InteractionContext, InteractionReply, InteractionsHandlerOptions } from './interactions-handler';
export { toNodeListener } from '../../webhooks/node-listener';
export type { NodeListenerOptions } from '../../webhooks/node-listener';
export type { WebhookHandler, WebhookRejection, WebhookRejectionReason } from '../../webhooks/types';
