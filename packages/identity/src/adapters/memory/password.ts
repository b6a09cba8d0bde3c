import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

// OWASP's scrypt minimum (N=2^17) costs ~128 MiB and ~0.3 s per hash, too much for a reference
// adapter that tests and demos create users on; 2^14 (16 MiB) is the Node default memory cap's
// comfortable maximum and still far beyond brute force for a memory-only store.
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const PREFIX = 'scrypt';

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { N, r: R, p: P }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function encode(salt: Buffer, key: Buffer): string {
  return `${PREFIX}$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Hashes a password with a fresh random salt: `scrypt$N$r$p$salt$key`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  return encode(salt, await derive(password, salt));
}

/** Synchronous {@link hashPassword}, for seeding a tenant at construction. */
export function hashPasswordSync(password: string): string {
  const salt = randomBytes(SALT_LENGTH);
  return encode(salt, scryptSync(password, salt, KEY_LENGTH, { N, r: R, p: P }));
}

/** Whether `password` matches `encoded` (constant-time comparison of the derived keys). */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return false;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const salt = Buffer.from(saltText, 'base64url');
  const expected = Buffer.from(keyText, 'base64url');
  const key = await new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, expected.length, { N: Number(n), r: Number(r), p: Number(p) }, (error, derived) =>
      error ? reject(error) : resolve(derived),
    );
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
