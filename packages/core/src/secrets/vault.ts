import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { IntegrityError, ValidationError } from '../errors';
import { isBytesLike, toBuffer } from './encoding';
import { IV_BYTES, TAG_BYTES, envelopeHeader, formatEnvelope, parseEnvelope } from './envelope';
import { type VaultKeyring, resolveKeyring } from './keyring';

/** Options of {@link TokenVault.encrypt} and {@link TokenVault.decrypt}. */
export interface VaultCryptOptions {
  /**
   * Context the envelope is bound to, e.g. the user id the token belongs to. Not stored
   * in the envelope; the same value must be passed to decrypt, so an envelope copied
   * to another context fails instead of decrypting.
   */
  associatedData?: string | Uint8Array | undefined;
}

/** Options of {@link TokenVault.decryptJson}. */
export interface DecryptJsonOptions<T> extends VaultCryptOptions {
  /** Validates the decoded value, e.g. {@link parseTokenSet} or a zod schema's `parse`. */
  parse?: ((value: unknown) => T) | undefined;
}

/**
 * Encrypts secrets at rest with AES-256-GCM under a rotating keyring. Envelopes are
 * self-describing strings `v1.<keyId>.<iv>.<tag>.<ciphertext>`, so envelopes sealed
 * with a retired key still open as long as that key stays in the keyring.
 *
 * Every failure to open an envelope is an {@link IntegrityError} whose message never
 * contains key material or plaintext.
 */
export interface TokenVault {
  /** Id of the key new envelopes are sealed with. */
  readonly currentKeyId: string;
  /** Ids of every key this vault can open envelopes with. */
  readonly keyIds: readonly string[];
  /** Seals `plaintext` (strings as UTF-8) with the current key and a fresh random IV. */
  encrypt(plaintext: string | Uint8Array, options?: VaultCryptOptions): string;
  /** Opens an envelope and decodes it as UTF-8. */
  decrypt(envelope: string, options?: VaultCryptOptions): string;
  /** Opens an envelope and returns the raw bytes. */
  decryptBytes(envelope: string, options?: VaultCryptOptions): Uint8Array;
  /** Whether the envelope was sealed with a key other than the current one. Throws if it is malformed or its key is unknown. */
  needsRotation(envelope: string): boolean;
  /** Opens an envelope (with whichever key sealed it) and seals the plaintext again with the current key. */
  reencrypt(envelope: string, options?: VaultCryptOptions): string;
  /** Seals the JSON serialisation of `value`. */
  encryptJson(value: unknown, options?: VaultCryptOptions): string;
  /** Opens an envelope sealed by {@link TokenVault.encryptJson}; pass `parse` to validate the shape. */
  decryptJson<T = unknown>(envelope: string, options?: DecryptJsonOptions<T>): T;
}

const ALGORITHM = 'aes-256-gcm';

/**
 * Creates a {@link TokenVault}. Throws {@link ValidationError} naming every bad key or id.
 * Keys are held in `KeyObject`s inside a closure, so logging or serialising the vault
 * reveals nothing.
 */
export function createTokenVault(keyring: VaultKeyring): TokenVault {
  const { currentKeyId, keys } = resolveKeyring(keyring);
  const keyIds = Object.freeze([...keys.keys()]);

  const keyFor = (keyId: string) => {
    const key = keys.get(keyId);
    if (!key) throw new IntegrityError(`Token envelope names unknown key id "${keyId}"`, { operation: 'decrypt' });
    return key;
  };

  const encryptBytes = (plaintext: Buffer, options: VaultCryptOptions | undefined): string => {
    const aad = associatedDataOf(options, currentKeyId);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, keyFor(currentKeyId), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return formatEnvelope({ keyId: currentKeyId, iv, tag: cipher.getAuthTag(), ciphertext });
  };

  const decryptBuffer = (envelope: string, options: VaultCryptOptions | undefined): Buffer => {
    const parts = parseEnvelope(envelope);
    const key = keyFor(parts.keyId);
    const aad = associatedDataOf(options, parts.keyId);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, parts.iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(parts.tag);
      decipher.setAAD(aad);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
    } catch (cause) {
      throw new IntegrityError(
        `Token envelope failed authentication with key "${parts.keyId}": it was tampered with, or the associated data differs`,
        { operation: 'decrypt', cause },
      );
    }
  };

  const plaintextBytes = (plaintext: unknown): Buffer => {
    if (!isBytesLike(plaintext)) {
      throw new ValidationError(undefined, [{ path: 'plaintext', message: 'must be a string or Uint8Array' }]);
    }
    return toBuffer(plaintext);
  };

  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const decrypt = (envelope: string, options?: VaultCryptOptions): string => {
    const bytes = decryptBuffer(envelope, options);
    try {
      return utf8.decode(bytes);
    } catch {
      throw new IntegrityError('Decrypted token is not valid UTF-8; use decryptBytes for binary data', {
        operation: 'decrypt',
      });
    }
  };

  return {
    currentKeyId,
    keyIds,
    encrypt: (plaintext, options) => encryptBytes(plaintextBytes(plaintext), options),
    decrypt,
    decryptBytes: (envelope, options) => new Uint8Array(decryptBuffer(envelope, options)),
    needsRotation(envelope) {
      const { keyId } = parseEnvelope(envelope);
      keyFor(keyId);
      return keyId !== currentKeyId;
    },
    reencrypt: (envelope, options) => encryptBytes(decryptBuffer(envelope, options), options),
    encryptJson(value, options) {
      let json: string | undefined;
      try {
        json = JSON.stringify(value);
      } catch (cause) {
        throw new ValidationError(undefined, [{ path: 'value', message: 'must be JSON-serialisable' }], { cause });
      }
      if (json === undefined) {
        throw new ValidationError(undefined, [{ path: 'value', message: 'must be JSON-serialisable' }]);
      }
      return encryptBytes(Buffer.from(json, 'utf8'), options);
    },
    decryptJson<T = unknown>(envelope: string, options?: DecryptJsonOptions<T>): T {
      const text = decrypt(envelope, options);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        // The SyntaxError quotes the plaintext, so it is deliberately not kept as the cause.
        throw new IntegrityError('Decrypted token is not valid JSON', { operation: 'decryptJson' });
      }
      return options?.parse ? options.parse(value) : (value as T);
    },
  };
}

/**
 * GCM associated data: the envelope header, a NUL separator (key ids cannot contain
 * NUL, so the split is unambiguous) and the caller's context bytes.
 */
function associatedDataOf(options: VaultCryptOptions | undefined, keyId: string): Buffer {
  const context = options?.associatedData;
  if (context !== undefined && !isBytesLike(context)) {
    throw new ValidationError(undefined, [{ path: 'associatedData', message: 'must be a string or Uint8Array' }]);
  }
  const header = Buffer.from(`${envelopeHeader(keyId)}\0`, 'utf8');
  return context === undefined ? header : Buffer.concat([header, toBuffer(context)]);
}
