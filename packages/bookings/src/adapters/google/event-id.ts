import { createHash } from 'node:crypto';

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/**
 * The event id used for an idempotent insert: SHA-256 of calendar and key in lowercase
 * base32hex (52 chars), which is exactly the alphabet and length Google accepts for
 * client-supplied ids (`a-v`, `0-9`, 5–1024 chars). A retried insert with the same key
 * then fails with `409 duplicate` instead of creating a second event.
 */
export function googleEventIdFor(calendarId: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`almanac.google-event-id\0${calendarId}\0${idempotencyKey}`).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32HEX[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32HEX[(value << (5 - bits)) & 31];
  return out;
}
