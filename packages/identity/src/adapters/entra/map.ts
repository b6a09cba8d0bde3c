import { ProviderError } from '@almanac/core';
import type { Group, Role, User } from '../../spec';
import { PROVIDER } from './options';

// user resource: https://learn.microsoft.com/graph/api/resources/user
// signInActivity: https://learn.microsoft.com/graph/api/resources/signinactivity

/** Properties every user read selects. */
export const USER_FIELDS = ['id', 'displayName', 'mail', 'userPrincipalName', 'accountEnabled', 'createdDateTime'] as const;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function date(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** Reads the metadata JSON of a directory extension property; `{}` when absent or unreadable. */
export function readMetadata(raw: Record<string, unknown>, property: string | undefined): Record<string, unknown> {
  if (property === undefined) return {};
  const value = raw[property];
  if (typeof value !== 'string' || value === '') return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * Maps a Graph user. `email` is `mail`, else the sign-in name; `blocked` is `!accountEnabled`;
 * `lastLoginAt` is `signInActivity.lastSuccessfulSignInDateTime` only (the other sign-in dates
 * include failed attempts); Graph reports no sign-in IP here, so `lastLoginIp` stays absent.
 * `fallbackCreatedAt` serves a create's answer, which lacks `createdDateTime`.
 */
export function mapUser(raw: unknown, metadataProperty: string | undefined, fallbackCreatedAt?: Date): User {
  const user = isRecord(raw) ? raw : {};
  const id = text(user['id']);
  const createdAt = date(user['createdDateTime']) ?? fallbackCreatedAt;
  if (id === undefined || createdAt === undefined) {
    throw new ProviderError(`${PROVIDER}: a user record lacks id or createdDateTime`, { provider: PROVIDER, operation: 'mapUser' });
  }
  const email = text(user['mail']) ?? text(user['userPrincipalName']) ?? '';
  const signIn = isRecord(user['signInActivity']) ? user['signInActivity'] : undefined;
  const lastLoginAt = date(signIn?.['lastSuccessfulSignInDateTime']);
  return {
    id,
    email,
    name: text(user['displayName']) ?? email,
    blocked: user['accountEnabled'] === false,
    createdAt,
    ...(lastLoginAt === undefined ? {} : { lastLoginAt }),
    metadata: readMetadata(user, metadataProperty),
    raw: user,
  };
}

/** Maps a directory role or a group (`{ id, displayName, description }`). */
export function mapEntity(raw: unknown): Role & Group {
  const entity = isRecord(raw) ? raw : {};
  const id = text(entity['id']);
  if (id === undefined) throw new ProviderError(`${PROVIDER}: a directory object lacks id`, { provider: PROVIDER, operation: 'mapEntity' });
  const description = text(entity['description']);
  return { id, name: text(entity['displayName']) ?? id, ...(description === undefined ? {} : { description }), raw: entity };
}
