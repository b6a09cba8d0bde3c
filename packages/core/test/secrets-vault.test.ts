import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IntegrityError, ValidationError } from '../src/errors';
import { VAULT_KEY_BYTES, createTokenVault, generateKey, parseTokenSet } from '../src/secrets';

const CANARY = 'canary-plaintext-7f3a9c';
const k1 = generateKey();
const k2 = generateKey();

/** Flips one bit in the base64url field at `index` of an envelope. */
function tamperField(envelope: string, index: number): string {
  const fields = envelope.split('.');
  const bytes = Buffer.from(fields[index] as string, 'base64url');
  bytes[0] = (bytes[0] as number) ^ 0x01;
  fields[index] = bytes.toString('base64url');
  return fields.join('.');
}

function expectIntegrityError(action: () => unknown, secrets: string[] = [CANARY, k1, k2]): IntegrityError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(IntegrityError.isInstance(caught)).toBe(true);
  const error = caught as IntegrityError;
  const visible = `${error.message} ${JSON.stringify(error.toJSON())} ${String(error.stack)}`;
  for (const secret of secrets) expect(visible).not.toContain(secret);
  return error;
}

describe('generateKey', () => {
  it('returns distinct base64 strings of 32 bytes', () => {
    expect(Buffer.from(k1, 'base64')).toHaveLength(VAULT_KEY_BYTES);
    expect(k1).not.toBe(k2);
  });
});

describe('createTokenVault keyring validation', () => {
  it('rejects a short key, naming the field but not the key', () => {
    const short = randomBytes(16).toString('base64');
    let caught: unknown;
    try {
      createTokenVault({ currentKeyId: 'k1', keys: { k1: short } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.issues).toEqual([{ path: 'keys.k1', message: 'must decode to 32 bytes (got 16)' }]);
    expect(error.message).not.toContain(short);
  });

  it('rejects a current key id missing from keys, bad key ids and non-base64 strings at once', () => {
    try {
      createTokenVault({ currentKeyId: 'k9', keys: { k1, 'bad.id': k2, k3: 'not base64!' } });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).issues.map((issue) => issue.path).sort()).toEqual(['currentKeyId', 'keys.bad.id', 'keys.k3']);
    }
  });

  // Issue #13: the vault used to accept an all-zero key (an unset buffer, or a base64 placeholder).
  it.each([
    ['32 zero bytes', new Uint8Array(32)],
    ['base64 of 32 zero bytes', 'A'.repeat(43) + '='],
    ['base64url of 32 zero bytes', 'A'.repeat(43)],
    ['one byte repeated', new Uint8Array(32).fill(0xff)],
  ])('rejects a constant key (%s), naming the field', (_name, key) => {
    try {
      createTokenVault({ currentKeyId: 'k1', keys: { k1: key } });
      expect.unreachable();
    } catch (error) {
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as ValidationError).issues).toEqual([{ path: 'keys.k1', message: expect.stringContaining('not one byte repeated') }]);
    }
  });

  it('accepts raw 32-byte keys', () => {
    const vault = createTokenVault({ currentKeyId: 'raw', keys: { raw: randomBytes(32) } });
    expect(vault.decrypt(vault.encrypt('x'))).toBe('x');
  });

  it('does not reveal key material when the vault is logged or serialised', () => {
    const vault = createTokenVault({ currentKeyId: 'k1', keys: { k1 } });
    expect(JSON.stringify(vault)).not.toContain(k1);
    expect(JSON.stringify(vault)).not.toContain(Buffer.from(k1, 'base64').toString('hex'));
  });
});

describe('TokenVault', () => {
  const vault = createTokenVault({ currentKeyId: 'k1', keys: { k1 } });

  it('round-trips strings, unicode, empty strings and bytes', () => {
    for (const text of [CANARY, 'ünïcødé 🔑', '']) expect(vault.decrypt(vault.encrypt(text))).toBe(text);
    const bytes = new Uint8Array([0, 255, 1, 254]);
    expect(vault.decryptBytes(vault.encrypt(bytes))).toEqual(bytes);
  });

  it('writes a versioned envelope naming the key, with a fresh IV each time and no plaintext', () => {
    const a = vault.encrypt(CANARY);
    const b = vault.encrypt(CANARY);
    expect(a).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(a).not.toContain(CANARY);
    expect(Buffer.from(a.split('.')[4] as string, 'base64url').toString('utf8')).not.toContain(CANARY);
  });

  it('binds associated data: same AAD decrypts, different or missing AAD fails', () => {
    const envelope = vault.encrypt(CANARY, { associatedData: 'user-1' });
    expect(vault.decrypt(envelope, { associatedData: 'user-1' })).toBe(CANARY);
    expectIntegrityError(() => vault.decrypt(envelope, { associatedData: 'user-2' }));
    expectIntegrityError(() => vault.decrypt(envelope));
  });

  it.each([
    ['iv', 2],
    ['tag', 3],
    ['ciphertext', 4],
  ])('rejects a tampered %s with IntegrityError', (_name, index) => {
    const envelope = vault.encrypt(CANARY);
    expectIntegrityError(() => vault.decrypt(tamperField(envelope, index)));
  });

  it('rejects an envelope whose key id was swapped to another known key', () => {
    const rotated = createTokenVault({ currentKeyId: 'k1', keys: { k1, k2 } });
    const envelope = rotated.encrypt(CANARY);
    expectIntegrityError(() => rotated.decrypt(envelope.replace(/^v1\.k1\./, 'v1.k2.')));
  });

  it('rejects an unknown key id', () => {
    const envelope = vault.encrypt(CANARY);
    const error = expectIntegrityError(() => vault.decrypt(envelope.replace(/^v1\.k1\./, 'v1.k7.')));
    expect(error.message).toContain('unknown key id "k7"');
  });

  it.each([
    ['truncated', (e: string) => e.slice(0, -4)],
    ['missing field', (e: string) => e.split('.').slice(0, 4).join('.')],
    ['extra field', (e: string) => `${e}.AAAA`],
    ['wrong version', (e: string) => e.replace(/^v1/, 'v2')],
    ['non-base64url iv', (e: string) => e.replace(/^(v1\.k1\.)./, '$1!')],
    ['short tag', (e: string) => e.split('.').map((f, i) => (i === 3 ? f.slice(0, 10) : f)).join('.')],
    ['empty string', () => ''],
  ])('rejects a malformed envelope (%s) with IntegrityError', (_name, mutate) => {
    expectIntegrityError(() => vault.decrypt(mutate(vault.encrypt(CANARY))));
  });

  it('rejects a non-string envelope with ValidationError', () => {
    expect(() => vault.decrypt(42 as unknown as string)).toThrow(ValidationError);
  });

  it('rejects non-UTF-8 plaintext in decrypt but returns it from decryptBytes', () => {
    const envelope = vault.encrypt(new Uint8Array([0xff, 0xfe]));
    expectIntegrityError(() => vault.decrypt(envelope));
    expect(vault.decryptBytes(envelope)).toEqual(new Uint8Array([0xff, 0xfe]));
  });
});

describe('key rotation', () => {
  it('keeps old envelopes readable and re-encrypts them under the current key', () => {
    const before = createTokenVault({ currentKeyId: 'k1', keys: { k1 } });
    const old = before.encrypt(CANARY, { associatedData: 'ctx' });

    const after = createTokenVault({ currentKeyId: 'k2', keys: { k1, k2 } });
    expect(after.decrypt(old, { associatedData: 'ctx' })).toBe(CANARY);
    expect(after.needsRotation(old)).toBe(true);

    const fresh = after.reencrypt(old, { associatedData: 'ctx' });
    expect(fresh.startsWith('v1.k2.')).toBe(true);
    expect(after.needsRotation(fresh)).toBe(false);
    expect(after.decrypt(fresh, { associatedData: 'ctx' })).toBe(CANARY);

    const k2Only = createTokenVault({ currentKeyId: 'k2', keys: { k2 } });
    expect(k2Only.decrypt(fresh, { associatedData: 'ctx' })).toBe(CANARY);
    expectIntegrityError(() => k2Only.decrypt(old, { associatedData: 'ctx' }));
    expectIntegrityError(() => k2Only.needsRotation(old));
  });

  it('reencrypt refuses a tampered envelope', () => {
    const vault = createTokenVault({ currentKeyId: 'k2', keys: { k1, k2 } });
    const old = createTokenVault({ currentKeyId: 'k1', keys: { k1 } }).encrypt(CANARY);
    expectIntegrityError(() => vault.reencrypt(tamperField(old, 4)));
  });
});

describe('JSON tokens', () => {
  const vault = createTokenVault({ currentKeyId: 'k1', keys: { k1 } });

  it('round-trips a token set and validates it with parseTokenSet', () => {
    const tokens = { accessToken: CANARY, refreshToken: 'refresh-xyz', expiresAt: 1_700_000_000_000, extra: 1 };
    const envelope = vault.encryptJson(tokens, { associatedData: 'user-1' });
    expect(envelope).not.toContain(CANARY);
    expect(vault.decryptJson(envelope, { associatedData: 'user-1', parse: parseTokenSet })).toEqual({
      accessToken: CANARY,
      refreshToken: 'refresh-xyz',
      expiresAt: 1_700_000_000_000,
    });
  });

  it('reports the bad field when the decrypted value is not a token set', () => {
    const envelope = vault.encryptJson({ accessToken: '', expiresAt: 'soon' });
    try {
      vault.decryptJson(envelope, { parse: parseTokenSet });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['accessToken', 'expiresAt']);
    }
  });

  it('rejects non-serialisable values and non-JSON plaintext', () => {
    expect(() => vault.encryptJson(undefined)).toThrow(ValidationError);
    expect(() => vault.encryptJson({ big: 1n })).toThrow(ValidationError);
    expectIntegrityError(() => vault.decryptJson(vault.encrypt(`{${CANARY}`)));
  });
});
