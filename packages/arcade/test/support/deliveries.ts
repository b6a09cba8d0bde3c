// Signed EventSub and Discord deliveries for the handler tests, built the way the senders do.
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export const EVENTSUB_SECRET = 'this-is-a-test-secret-0123';
export const NOW = Date.parse('2026-12-03T09:00:00Z');

export interface EventSubDelivery {
  id: string;
  timestamp: string;
  type: string;
  body: string;
  signature: string;
}

/** A notification as Twitch sends it (https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#notification-request). */
export function eventSubBody(id: string, type = 'stream.online'): string {
  return JSON.stringify({
    subscription: {
      id: `sub-${id}`,
      status: 'enabled',
      type,
      version: '1',
      cost: 0,
      condition: { broadcaster_user_id: '1337' },
      transport: { method: 'webhook', callback: 'https://example.com/webhooks/callback' },
      created_at: '2026-12-01T00:00:00.000000000Z',
    },
    event: { id: `evt-${id}`, broadcaster_user_id: '1337', broadcaster_user_login: 'cool_user', type: 'live', started_at: '2026-12-03T08:59:00Z' },
  });
}

export function signEventSub(id: string, timestamp: string, body: string, secret = EVENTSUB_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(id + timestamp + body).digest('hex')}`;
}

export function eventSubDelivery(id: string, options: { timestamp?: string; type?: string; body?: string } = {}): EventSubDelivery {
  const timestamp = options.timestamp ?? new Date(NOW - 1_000).toISOString();
  const body = options.body ?? eventSubBody(id);
  return { id, timestamp, type: options.type ?? 'notification', body, signature: signEventSub(id, timestamp, body) };
}

export function eventSubRequest(delivery: EventSubDelivery, headers: Record<string, string | null> = {}): Request {
  const all: Record<string, string | null> = {
    'Twitch-Eventsub-Message-Id': delivery.id,
    'Twitch-Eventsub-Message-Timestamp': delivery.timestamp,
    'Twitch-Eventsub-Message-Signature': delivery.signature,
    'Twitch-Eventsub-Message-Type': delivery.type,
    'Twitch-Eventsub-Subscription-Type': 'stream.online',
    'Twitch-Eventsub-Subscription-Version': '1',
    'content-type': 'application/json',
    ...headers,
  };
  const h = new Headers();
  for (const [name, value] of Object.entries(all)) if (value !== null) h.set(name, value);
  return new Request('https://example.com/webhooks/callback', { method: 'POST', headers: h, body: delivery.body });
}

export interface DiscordKeys {
  publicKeyHex: string;
  privateKey: KeyObject;
}

export function discordKeys(): DiscordKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'jwk' }).x as string;
  return { publicKeyHex: Buffer.from(raw, 'base64url').toString('hex'), privateKey };
}

export function interactionBody(id: string, type = 2, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    application_id: '111111111111111111',
    type,
    token: `tok-${id}`,
    version: 1,
    data: { id: '222', name: 'rank', type: 1 },
    guild_id: '333',
    channel_id: '444',
    member: { user: { id: '555', username: 'player' } },
    ...extra,
  });
}

export function discordSignature(keys: DiscordKeys, timestamp: string, body: string): string {
  return sign(null, Buffer.from(timestamp + body), keys.privateKey).toString('hex');
}

export function discordRequest(keys: DiscordKeys, body: string, options: { timestamp?: string; signature?: string | null; method?: string } = {}): Request {
  const timestamp = options.timestamp ?? String(Math.floor(NOW / 1000));
  const signature = options.signature === undefined ? discordSignature(keys, timestamp, body) : options.signature;
  const headers = new Headers({ 'content-type': 'application/json', 'x-signature-timestamp': timestamp });
  if (signature !== null) headers.set('x-signature-ed25519', signature);
  return new Request('https://example.com/interactions', { method: options.method ?? 'POST', headers, body });
}
