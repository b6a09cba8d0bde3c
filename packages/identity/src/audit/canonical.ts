import { createHash } from 'node:crypto';

/** `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level and no whitespace: the same value always gives
 * the same bytes, so a hash over it does not depend on property order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

/** SHA-256, lower-case hex. */
export function sha256Hex(text: string): string {
  // Stryker disable next-line StringLiteral: equivalent (an empty encoding is UTF-8 too; said for the reader)
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
