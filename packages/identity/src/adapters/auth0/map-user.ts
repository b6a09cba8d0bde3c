import { ProviderError } from '@almanac/core';
import type { Role, User } from '../../spec';
import { PROVIDER } from './options';

// The user object of the Management API and of users-export files:
// https://auth0.com/docs/manage-users/user-accounts/user-profiles/user-profile-structure

/** The fields of an Auth0 user this adapter reads. */
export interface Auth0User {
  readonly user_id?: unknown;
  readonly email?: unknown;
  readonly name?: unknown;
  readonly nickname?: unknown;
  readonly blocked?: unknown;
  readonly created_at?: unknown;
  readonly last_login?: unknown;
  readonly last_ip?: unknown;
  readonly multifactor?: unknown;
  readonly app_metadata?: unknown;
  readonly [field: string]: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function date(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Maps an Auth0 user. `metadata` is `app_metadata` (what the application controls and what
 * `updateUser` writes); `user_metadata` stays in `raw`. `mfaEnabled` is set only when the
 * legacy `multifactor` list names a factor: its absence proves nothing (factors enrolled through
 * authentication methods are not listed there), so `getMfaStatus` is the authority.
 */
export function mapUser(raw: unknown): User {
  const user = (isRecord(raw) ? raw : {}) as Auth0User;
  const id = text(user.user_id);
  const createdAt = date(user.created_at);
  if (id === undefined || createdAt === undefined) {
    throw new ProviderError(`${PROVIDER}: a user record lacks user_id or created_at`, { provider: PROVIDER, operation: 'mapUser' });
  }
  // Users of passwordless SMS or some social connections have no email; the field is required.
  const email = text(user.email) ?? '';
  const lastLoginAt = date(user.last_login);
  const lastLoginIp = text(user.last_ip);
  const factors = Array.isArray(user.multifactor) ? user.multifactor.filter((f) => typeof f === 'string') : [];
  return {
    id,
    email,
    name: text(user.name) ?? text(user.nickname) ?? email,
    blocked: user.blocked === true,
    createdAt,
    ...(lastLoginAt === undefined ? {} : { lastLoginAt }),
    ...(lastLoginIp === undefined ? {} : { lastLoginIp }),
    ...(factors.length > 0 ? { mfaEnabled: true } : {}),
    metadata: isRecord(user.app_metadata) ? { ...user.app_metadata } : {},
    raw: user,
  };
}

/** Maps an Auth0 role (`{ id, name, description }`). */
export function mapRole(raw: unknown): Role {
  const role = isRecord(raw) ? raw : {};
  const id = text(role['id']);
  if (id === undefined) throw new ProviderError(`${PROVIDER}: a role record lacks id`, { provider: PROVIDER, operation: 'mapRole' });
  const description = text(role['description']);
  return { id, name: text(role['name']) ?? id, ...(description === undefined ? {} : { description }), raw: role };
}
