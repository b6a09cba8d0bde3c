import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError, type ValidationIssue } from '../errors';
import { decodeStrict, isBytesLike, toBuffer } from '../secrets/encoding';

/** How a signature is written as text. */
export type SignatureEncoding = 'hex' | 'base64' | 'base64url';

/** Options of {@link computeHmacSha256}. */
export interface ComputeHmacSha256Options {
  /** Shared secret; strings are used as UTF-8 bytes. Decode base64 secrets (e.g. `whsec_...`) first. */
  secret: string | Uint8Array;
  /** The raw request body exactly as received: never re-serialised JSON. */
  payload: string | Uint8Array;
  /** Text encoding of the signature. Default `hex`. */
  encoding?: SignatureEncoding | undefined;
  /** Literal text before the signature, e.g. `sha256=` (GitHub). Default none. */
  prefix?: string | undefined;
}

/** Options of {@link verifyHmacSha256}. */
export interface VerifyHmacSha256Options extends ComputeHmacSha256Options {
  /** The signature as received, e.g. a header value; a missing header may be passed as is. */
  signature: string | null | undefined;
}

const ENCODINGS: readonly SignatureEncoding[] = ['hex', 'base64', 'base64url'];
/** No encoding of a 32-byte digest is longer than this; longer input is rejected before decoding. */
const MAX_ENCODED_DIGEST_LENGTH = 64;

/** Computes an HMAC-SHA256 signature, for senders and tests. */
export function computeHmacSha256(options: ComputeHmacSha256Options): string {
  const { secret, payload, encoding, prefix } = validate(options);
  return prefix + createHmac('sha256', secret).update(payload).digest(encoding);
}

/**
 * Checks an HMAC-SHA256 signature in constant time. Returns `false`, never throws,
 * for anything wrong with the signature (missing, wrong prefix, not the encoding, wrong
 * length, mismatch), since it is attacker input. Throws {@link ValidationError} only
 * for the caller's own mistakes: an empty secret, a non-bytes payload, an unknown encoding.
 */
export function verifyHmacSha256(options: VerifyHmacSha256Options): boolean {
  const { secret, payload, encoding, prefix } = validate(options);
  const { signature } = options;
  if (typeof signature !== 'string' || !signature.startsWith(prefix)) return false;
  const encoded = signature.slice(prefix.length);
  if (encoded.length > MAX_ENCODED_DIGEST_LENGTH) return false;
  const provided = decodeStrict(encoded, encoding);
  const expected = createHmac('sha256', secret).update(payload).digest();
  // timingSafeEqual throws on a length mismatch, so lengths are compared first (length is not secret).
  if (provided?.length !== expected.length) return false;
  return timingSafeEqual(provided, expected);
}

function validate(options: ComputeHmacSha256Options): {
  secret: Buffer;
  payload: Buffer;
  encoding: SignatureEncoding;
  prefix: string;
} {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(undefined, [{ path: '', message: 'must be an options object' }]);
  }
  const issues: ValidationIssue[] = [];
  const { secret, payload, encoding = 'hex', prefix = '' } = options;
  // An empty key would let anyone who guesses it is empty forge signatures.
  if (!isBytesLike(secret) || secret.length === 0) {
    issues.push({ path: 'secret', message: 'must be a non-empty string or Uint8Array' });
  }
  if (!isBytesLike(payload)) issues.push({ path: 'payload', message: 'must be a string or Uint8Array' });
  if (!ENCODINGS.includes(encoding)) issues.push({ path: 'encoding', message: `must be one of ${ENCODINGS.join(', ')}` });
  if (typeof prefix !== 'string') issues.push({ path: 'prefix', message: 'must be a string' });
  if (issues.length > 0) throw new ValidationError(undefined, issues);
  return { secret: toBuffer(secret), payload: toBuffer(payload), encoding, prefix };
}
