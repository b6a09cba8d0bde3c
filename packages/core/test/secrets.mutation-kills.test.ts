// Behaviour of core/secrets that the mutation run (`npm run mutation -- core-secrets`) found
// unpinned: every validation message and field, every corrupt-input message, the envelope format
// against an independent AES-GCM sealing, and the queue's abort handling. Each test builds its own
// vault and stores inside the test, so per-test coverage maps the code to the test that checks it.
import { createCipheriv } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortedError, IntegrityError, ProviderError, ValidationError } from '../src/errors';
import { createEncryptedTokenStore, createFileTokenStore, createMemoryTokenStore, createTokenVault, generateKey, parseTokenSet } from '../src/secrets';

/** 32 distinct bytes, so the key is not refused as constant. */
const KEY_BYTES = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 1));
const KEY = KEY_BYTES.toString('base64');
const vaultOf = () => createTokenVault({ currentKeyId: 'k1', keys: { k1: KEY } });

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return expect.fail('expected a throw');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

/** The same bytes in base64url with non-zero padding bits in the last character (decoders accept it; it does not round-trip). */
function nonCanonical(base64url: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(base64url.at(-1) as string);
  return `${base64url.slice(0, -1)}${alphabet[last | 1]}`;
}

describe('parseTokenSet', () => {
  it('keeps exactly the known fields that are present, dropping the rest', () => {
    expect(parseTokenSet({ accessToken: 'a', refreshToken: 'r', expiresAt: 5, tokenType: 'Bearer', scope: 's', extra: 1 })).toStrictEqual({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: 5,
      tokenType: 'Bearer',
      scope: 's',
    });
    expect(Object.keys(parseTokenSet({ accessToken: 'only' }))).toEqual(['accessToken']);
    expect(parseTokenSet({ accessToken: 'a', tokenType: '', scope: '' })).toStrictEqual({ accessToken: 'a', tokenType: '', scope: '' });
  });

  it('refuses non-objects and names every bad field', () => {
    for (const value of [null, 'x', [], 3]) {
      expect(thrown(() => parseTokenSet(value)), String(value)).toMatchObject({ issues: [{ path: '', message: 'token set must be an object' }] });
    }
    const error = thrown(() => parseTokenSet({ accessToken: 5, refreshToken: '', expiresAt: '1', tokenType: 5, scope: false }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'accessToken', message: 'must be a non-empty string' },
      { path: 'refreshToken', message: 'must be a non-empty string when present' },
      { path: 'expiresAt', message: 'must be epoch milliseconds when present' },
      { path: 'tokenType', message: 'must be a string when present' },
      { path: 'scope', message: 'must be a string when present' },
    ]);
    expect(thrown(() => parseTokenSet({ accessToken: 'a', refreshToken: 7, expiresAt: Number.POSITIVE_INFINITY }))).toMatchObject({
      issues: [
        { path: 'refreshToken', message: 'must be a non-empty string when present' },
        { path: 'expiresAt', message: 'must be epoch milliseconds when present' },
      ],
    });
    expect(thrown(() => parseTokenSet({ accessToken: '' }))).toMatchObject({ issues: [{ path: 'accessToken', message: 'must be a non-empty string' }] });
  });
});

describe('vault keyring checks', () => {
  it('names each problem of a keyring', () => {
    const issues = (keyring: unknown) => (thrown(() => createTokenVault(keyring as never)) as ValidationError).issues;
    expect(issues(null)).toEqual([{ path: '', message: 'must be an object with currentKeyId and keys' }]);
    expect(issues('k1')).toEqual([{ path: '', message: 'must be an object with currentKeyId and keys' }]);
    const badId = { path: 'currentKeyId', message: 'must be 1-64 letters, digits, "_" or "-"' };
    expect(issues({ currentKeyId: 'bad id', keys: { k1: KEY } })).toEqual([badId]);
    // A number whose string form would pass the pattern is still not an id.
    expect(issues({ currentKeyId: 5, keys: { 5: KEY } })).toEqual([badId]);
    const badKeys = { path: 'keys', message: 'must be an object mapping key ids to keys' };
    for (const keys of [null, [], 'k']) expect(issues({ currentKeyId: 'k1', keys }), String(keys)).toEqual([badKeys]);
    expect(issues({ currentKeyId: 'k1', keys: { k1: KEY, 'no spaces': KEY } })).toEqual([
      { path: 'keys.no spaces', message: 'key id must be 1-64 letters, digits, "_" or "-"' },
    ]);
    expect(issues({ currentKeyId: 'k2', keys: { k1: KEY } })).toEqual([{ path: 'currentKeyId', message: 'names key "k2", which is not in keys' }]);
    expect(issues({ currentKeyId: 'k1', keys: { k1: new Uint8Array(16) } })).toEqual([{ path: 'keys.k1', message: 'must be 32 bytes (got 16)' }]);
    expect(issues({ currentKeyId: 'k1', keys: { k1: 42 } })).toEqual([{ path: 'keys.k1', message: 'must be 32 bytes or a base64 string' }]);
    expect(issues({ currentKeyId: 'k1', keys: { k1: 'not base64!' } })).toEqual([{ path: 'keys.k1', message: 'must be a base64 or base64url string' }]);
  });

  it('accepts base64, unpadded base64url and raw keys, but not a base64 key that does not round-trip', () => {
    expect(createTokenVault({ currentKeyId: 'k1', keys: { k1: KEY_BYTES.toString('base64url') } }).keyIds).toEqual(['k1']);
    expect(createTokenVault({ currentKeyId: 'k1', keys: { k1: new Uint8Array(KEY_BYTES) } }).keyIds).toEqual(['k1']);
    // Same 32 bytes, but the padding bits of the last character are set: not canonical base64.
    const sloppy = `${nonCanonical(KEY.slice(0, -1))}=`;
    expect(Buffer.from(sloppy, 'base64')).toEqual(KEY_BYTES);
    expect((thrown(() => createTokenVault({ currentKeyId: 'k1', keys: { k1: sloppy } })) as ValidationError).issues).toEqual([
      { path: 'keys.k1', message: 'must be a base64 or base64url string' },
    ]);
  });

  it('lists its key ids', () => {
    expect(createTokenVault({ currentKeyId: 'k2', keys: { k1: generateKey(), k2: generateKey() } }).keyIds).toEqual(['k1', 'k2']);
  });
});

describe('vault envelopes', () => {
  it('opens an envelope sealed independently: AES-256-GCM, AAD = "v1.<keyId>" NUL context', () => {
    const iv = Buffer.alloc(12, 9);
    const seal = (context: string | undefined) => {
      const cipher = createCipheriv('aes-256-gcm', KEY_BYTES, iv, { authTagLength: 16 });
      cipher.setAAD(Buffer.from(`v1.k1\0${context ?? ''}`, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update('tök€n', 'utf8'), cipher.final()]);
      return ['v1', 'k1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
    };
    const vault = vaultOf();
    expect(vault.decrypt(seal(undefined))).toBe('tök€n');
    expect(vault.decrypt(seal('user-1'), { associatedData: 'user-1' })).toBe('tök€n');
    expect(Buffer.from(vault.decryptBytes(seal(undefined))).toString('utf8')).toBe('tök€n');
    expect(vault.decryptBytes(seal(undefined))).toBeInstanceOf(Uint8Array);
  });

  it('says what is malformed, as IntegrityError of the decrypt operation', () => {
    const vault = vaultOf();
    const good = vault.encrypt('secret').split('.');
    const withField = (index: number, value: string) => good.map((field, i) => (i === index ? value : field)).join('.');
    const cases: Array<[string, string]> = [
      ['v1.k1.x', 'expected 5 "."-separated fields'],
      [withField(0, 'v2'), 'unsupported version'],
      [withField(1, 'bad id'), 'invalid key id'],
      [withField(2, 'AAAA'), 'iv must be 12 bytes of base64url'],
      [withField(3, 'AAAA'), 'tag must be 16 bytes of base64url'],
      [withField(3, nonCanonical(good[3] as string)), 'tag must be 16 bytes of base64url'],
      [withField(4, '!!'), 'ciphertext must be base64url'],
    ];
    for (const [envelope, detail] of cases) {
      const error = thrown(() => vault.decrypt(envelope));
      expect(error, detail).toBeInstanceOf(IntegrityError);
      expect(error, detail).toMatchObject({ message: `Malformed token envelope: ${detail}`, operation: 'decrypt' });
    }
    expect(thrown(() => vault.decrypt(5 as never))).toMatchObject({ issues: [{ path: 'envelope', message: 'must be a string' }] });
    expect(thrown(() => vault.decrypt(withField(1, 'k9')))).toMatchObject({ message: 'Token envelope names unknown key id "k9"', operation: 'decrypt' });
  });

  it('reports a failed authentication, non-UTF-8 and non-JSON plaintext with their messages', () => {
    const vault = vaultOf();
    const parts = vault.encrypt('secret').split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    const tampered = thrown(() => vault.decrypt(parts.join('.')));
    expect(tampered).toMatchObject({
      message: 'Token envelope failed authentication with key "k1": it was tampered with, or the associated data differs',
      operation: 'decrypt',
    });
    expect((tampered as Error).cause).toBeInstanceOf(Error);
    const binary = vault.encrypt(new Uint8Array([0xff, 0xfe]));
    expect(thrown(() => vault.decrypt(binary))).toMatchObject({ message: 'Decrypted token is not valid UTF-8; use decryptBytes for binary data', operation: 'decrypt' });
    expect(Array.from(vault.decryptBytes(binary))).toEqual([0xff, 0xfe]);
    const error = thrown(() => vault.decryptJson(vault.encrypt('{not json')));
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error).toMatchObject({ message: 'Decrypted token is not valid JSON', operation: 'decryptJson' });
  });

  it('round-trips JSON without options, and names the field of what cannot be sealed', () => {
    const vault = vaultOf();
    expect(vault.decryptJson(vault.encryptJson({ name: 'zoë', n: [1, 2] }))).toEqual({ name: 'zoë', n: [1, 2] });
    const notJson = { path: 'value', message: 'must be JSON-serialisable' };
    const bigint = thrown(() => vault.encryptJson(10n));
    expect(bigint).toMatchObject({ issues: [notJson] });
    expect((bigint as Error).cause).toBeInstanceOf(TypeError);
    expect(thrown(() => vault.encryptJson(undefined))).toMatchObject({ issues: [notJson] });
    expect(thrown(() => vault.encrypt(42 as never))).toMatchObject({ issues: [{ path: 'plaintext', message: 'must be a string or Uint8Array' }] });
    expect(thrown(() => vault.encrypt('x', { associatedData: 42 as never }))).toMatchObject({
      issues: [{ path: 'associatedData', message: 'must be a string or Uint8Array' }],
    });
  });
});

describe('encrypted token store', () => {
  it('names a missing store or vault, and a vault or store lacking a method', () => {
    const vault = vaultOf();
    const storeIssue = { path: 'store', message: 'must implement TokenStore' };
    const vaultIssue = { path: 'vault', message: 'must be a TokenVault' };
    const issues = (options: unknown) => (thrown(() => createEncryptedTokenStore(options as never)) as ValidationError).issues;
    expect(issues(undefined)).toEqual([storeIssue, vaultIssue]);
    expect(issues({ store: null, vault })).toEqual([storeIssue]);
    expect(issues({ store: 'store', vault })).toEqual([storeIssue]);
    const { keys: _keys, ...withoutKeys } = createMemoryTokenStore();
    expect(issues({ store: withoutKeys, vault })).toEqual([storeIssue]);
    expect(issues({ store: createMemoryTokenStore(), vault: { encrypt: vault.encrypt } })).toEqual([vaultIssue]);
    expect(issues({ store: createMemoryTokenStore(), vault: { decrypt: vault.decrypt } })).toEqual([vaultIssue]);
  });

  it('answers undefined for a key it does not hold', async () => {
    const store = createEncryptedTokenStore({ store: createMemoryTokenStore(), vault: vaultOf() });
    expect(await store.get('nobody')).toBeUndefined();
  });

  it('runs a write with a live signal, and drops a queued write whose signal aborts before its turn', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inner = createMemoryTokenStore();
    const slow = { ...inner, set: async (key: string, value: string) => gate.then(() => inner.set(key, value)) };
    const store = createEncryptedTokenStore({ store: slow, vault: vaultOf() });
    const first = store.set('first', '1', { signal: new AbortController().signal });
    const controller = new AbortController();
    const second = rejection(store.set('second', '2', { signal: controller.signal }));
    controller.abort();
    // Rejected while the first write still holds the queue.
    expect(await second).toBeInstanceOf(AbortedError);
    release();
    await first;
    expect(await store.keys()).toEqual(['first']);
    await store.set('third', '3', { signal: new AbortController().signal });
    expect(await store.get('third')).toBe('3');
  });
});

describe('file token store failures', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'almanac-secrets-kills-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the path option', () => {
    for (const options of [null, {}, { path: 5 }, { path: '' }]) {
      expect(thrown(() => createFileTokenStore(options as never)), JSON.stringify(options)).toMatchObject({
        issues: [{ path: 'path', message: 'must be a non-empty file path' }],
      });
    }
  });

  it('reports an unreadable file as a ProviderError of the read, keeping the cause', async () => {
    const path = join(dir, 'tokens.json');
    for (const cause of [Object.assign(new Error('denied'), { code: 'EACCES' }), null]) {
      const store = createFileTokenStore({ path, fileSystem: { readFile: () => Promise.reject(cause) } });
      const error = await rejection(store.get('k'));
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ message: `Could not read token file ${path}`, operation: 'read', provider: 'file-token-store' });
      expect((error as Error).cause).toBe(cause);
    }
  });

  it('names what is corrupt in the file', async () => {
    const path = join(dir, 'tokens.json');
    const cases: Array<[string, string]> = [
      ['not json', 'not valid JSON'],
      ['null', 'not a JSON object'],
      ['[1]', 'not a JSON object'],
      ['"text"', 'not a JSON object'],
      ['{"version":2,"tokens":{}}', 'unsupported format version'],
      ['{"version":1,"tokens":[]}', '"tokens" is not an object'],
      ['{"version":1,"tokens":null}', '"tokens" is not an object'],
      ['{"version":1,"tokens":"t"}', '"tokens" is not an object'],
      ['{"version":1,"tokens":{"k":5}}', 'a token value is not a string'],
    ];
    for (const [text, detail] of cases) {
      const store = createFileTokenStore({ path, fileSystem: { readFile: async () => text } });
      const error = await rejection(store.get('k'));
      expect(error, text).toBeInstanceOf(IntegrityError);
      expect(error, text).toMatchObject({ message: `Token file ${path} is corrupt: ${detail}`, operation: 'read', provider: 'file-token-store' });
    }
  });

  it('reports failed writes and flushes as ProviderErrors of the write, with the causes', async () => {
    const path = join(dir, 'tokens.json');
    const full = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    const gone = Object.assign(new Error('gone'), { code: 'ENOENT' });
    const denied = Object.assign(new Error('denied'), { code: 'EPERM' });

    const cleanFailure = createFileTokenStore({ path, fileSystem: { writeFile: () => Promise.reject(full), unlink: () => Promise.reject(gone) } });
    const error = await rejection(cleanFailure.set('k', 'v'));
    expect(error).toMatchObject({ message: `Could not write token file ${path}`, operation: 'write', provider: 'file-token-store' });
    expect((error as Error).cause).toBe(full);

    const messyFailure = createFileTokenStore({ path, fileSystem: { writeFile: () => Promise.reject(full), unlink: () => Promise.reject(denied) } });
    const cause = ((await rejection(messyFailure.set('k', 'v'))) as Error).cause;
    expect(cause).toBeInstanceOf(AggregateError);
    expect(cause).toMatchObject({ message: 'write and cleanup failed', errors: [full, denied] });

    const unflushed = createFileTokenStore({ path, fileSystem: { syncDirectory: () => Promise.reject(denied) } });
    const flush = await rejection(unflushed.set('k', 'v'));
    expect(flush).toBeInstanceOf(ProviderError);
    expect(flush).toMatchObject({ message: `Wrote token file ${path} but could not flush its directory`, operation: 'write' });
    expect((flush as Error).cause).toBe(denied);
  });
});
