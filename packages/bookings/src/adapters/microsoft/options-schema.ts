// Validation of `createMicrosoftCalendarProvider` options, so every bad setting is named at once.
import { ConfigError, ValidationError, parse } from '@almanac/core';
import * as z from '@almanac/core/schema';
import { PROVIDER } from './errors';
import type { MicrosoftProviderOptions } from './types';

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'must be a function');

const schema = z
  .object({
    client: z.custom<object>((value) => typeof (value as { api?: unknown } | null)?.api === 'function', 'must have an api(path) method').optional(),
    getAccessToken: fn.optional(),
    credentials: z
      .object({
        tenantId: z.string().min(1),
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
      })
      .optional(),
    userId: z.string().min(1).max(320).optional(),
    baseUrl: z
      .string()
      .url()
      .refine((url) => url.startsWith('https://'), 'must be an https URL')
      .optional(),
    pageSize: z.number().int().min(1).max(1000).optional(),
    syncWindow: z
      .object({
        pastDays: z.number().int().min(0).max(3650).optional(),
        futureDays: z.number().int().min(1).max(3650).optional(),
        rebaselineDays: z.number().int().min(1).max(3650).optional(),
      })
      .optional(),
    cancelComment: z.string().max(2000).optional(),
    distributionLists: z.array(z.string().regex(/^[^@\s/]+@[^@\s/]+$/, 'must be an SMTP address')).max(10_000).optional(),
  })
  .passthrough()
  .superRefine((options, ctx) => {
    const ways = ['client', 'getAccessToken', 'credentials'].filter((key) => options[key as keyof typeof options] !== undefined);
    if (ways.length !== 1) {
      ctx.addIssue({ code: 'custom', path: [], message: 'pass exactly one of client, getAccessToken or credentials' });
    }
    // App-only tokens have no signed-in user, so `/me` would fail on every call.
    if (options.credentials !== undefined && options.userId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['userId'], message: 'is required with app-only credentials' });
    }
  });

/** Validates provider options; throws {@link ConfigError} naming every bad field. */
export function validateOptions(options: MicrosoftProviderOptions): void {
  try {
    parse(schema, options, { provider: PROVIDER, operation: 'createMicrosoftCalendarProvider' });
  } catch (error) {
    if (!ValidationError.isInstance(error)) throw error;
    throw new ConfigError(error.message, error.issues, { provider: PROVIDER, operation: 'createMicrosoftCalendarProvider' });
  }
}
