import { KeyObject, createPublicKey, verify } from 'node:crypto';
import { ValidationError } from '../errors';
import { decodeStrict, isBytesLike, toBuffer } from '../secrets/encoding';

/** An Ed25519 public key: 64 hex characters, the raw 32 bytes, or a public `KeyObject`. */
export type Ed25519PublicKeyInput = string | Uint8Array | KeyObject;

/** Options of {@link verifyEd25519}. */
export interface VerifyEd25519Options {
  /** The signer's public key (for Discord, the application's public key). */
  publicKey: Ed25519PublicKeyInput;
  /** The signed bytes; strings as UTF-8. For Discord: the timestamp header followed by the raw body. */
  message: string | Uint8Array;
  /** The signature as hex (128 characters) or 64 raw bytes; a missing header may be passed as is. */
  signature: string | Uint8Array | null | undefined;
}

const RAW_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
/** DER SubjectPublicKeyInfo header for an Ed25519 key (OID 1.3.101.112); the raw key follows. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Encodings of the points of small order (the 8-torsion), with the sign bit of x cleared:
 * y = 0, 1, p − 1, the two order-8 y values, and the non-canonical p and p + 1 (as in
 * libsodium's list). A key of small order makes `[k]A` take at most 8 values whatever the
 * message, so a fixed signature (R = the identity, S = 0 for the identity key) verifies
 * every message; OpenSSL's verify does not refuse such keys.
 */
const SMALL_ORDER_KEYS: readonly Buffer[] = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map((hex) => Buffer.from(hex, 'hex'));

/** Whether the raw 32-byte key encodes a point of small order (the sign bit is ignored). */
function hasSmallOrder(raw: Uint8Array): boolean {
  const masked = Buffer.from(raw);
  masked[31] = (masked[31] as number) & 0x7f;
  return SMALL_ORDER_KEYS.some((blocked) => blocked.equals(masked));
}

/** KeyObjects already checked, so a prepared key is not exported again on every request. */
const checkedKeys = new WeakMap<KeyObject, boolean>();

function isUsableKeyObject(key: KeyObject): boolean {
  let usable = checkedKeys.get(key);
  if (usable === undefined) {
    const jwk = key.export({ format: 'jwk' });
    const raw = typeof jwk.x === 'string' ? Buffer.from(jwk.x, 'base64url') : undefined;
    usable = raw?.length === RAW_KEY_BYTES && !hasSmallOrder(raw);
    checkedKeys.set(key, usable);
  }
  return usable;
}

/**
 * Builds a public `KeyObject` from hex or raw bytes. Throws {@link ValidationError}, so
 * configuration can be checked at startup; `verifyEd25519` accepts the result and then
 * skips re-parsing the key on every request. Keys of small order are refused: with one, a
 * fixed signature verifies every message.
 */
export function createEd25519PublicKey(publicKey: Ed25519PublicKeyInput): KeyObject {
  const key = toPublicKey(publicKey);
  if (!key) {
    throw new ValidationError(undefined, [
      { path: 'publicKey', message: 'must be 64 hex characters, 32 bytes or an Ed25519 public KeyObject, and not a point of small order' },
    ]);
  }
  return key;
}

/**
 * Verifies an Ed25519 signature. Returns `false`, never throws, on any malformed input
 * (key, message or signature), so a bad request or a bad key can never be accepted; a key
 * of small order is such a bad key.
 * This is how Discord interactions are verified: message = `X-Signature-Timestamp` + raw body.
 */
export function verifyEd25519(options: VerifyEd25519Options): boolean {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(undefined, [{ path: '', message: 'must be an options object' }]);
  }
  const key = toPublicKey(options.publicKey);
  if (!key || !isBytesLike(options.message)) return false;
  const signature = signatureBytes(options.signature);
  if (!signature) return false;
  try {
    return verify(null, toBuffer(options.message), key, signature);
  } catch {
    // OpenSSL rejects some malformed keys or signatures by throwing; for a verifier that is simply "not valid".
    return false;
  }
}

function toPublicKey(input: unknown): KeyObject | undefined {
  if (input instanceof KeyObject) {
    return input.type === 'public' && input.asymmetricKeyType === 'ed25519' && isUsableKeyObject(input) ? input : undefined;
  }
  const raw = typeof input === 'string' ? decodeStrict(input, 'hex') : input instanceof Uint8Array ? toBuffer(input) : undefined;
  if (raw?.length !== RAW_KEY_BYTES || hasSmallOrder(raw)) return undefined;
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    // Not a usable Ed25519 point; callers turn this into `false` or a ValidationError.
    return undefined;
  }
}

function signatureBytes(input: unknown): Buffer | undefined {
  if (typeof input === 'string') {
    return input.length === SIGNATURE_BYTES * 2 ? decodeStrict(input, 'hex') : undefined;
  }
  if (input instanceof Uint8Array && input.byteLength === SIGNATURE_BYTES) return toBuffer(input);
  return undefined;
}
