import { IntegrityError, ValidationError } from '../errors';
import { decodeStrict } from './encoding';
import { isValidKeyId } from './keyring';

/** Version tag of the envelope format this module writes. */
export const ENVELOPE_VERSION = 'v1';

/** Bytes of the AES-GCM nonce; 96 bits is the size GCM is designed for. */
export const IV_BYTES = 12;

/** Bytes of the AES-GCM authentication tag; the full 128 bits, never truncated. */
export const TAG_BYTES = 16;

/** The parts of a sealed envelope `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url, unpadded). */
export interface EnvelopeParts {
  /** Id of the key that sealed it. */
  keyId: string;
  /** Per-envelope random nonce. */
  iv: Buffer;
  /** GCM authentication tag. */
  tag: Buffer;
  /** Encrypted bytes; empty for an empty plaintext. */
  ciphertext: Buffer;
}

/**
 * The envelope header, bound into the GCM associated data so that the version and
 * key id cannot be altered without failing authentication.
 */
export function envelopeHeader(keyId: string): string {
  return `${ENVELOPE_VERSION}.${keyId}`;
}

/** Serialises envelope parts. */
export function formatEnvelope(parts: EnvelopeParts): string {
  return [
    envelopeHeader(parts.keyId),
    parts.iv.toString('base64url'),
    parts.tag.toString('base64url'),
    parts.ciphertext.toString('base64url'),
  ].join('.');
}

/**
 * Parses an envelope. A non-string is a caller bug ({@link ValidationError}); a string
 * that is not a well-formed envelope is treated as corrupted data ({@link IntegrityError}).
 * Messages say what is wrong, never echo the envelope.
 */
export function parseEnvelope(envelope: unknown): EnvelopeParts {
  if (typeof envelope !== 'string') {
    throw new ValidationError(undefined, [{ path: 'envelope', message: 'must be a string' }]);
  }
  const fields = envelope.split('.');
  if (fields.length !== 5) throw malformed('expected 5 "."-separated fields');
  const [version, keyId, iv, tag, ciphertext] = fields as [string, string, string, string, string];
  if (version !== ENVELOPE_VERSION) throw malformed('unsupported version');
  if (!isValidKeyId(keyId)) throw malformed('invalid key id');
  const ivBytes = decodeStrict(iv, 'base64url');
  if (ivBytes?.length !== IV_BYTES) throw malformed(`iv must be ${IV_BYTES} bytes of base64url`);
  const tagBytes = decodeStrict(tag, 'base64url');
  if (tagBytes?.length !== TAG_BYTES) throw malformed(`tag must be ${TAG_BYTES} bytes of base64url`);
  const ciphertextBytes = decodeStrict(ciphertext, 'base64url');
  if (!ciphertextBytes) throw malformed('ciphertext must be base64url');
  return { keyId, iv: ivBytes, tag: tagBytes, ciphertext: ciphertextBytes };
}

function malformed(detail: string): IntegrityError {
  return new IntegrityError(`Malformed token envelope: ${detail}`, { operation: 'decrypt' });
}
