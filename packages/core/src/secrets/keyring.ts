import { type KeyObject, createSecretKey, randomBytes } from 'node:crypto';
import { ValidationError, type ValidationIssue } from '../errors';
import { decodeStrict } from './encoding';

/** Length of an AES-256 key in bytes. */
export const VAULT_KEY_BYTES = 32;

/**
 * Key ids appear in every envelope, so they are restricted to characters that
 * cannot collide with the envelope's `.` separator.
 */
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The keys a {@link TokenVault} may use. Keep retired keys in `keys` until every
 * envelope they sealed has been re-encrypted, or those envelopes become unreadable.
 */
export interface VaultKeyring {
  /** Id of the key new envelopes are sealed with. Must be a key of `keys`. */
  currentKeyId: string;
  /** Key id (letters, digits, `_`, `-`; at most 64) to a 32-byte key, raw or base64/base64url. */
  keys: Readonly<Record<string, Uint8Array | string>>;
}

/** A validated keyring: key material wrapped in `KeyObject`s, which never print their bytes. */
export interface ResolvedKeyring {
  /** Id of the key new envelopes are sealed with. */
  readonly currentKeyId: string;
  /** Every usable key by id. */
  readonly keys: ReadonlyMap<string, KeyObject>;
}

/** Whether `value` is a syntactically valid key id. */
export function isValidKeyId(value: unknown): value is string {
  return typeof value === 'string' && KEY_ID.test(value);
}

/**
 * Generates a fresh random AES-256 key, base64-encoded, for a {@link VaultKeyring}.
 * Store it in a secret manager; anyone holding it can read every token it sealed.
 */
export function generateKey(): string {
  return randomBytes(VAULT_KEY_BYTES).toString('base64');
}

/**
 * Validates a keyring and wraps its keys. Every problem is reported at once, and
 * messages describe lengths and ids only, never key bytes.
 */
export function resolveKeyring(keyring: VaultKeyring): ResolvedKeyring {
  const issues: ValidationIssue[] = [];
  if (typeof keyring !== 'object' || keyring === null) {
    throw new ValidationError(undefined, [{ path: '', message: 'must be an object with currentKeyId and keys' }]);
  }
  const { currentKeyId, keys } = keyring;
  if (!isValidKeyId(currentKeyId)) {
    issues.push({ path: 'currentKeyId', message: 'must be 1-64 letters, digits, "_" or "-"' });
  }
  const resolved = new Map<string, KeyObject>();
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
    issues.push({ path: 'keys', message: 'must be an object mapping key ids to keys' });
  } else {
    for (const [id, material] of Object.entries(keys)) {
      if (!KEY_ID.test(id)) {
        issues.push({ path: `keys.${id}`, message: 'key id must be 1-64 letters, digits, "_" or "-"' });
        continue;
      }
      const bytes = keyBytes(material);
      if (typeof bytes === 'string') {
        issues.push({ path: `keys.${id}`, message: bytes });
        continue;
      }
      resolved.set(id, createSecretKey(bytes));
      bytes.fill(0);
    }
    if (isValidKeyId(currentKeyId) && !Object.hasOwn(keys, currentKeyId)) {
      issues.push({ path: 'currentKeyId', message: `names key "${currentKeyId}", which is not in keys` });
    }
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues);
  return { currentKeyId, keys: resolved };
}

/**
 * Whether every byte of the key is the same: an all-zero key (an unset buffer, a
 * placeholder of `A`s in base64) or any other constant is no secret at all.
 */
function isConstant(bytes: Buffer): boolean {
  for (let i = 1; i < bytes.length; i++) if (bytes[i] !== bytes[0]) return false;
  return true;
}

/** A private copy of the key bytes, or the reason they are unusable. */
function keyBytes(material: unknown): Buffer | string {
  let bytes: Buffer;
  if (material instanceof Uint8Array) {
    if (material.byteLength !== VAULT_KEY_BYTES) {
      return `must be ${VAULT_KEY_BYTES} bytes (got ${material.byteLength})`;
    }
    bytes = Buffer.from(material);
  } else if (typeof material === 'string') {
    const decoded = decodeStrict(material, 'base64') ?? decodeStrict(material, 'base64url');
    if (!decoded) return 'must be a base64 or base64url string';
    if (decoded.length !== VAULT_KEY_BYTES) {
      return `must decode to ${VAULT_KEY_BYTES} bytes (got ${decoded.length})`;
    }
    bytes = decoded;
  } else {
    return `must be ${VAULT_KEY_BYTES} bytes or a base64 string`;
  }
  if (isConstant(bytes)) {
    bytes.fill(0);
    return 'must be random key material, not one byte repeated (e.g. all zeros); use generateKey()';
  }
  return bytes;
}
