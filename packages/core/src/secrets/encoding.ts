/** Binary-to-text encodings that {@link decodeStrict} understands. */
export type BinaryEncoding = 'hex' | 'base64' | 'base64url';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes `text` only when it is well formed in `encoding`, else returns `undefined`.
 * `Buffer.from` silently skips invalid characters, which would let tampered or junk
 * input decode to something; this refuses anything that does not round-trip.
 */
export function decodeStrict(text: string, encoding: BinaryEncoding): Buffer | undefined {
  switch (encoding) {
    case 'hex':
      return HEX.test(text) ? Buffer.from(text, 'hex') : undefined;
    case 'base64': {
      if (text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
      const bytes = Buffer.from(text, 'base64');
      return bytes.toString('base64') === text ? bytes : undefined;
    }
    case 'base64url': {
      if (!BASE64URL.test(text)) return undefined;
      const bytes = Buffer.from(text, 'base64url');
      return bytes.toString('base64url') === text ? bytes : undefined;
    }
  }
}

/** Bytes of a string (UTF-8) or a byte array, as a `Buffer` view without copying. */
export function toBuffer(input: string | Uint8Array): Buffer {
  return typeof input === 'string'
    ? Buffer.from(input, 'utf8')
    : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

/** Whether `value` is a string or a `Uint8Array` (which includes `Buffer`). */
export function isBytesLike(value: unknown): value is string | Uint8Array {
  return typeof value === 'string' || value instanceof Uint8Array;
}
