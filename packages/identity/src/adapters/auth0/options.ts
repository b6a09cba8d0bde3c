import { ConfigError, ValidationError, parse } from '@almanac/core';
import * as z from '@almanac/core/schema';
import type { Auth0IdentityProviderOptions } from './types';

/** Provider name used in errors, logs and audit events. */
export const PROVIDER = 'auth0';

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'must be a function');
const nonEmpty = z.string().refine((value) => value.trim().length > 0, 'must not be empty');
const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL');

const schema = z
  .object({
    // A host name only: anything else would change where the client secret is sent.
    domain: z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, 'must be a host name such as acme.eu.auth0.com'),
    clientId: nonEmpty,
    clientSecret: nonEmpty,
    audience: nonEmpty.optional(),
    baseUrl: httpUrl.optional(),
    fetch: fn.optional(),
    clock: z.custom<object>((value) => typeof (value as { now?: unknown } | null)?.now === 'function', 'must be a Clock').optional(),
    logger: z.custom<object>((value) => typeof (value as { debug?: unknown } | null)?.debug === 'function', 'must be a Logger').optional(),
    retry: z.object({}).passthrough().optional(),
    requestTimeoutMs: z.number().int().min(1).optional(),
    connection: nonEmpty.optional(),
    revokeSessions: z.boolean().optional(),
    exportPollIntervalMs: z.number().int().min(1).optional(),
  })
  .passthrough();

/** Validates provider options; throws `ConfigError` naming every bad field (never echoing a value). */
export function validateOptions(options: Auth0IdentityProviderOptions): void {
  try {
    parse(schema, options, { provider: PROVIDER, operation: 'createAuth0IdentityProvider', path: 'options' });
  } catch (error) {
    if (!ValidationError.isInstance(error)) throw error;
    throw new ConfigError(error.message, error.issues, { provider: PROVIDER, operation: 'createAuth0IdentityProvider' });
  }
}
