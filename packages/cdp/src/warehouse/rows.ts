import { PREVIOUS_ID_TYPE } from '../identity/graph';
import type { CdpMessage } from '../messages/types';
import type { EventRow, IdentityRow } from '../spec';

/** The id types the identity graph understands out of the box; traits with these names become identities. */
export const TRAIT_ID_TYPES: readonly string[] = ['email', 'twitch', 'discord', 'google', 'microsoft', 'phone'];

/** The key a message belongs to before identity resolution: its user id, else its anonymous id. */
export function profileKey(message: CdpMessage): string {
  return (message.userId ?? message.anonymousId) as string;
}

/** One `events` row per message. */
export function eventRow(message: CdpMessage): EventRow {
  const properties = message.type === 'identify' || message.type === 'group' ? message.traits : message.type === 'alias' ? { previousId: message.previousId } : message.properties;
  const revenue = (properties as Record<string, unknown> | undefined)?.['revenue'];
  return {
    messageId: message.messageId,
    type: message.type,
    event: message.type === 'track' ? message.event : message.type === 'page' ? (message.name ?? null) : message.type === 'group' ? message.groupId : null,
    profileId: profileKey(message),
    userId: message.userId ?? null,
    anonymousId: message.anonymousId ?? null,
    timestampMs: Date.parse(message.timestamp),
    revenue: typeof revenue === 'number' && Number.isFinite(revenue) ? revenue : null,
    properties: JSON.stringify(properties ?? {}),
  };
}

/** Identity observations carried by a message: its ids, an alias's previous id, identifying traits. */
export function identityRows(message: CdpMessage): IdentityRow[] {
  const rows: IdentityRow[] = [];
  forEachIdentity(message, (profileId, idType, idValue) => rows.push({ profileId, idType, idValue }));
  return rows;
}

/** The observations of {@link identityRows}, one callback each, without building rows (the sink skips most of them). */
export function forEachIdentity(message: CdpMessage, visit: (profileId: string, idType: string, idValue: string) => void): void {
  const key = profileKey(message);
  if (message.userId !== undefined) visit(key, 'user_id', message.userId);
  if (message.anonymousId !== undefined) visit(key, 'anonymous_id', message.anonymousId);
  // Whether a previous id is an anonymous or a user id is decided by the identity graph, which sees every observation.
  if (message.type === 'alias') visit(key, PREVIOUS_ID_TYPE, message.previousId);
  if (message.type === 'identify' && message.traits) {
    for (const type of TRAIT_ID_TYPES) {
      const value = message.traits[type];
      if (typeof value === 'string' && value.length > 0) visit(key, type, type === 'email' ? value.trim().toLowerCase() : value);
    }
  }
}
