import { ConfigError, ValidationError, parse } from '@almanac/core';
import * as z from '@almanac/core/schema';
import type { EntraIdentityProviderOptions } from './types';

/** Provider name used in errors, logs and audit events. */
export const PROVIDER = 'entra';

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'must be a function');

const schema = z
  .object({
    credential: z.custom<object>((value) => typeof (value as { getToken?: unknown } | null)?.getToken === 'function', 'must have a getToken(scopes) method'),
    baseUrl: z
      .string()
      .refine((value) => {
        try {
          const url = new URL(value);
          return (url.protocol === 'https:' || url.protocol === 'http:') && url.search === '' && url.hash === '';
        } catch {
          return false;
        }
      }, 'must be an absolute http(s) URL without query or fragment')
      .optional(),
    fetch: fn.optional(),
    clock: z.custom<object>((value) => typeof (value as { now?: unknown } | null)?.now === 'function', 'must be a Clock').optional(),
    logger: z.custom<object>((value) => typeof (value as { debug?: unknown } | null)?.debug === 'function', 'must be a Logger').optional(),
    retry: z.object({}).passthrough().optional(),
    requestTimeoutMs: z.number().int().min(1).optional(),
    signInActivity: z.boolean().optional(),
    metadataExtension: z
      .object({
        appId: z.string().regex(/^[0-9a-fA-F-]{32,36}$/, 'must be an application (client) id'),
        name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, 'must be an extension property name').optional(),
      })
      .optional(),
  })
  .passthrough();

/** Validates provider options; throws `ConfigError` naming every bad field. */
export function validateOptions(options: EntraIdentityProviderOptions): void {
  try {
    parse(schema, options, { provider: PROVIDER, operation: 'createEntraIdentityProvider', path: 'options' });
  } catch (error) {
    if (!ValidationError.isInstance(error)) throw error;
    throw new ConfigError(error.message, error.issues, { provider: PROVIDER, operation: 'createEntraIdentityProvider' });
  }
}
