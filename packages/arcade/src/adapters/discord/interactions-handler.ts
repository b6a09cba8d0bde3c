import { ConfigError, createEd25519PublicKey, createReplayGuard, systemClock, verifyEd25519 } from '@almanac/core';
import type { Clock, Ed25519PublicKeyInput, FetchLike, SeenIdStore } from '@almanac/core';
import { DEFAULT_MAX_BODY_BYTES, concatBytes, createDispatchQueue, jsonResponse, readBodyLimited, reportRejection, textResponse } from '../../webhooks/http';
import type { WebhookHandler, WebhookRejection } from '../../webhooks/types';
import { validateDiscordMessage } from './embeds';
import type { DiscordMessageInput } from './embeds';

/** Interaction types (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-interaction-type). */
export const InteractionType = {
  /** Endpoint check. */
  Ping: 1,
  /** Slash, user or message command. */
  ApplicationCommand: 2,
  /** Button or select menu. */
  MessageComponent: 3,
  /** Autocomplete request of a command option. */
  ApplicationCommandAutocomplete: 4,
  /** Modal submitted. */
  ModalSubmit: 5,
} as const;

/** Interaction callback types (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type). */
export const InteractionResponseType = {
  /** Answers a PING. */
  Pong: 1,
  /** Replies with a message. */
  ChannelMessageWithSource: 4,
  /** Acknowledges now; the message follows by editing the original response. */
  DeferredChannelMessageWithSource: 5,
  /** For components: acknowledges now, edits the message later. */
  DeferredUpdateMessage: 6,
  /** For components: edits the message the component is attached to. */
  UpdateMessage: 7,
  /** Autocomplete choices. */
  ApplicationCommandAutocompleteResult: 8,
  /** Opens a modal. */
  Modal: 9,
} as const;

/** A verified interaction as Discord sent it (fields used here are typed; everything else is kept). */
export interface DiscordInteraction {
  /** Interaction id. */
  readonly id: string;
  /** Application id. */
  readonly application_id: string;
  /** {@link InteractionType}. */
  readonly type: number;
  /** Continuation token for follow-ups and editing the original response (valid 15 minutes). */
  readonly token: string;
  /** Command or component data. */
  readonly data?: Readonly<Record<string, unknown>> | undefined;
  /** Guild, when sent from one. */
  readonly guild_id?: string | undefined;
  /** Channel. */
  readonly channel_id?: string | undefined;
  /** Invoking member (in a guild). */
  readonly member?: Readonly<Record<string, unknown>> | undefined;
  /** Invoking user (in DMs). */
  readonly user?: Readonly<Record<string, unknown>> | undefined;
  /** Everything else. */
  readonly [key: string]: unknown;
}

/** What a command or component handler answers: an interaction response (`type` + `data`). */
export interface InteractionReply {
  /** {@link InteractionResponseType}. */
  readonly type: number;
  /** Message (or modal, or choices) data. */
  readonly data?: Readonly<Record<string, unknown>> | undefined;
}

/** Context given to handlers. */
export interface InteractionContext {
  /** Aborted when the follow-up window (15 minutes) is over. */
  readonly signal: AbortSignal;
}

/** Options of {@link createInteractionsHandler}. */
export interface InteractionsHandlerOptions {
  /** The application's public key (hex, from the developer portal). */
  publicKey: Ed25519PublicKeyInput;
  /** Handles application commands and autocomplete. */
  onCommand(interaction: DiscordInteraction, context: InteractionContext): Promise<InteractionReply> | InteractionReply;
  /** Handles message components and modal submits; without it they are acknowledged with type 6. */
  onComponent?: ((interaction: DiscordInteraction, context: InteractionContext) => Promise<InteractionReply> | InteractionReply) | undefined;
  /** Time source. Default: the system clock. */
  clock?: Clock | undefined;
  /**
   * When a handler has not answered after this many ms, the interaction is deferred (type 5,
   * or 6 for components) and the reply is sent later by editing the original response.
   * Discord allows 3 s for the first answer. Default 2 000.
   */
  deferAfterMs?: number | undefined;
  /** Largest accepted age (and future skew) of `X-Signature-Timestamp`, in ms. Default 5 minutes. */
  maxAgeMs?: number | undefined;
  /** Where interaction ids are remembered, so a captured request cannot be replayed. Default: in memory. */
  seen?: SeenIdStore | undefined;
  /** Largest body read, in bytes. Default 1 MiB. */
  maxBodyBytes?: number | undefined;
  /** Discord API base for follow-ups. Default `https://discord.com/api/v10`. */
  baseUrl?: string | undefined;
  /** `fetch` for follow-ups. Default: the global one. */
  fetch?: FetchLike | undefined;
  /** Receives handler and follow-up errors (never secrets). */
  onError?: ((error: unknown) => void) | undefined;
  /** Observes refused requests: reason and status only. */
  onReject?: ((rejection: WebhookRejection) => void) | undefined;
}

const HEADER_SIGNATURE = 'x-signature-ed25519';
const HEADER_TIMESTAMP = 'x-signature-timestamp';
const TIMESTAMP_SHAPE = /^\d{1,12}$/;
const SNOWFLAKE = /^\d{1,20}$/;
const TOKEN_SHAPE = /^[A-Za-z0-9._-]{1,500}$/;
const FOLLOW_UP_WINDOW_MS = 15 * 60_000;
const encoder = new TextEncoder();

const deferralFor = (interaction: DiscordInteraction): InteractionReply =>
  interaction.type === InteractionType.ApplicationCommand || interaction.type === InteractionType.ModalSubmit
    ? { type: InteractionResponseType.DeferredChannelMessageWithSource }
    : { type: InteractionResponseType.DeferredUpdateMessage };

/**
 * Creates the Discord interactions endpoint
 * (https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint).
 * Every request must carry a valid Ed25519 signature over `X-Signature-Timestamp` + raw body
 * (401 otherwise, which is also what Discord's endpoint check expects), a timestamp within
 * `maxAgeMs` (401) and an interaction id not seen before (401). PING is answered `{ type: 1 }`.
 * Commands go to `onCommand`; if it has not answered within `deferAfterMs`, the request is
 * answered with a deferral (type 5) and the reply is delivered by editing the original
 * response through the interaction's webhook token (`PATCH /webhooks/{app}/{token}/messages/@original`),
 * which needs no bot token and meets Discord's 3-second deadline.
 */
export function createInteractionsHandler(options: InteractionsHandlerOptions): WebhookHandler {
  const publicKey = createEd25519PublicKeyOrConfigError(options.publicKey);
  if (typeof options.onCommand !== 'function') {
    throw new ConfigError('onCommand must be a function', [{ path: 'onCommand', message: 'must be a function' }]);
  }
  const clock = options.clock ?? systemClock;
  const deferAfterMs = options.deferAfterMs ?? 2_000;
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(deferAfterMs) || deferAfterMs < 0 || deferAfterMs > 2_900) {
    throw new ConfigError('deferAfterMs must be 0-2900', [{ path: 'deferAfterMs', message: 'must be an integer from 0 to 2900 (Discord allows 3 s)' }]);
  }
  if (!Number.isSafeInteger(maxAgeMs) || maxAgeMs <= 0) throw new ConfigError('maxAgeMs must be a positive integer', [{ path: 'maxAgeMs', message: 'must be a positive integer' }]);
  const baseUrl = (options.baseUrl ?? 'https://discord.com/api/v10').replace(/\/+$/, '');
  const guard = createReplayGuard({ windowMs: maxAgeMs, clock, ...(options.seen ? { store: options.seen } : {}) });
  const queue = createDispatchQueue(options.onError);
  const reject = (reason: Parameters<typeof reportRejection>[1], status: number, id?: string) => {
    reportRejection(options.onReject, reason, status, id);
    return textResponse(status, status === 401 ? 'invalid request signature' : status === 413 ? 'Payload Too Large' : status === 405 ? 'Method Not Allowed' : 'Bad Request');
  };

  const editOriginal = async (interaction: DiscordInteraction, reply: InteractionReply, signal: AbortSignal) => {
    if (!reply.data) return;
    // Checked here rather than by Discord: a 400 would count towards the invalid-request limit.
    validateDiscordMessage(reply.data as DiscordMessageInput);
    const doFetch = options.fetch ?? globalThis.fetch;
    const url = `${baseUrl}/webhooks/${interaction.application_id}/${interaction.token}/messages/@original`;
    const response = await doFetch(url, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(reply.data),
      signal,
    });
    if (!response.ok) {
      // The URL holds the interaction token: report the status only.
      throw new Error(`Discord follow-up failed with HTTP ${response.status}`);
    }
  };

  const answer = async (interaction: DiscordInteraction, handler: NonNullable<InteractionsHandlerOptions['onComponent']>): Promise<Response> => {
    const window = new AbortController();
    const context: InteractionContext = { signal: window.signal };
    let result: Promise<InteractionReply> | InteractionReply;
    try {
      result = handler(interaction, context);
    } catch (error) {
      options.onError?.(error);
      return jsonResponse(500, { error: 'interaction handler failed' });
    }
    // A synchronous answer needs no deadline timer.
    if (!(result instanceof Promise)) return jsonResponse(200, result);
    const work = result;
    const deadline = new AbortController();
    const timedOut = clock.sleep(deferAfterMs, deadline.signal, { deadline: true }).then(
      () => 'deferred' as const,
      () => 'cancelled' as const,
    );
    const first = await Promise.race([work.then((reply) => ({ reply }), (error: unknown) => ({ error })), timedOut]);
    if (first !== 'deferred' && first !== 'cancelled') {
      deadline.abort();
      if ('error' in first) {
        options.onError?.(first.error);
        return jsonResponse(500, { error: 'interaction handler failed' });
      }
      return jsonResponse(200, first.reply);
    }
    // Deferred: the interaction token stays valid for 15 minutes; the context signal ends then.
    void clock.sleep(FOLLOW_UP_WINDOW_MS, window.signal).then(
      () => window.abort(new Error('interaction token expired')),
      () => undefined,
    );
    queue.dispatch(async () => {
      try {
        await editOriginal(interaction, await work, window.signal);
      } finally {
        window.abort();
      }
    });
    return jsonResponse(200, deferralFor(interaction));
  };

  const handle = async (request: Request): Promise<Response> => {
    if (request.method !== 'POST') return reject('method', 405);
    let body: Uint8Array | undefined;
    try {
      body = await readBodyLimited(request, maxBodyBytes);
    } catch {
      return reject('malformed-body', 400);
    }
    if (!body) return reject('too-large', 413);
    const signature = request.headers.get(HEADER_SIGNATURE);
    const timestamp = request.headers.get(HEADER_TIMESTAMP);
    if (signature === null || timestamp === null) return reject('missing-header', 401);
    if (!TIMESTAMP_SHAPE.test(timestamp)) return reject('malformed-header', 401);
    // The replay guard's window (seconds, symmetric) checked before the signature too: a stale
    // or future delivery is refused without spending an Ed25519 verification on it, which keeps
    // floods of old captures cheap. The guard checks again below, with the seen ids.
    const skewMs = Number(timestamp) * 1000 - clock.now();
    if (skewMs < -maxAgeMs) return reject('stale', 401);
    if (skewMs > maxAgeMs) return reject('future', 401);
    if (!verifyEd25519({ publicKey, message: concatBytes(encoder.encode(timestamp), body), signature })) return reject('bad-signature', 401);
    let interaction: DiscordInteraction;
    try {
      interaction = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch /* Stryker disable next-line BlockStatement: equivalent; without this return `interaction` stays undefined and the shape check below answers the same 400 malformed-body */ {
      return reject('malformed-body', 400);
    }
    if (
      interaction === null ||
      // Stryker disable next-line ConditionalExpression: equivalent; a JSON primitive has no string `id`, so the next check refuses it too
      typeof interaction !== 'object' ||
      typeof interaction.id !== 'string' ||
      !SNOWFLAKE.test(interaction.id) ||
      typeof interaction.type !== 'number' ||
      typeof interaction.application_id !== 'string' ||
      !SNOWFLAKE.test(interaction.application_id) ||
      typeof interaction.token !== 'string' ||
      !TOKEN_SHAPE.test(interaction.token)
    ) {
      return reject('malformed-body', 400);
    }
    const fresh = await guard.check({ id: interaction.id, timestamp });
    if (!fresh.ok) {
      // Only 'duplicate' reaches here: the timestamp (digits, so never before 1970) was checked
      // against the same window above and the id is a snowflake, so the guard never says
      // 'invalid', 'stale' or 'future'. The mapping stays for safety; its mutants cannot be told
      // apart (`-> true`, which would misreport a duplicate, is pinned by interactions-refusals.test.ts).
      // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, 'invalid' is unreachable here (see above)
      const reason = fresh.reason === 'invalid' ? 'malformed-header' : fresh.reason;
      return reject(reason, 401, interaction.id);
    }
    switch (interaction.type) {
      case InteractionType.Ping:
        return jsonResponse(200, { type: InteractionResponseType.Pong });
      case InteractionType.ApplicationCommand:
      case InteractionType.ApplicationCommandAutocomplete:
        return answer(interaction, options.onCommand);
      case InteractionType.MessageComponent:
      case InteractionType.ModalSubmit:
        if (options.onComponent) return answer(interaction, options.onComponent);
        return jsonResponse(200, { type: InteractionResponseType.DeferredUpdateMessage });
      default:
        return reject('malformed-body', 400, interaction.id);
    }
  };

  return {
    async handle(request) {
      try {
        return await handle(request);
      } catch (error) {
        options.onError?.(error);
        return textResponse(500, 'Internal Server Error');
      }
    },
    idle: () => queue.idle(),
  };
}

function createEd25519PublicKeyOrConfigError(input: Ed25519PublicKeyInput) {
  try {
    return createEd25519PublicKey(input);
  } catch (cause) {
    throw new ConfigError('publicKey must be the application public key (64 hex characters)', [{ path: 'publicKey', message: 'must be 64 hex characters or 32 bytes' }], { cause });
  }
}
