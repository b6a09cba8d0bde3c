import { AuthError, ConflictError, NotFoundError, PermissionError, ValidationError } from '@almanac/core';
import type { AlmanacError, AlmanacErrorOptions } from '@almanac/core';

// Pieces of error mapping the AWS and Azure adapters share. It lives outside `adapters/` so
// neither adapter imports the other; the provider-specific codes and cases stay in each adapter.

/** Provider error codes that mean the same thing on every cloud, one set per Almanac error. */
export interface ErrorCodeTable {
  /** Codes that become `NotFoundError`. */
  readonly notFound: ReadonlySet<string>;
  /** Codes that become `ConflictError`. */
  readonly conflict: ReadonlySet<string>;
  /** Codes that become `AuthError`. */
  readonly auth: ReadonlySet<string>;
  /** Codes that become `PermissionError`. */
  readonly permission: ReadonlySet<string>;
  /** Codes that become `ValidationError` (no field issues: the provider's text says which). */
  readonly validation: ReadonlySet<string>;
}

/** `value` as a record when it is an object, for reading SDK errors of unknown shape. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** The message of a failed call: provider, operation, HTTP status and code when known, and the provider's text. */
export function failureMessage(provider: string, operation: string, status: number | undefined, code: string | undefined, raw: string): string {
  return `${provider}: ${operation} failed${status === undefined ? '' : ` with HTTP ${status}`}${code ? ` (${code})` : ''}: ${raw}`;
}

/** Whether a Node socket or undici error code means no response at all (reset, refused, DNS blip). */
export function isConnectionErrorCode(code: unknown): boolean {
  return typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code);
}

/** The Almanac error for `code` when `table` lists it, else `undefined` (the adapter decides). */
export function errorForCode(code: string, table: ErrorCodeTable, message: string, options: AlmanacErrorOptions): AlmanacError | undefined {
  if (table.notFound.has(code)) return new NotFoundError(message, options);
  if (table.conflict.has(code)) return new ConflictError(message, options);
  if (table.auth.has(code)) return new AuthError(message, options);
  if (table.permission.has(code)) return new PermissionError(message, options);
  if (table.validation.has(code)) return new ValidationError(message, [], options);
  return undefined;
}
