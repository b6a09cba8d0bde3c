// Readers for SDK payloads of loosely typed shape, shared by the AWS and Azure mappers. It lives
// outside `adapters/` so neither adapter imports the other.

/** A JSON-ish object as the SDKs return it. */
export type Json = Record<string, unknown>;

/** `value` when it is a plain object (not an array, not null), else `undefined`. */
export function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** The plain objects of `value` when it is an array (other items dropped), else none. */
export function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((item): item is Json => obj(item) !== undefined) : [];
}

/** `value` when it is a non-empty string, else `undefined`. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
