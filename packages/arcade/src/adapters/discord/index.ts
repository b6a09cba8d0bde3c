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
export { DISCORD_API_BASE_URL, createDiscordClient } from './client';
export type { DiscordCallOptions, DiscordClient, DiscordClientOptions, DiscordMemberRoleInput, DiscordMessage, RoleConnection, RoleConnectionMetadata } from './client';
export { DISCORD_EMBED_LIMITS, validateDiscordMessage } from './embeds';
export type { DiscordEmbed, DiscordEmbedAuthor, DiscordEmbedField, DiscordEmbedFooter, DiscordEmbedLimits, DiscordMessageInput } from './embeds';
export { createDiscordOAuth } from './oauth';
export type { DiscordAuthorizationRequest, DiscordOAuth, DiscordOAuthOptions } from './oauth';
export { createDiscordRateLimitedFetch, discordRoute } from './rate-limited-fetch';
export type { DiscordInvalidRequestWarning, DiscordRateLimitedFetchOptions, DiscordRouteKey } from './rate-limited-fetch';
export { createMemoryDiscordRateLimitStore } from './rate-limit-store';
export type { DiscordBucketState, DiscordRateLimitStore } from './rate-limit-store';
export type { ArcadeOperationOptions } from '../../kit/operations';
export { createRedisDiscordRateLimitStore } from './redis-rate-limit-store';
export type { RedisDiscordRateLimitStoreOptions } from './redis-rate-limit-store';
