import { createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/errors';
import { computeHmacSha256, createEd25519PublicKey, verifyEd25519, verifyHmacSha256 } from '../src/webhooks';

const secret = 'whsec-test-secret';
const payload = '{"action":"opened","number":7}';

describe('computeHmacSha256', () => {
  it('matches an independent HMAC computation, with prefix and encodings', () => {
    const digest = createHmac('sha256', secret).update(payload).digest();
    expect(computeHmacSha256({ secret, payload })).toBe(digest.toString('hex'));
    expect(computeHmacSha256({ secret, payload, prefix: 'sha256=' })).toBe(`sha256=${digest.toString('hex')}`);
    expect(computeHmacSha256({ secret, payload, encoding: 'base64' })).toBe(digest.toString('base64'));
  });
});

describe('verifyHmacSha256', () => {
  const signature = computeHmacSha256({ secret, payload, prefix: 'sha256=' });

  it('accepts a valid signature for string and byte payloads, hex in either case', () => {
    expect(verifyHmacSha256({ secret, payload, signature, prefix: 'sha256=' })).toBe(true);
    expect(verifyHmacSha256({ secret, payload: Buffer.from(payload), signature, prefix: 'sha256=' })).toBe(true);
    expect(verifyHmacSha256({ secret, payload, signature: signature.toUpperCase().replace('SHA256=', 'sha256='), prefix: 'sha256=' })).toBe(true);
  });

  // RFC 4231 test case 7: a 131-byte key and 152 bytes of data, both past SHA-256's 64-byte block.
  const RFC4231_KEY = new Uint8Array(131).fill(0xaa);
  const RFC4231_DATA = 'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.';
  const RFC4231_HMAC = '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2';

  it('matches RFC 4231 test case 7 (key and data longer than one 64-byte block)', () => {
    expect(RFC4231_DATA.length).toBe(152);
    expect(computeHmacSha256({ secret: RFC4231_KEY, payload: RFC4231_DATA })).toBe(RFC4231_HMAC);
    expect(verifyHmacSha256({ secret: RFC4231_KEY, payload: RFC4231_DATA, signature: RFC4231_HMAC })).toBe(true);
    expect(verifyHmacSha256({ secret: RFC4231_KEY, payload: Buffer.from(RFC4231_DATA), signature: RFC4231_HMAC.toUpperCase() })).toBe(true);
  });

  it('accepts long bodies and refuses them when any byte after the first block is changed', () => {
    // Bodies of 65, 200 and 100,000 bytes, signed by an independent HMAC implementation.
    for (const size of [65, 200, 100_000]) {
      const body = Buffer.alloc(size);
      for (let i = 0; i < size; i++) body[i] = (i * 31 + 7) % 251;
      const good = createHmac('sha256', secret).update(body).digest('hex');
      expect(verifyHmacSha256({ secret, payload: body, signature: good }), `${size} bytes`).toBe(true);
      for (const index of [64, size - 1]) {
        const tampered = Buffer.from(body);
        tampered[index] = ((tampered[index] as number) + 1) % 256;
        expect(verifyHmacSha256({ secret, payload: tampered, signature: good }), `${size} bytes, byte ${index} changed`).toBe(false);
      }
      // A body extended after the signed bytes must fail too.
      expect(verifyHmacSha256({ secret, payload: Buffer.concat([body, Buffer.from('x')]), signature: good })).toBe(false);
    }
    // Likewise the secret past 64 bytes: only the last byte differs.
    const longSecret = 'k'.repeat(100);
    const signed = createHmac('sha256', longSecret).update(RFC4231_DATA).digest('hex');
    expect(verifyHmacSha256({ secret: longSecret, payload: RFC4231_DATA, signature: signed })).toBe(true);
    expect(verifyHmacSha256({ secret: `${'k'.repeat(99)}j`, payload: RFC4231_DATA, signature: signed })).toBe(false);
  });

  it('property: a correctly signed body of any length up to 1,024 bytes verifies (base64url too)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 1_024, size: 'max' }), fc.uint8Array({ minLength: 1, maxLength: 200, size: 'max' }), (body, key) => {
        const independent = createHmac('sha256', key).update(body).digest();
        expect(verifyHmacSha256({ secret: key, payload: body, signature: independent.toString('hex') })).toBe(true);
        expect(verifyHmacSha256({ secret: key, payload: body, signature: independent.toString('base64url'), encoding: 'base64url' })).toBe(true);
        expect(computeHmacSha256({ secret: key, payload: body, encoding: 'base64' })).toBe(independent.toString('base64'));
      }),
      { numRuns: 200 },
    );
  });

  it('accepts a valid base64 signature', () => {
    const b64 = computeHmacSha256({ secret, payload, encoding: 'base64' });
    expect(verifyHmacSha256({ secret, payload, signature: b64, encoding: 'base64' })).toBe(true);
    expect(verifyHmacSha256({ secret, payload, signature: b64 }), 'hex expected').toBe(false);
  });

  it.each<[string, Partial<{ payload: string; signature: unknown; prefix: string; secret: string }>]>([
    ['tampered payload', { payload: payload.replace('7', '8') }],
    ['tampered signature', { signature: signature.replace(/.$/, (c) => (c === '0' ? '1' : '0')) }],
    ['wrong secret', { secret: 'other-secret' }],
    ['truncated signature', { signature: signature.slice(0, -2) }],
    ['short signature', { signature: 'sha256=abcd' }],
    ['empty signature', { signature: '' }],
    ['prefix only', { signature: 'sha256=' }],
    ['missing signature', { signature: undefined }],
    ['null signature', { signature: null }],
    ['array signature', { signature: [signature] }],
    ['wrong prefix', { signature: signature.replace('sha256=', 'sha1=') }],
    ['missing prefix', { signature: signature.slice('sha256='.length) }],
    ['odd-length hex', { signature: `${signature}0` }],
    ['non-hex characters', { signature: `sha256=${'zz'.repeat(32)}` }],
    ['extra bytes', { signature: `${signature}00` }],
    ['huge signature', { signature: `sha256=${'a'.repeat(100_000)}` }],
    ['whitespace-padded signature', { signature: ` ${signature}` }],
  ])('returns false (never throws) for %s', (_name, override) => {
    const input = { secret, payload, signature, prefix: 'sha256=', ...override } as Parameters<typeof verifyHmacSha256>[0];
    expect(verifyHmacSha256(input)).toBe(false);
  });

  it('throws ValidationError for the caller’s own mistakes, naming the field', () => {
    expect(() => verifyHmacSha256({ secret: '', payload, signature })).toThrow(ValidationError);
    try {
      verifyHmacSha256({ secret, payload: { a: 1 } as unknown as string, signature, encoding: 'hex' });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([{ path: 'payload', message: 'must be a string or Uint8Array' }]);
    }
    expect(() => computeHmacSha256({ secret, payload, encoding: 'binary' as 'hex' })).toThrow(/encoding/);
  });

  it('property: changing any single byte of the payload or signature makes it fail', () => {
    fc.assert(
      fc.property(
        // size 'max': without it fast-check never generates more than ~10 bytes here.
        fc.uint8Array({ minLength: 1, maxLength: 256, size: 'max' }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        (body, position, delta, inSignature) => {
          const bodyBytes = Buffer.from(body);
          const sig = Buffer.from(computeHmacSha256({ secret, payload: bodyBytes }), 'hex');
          const target = inSignature ? sig : bodyBytes;
          const index = position % target.length;
          target[index] = ((target[index] as number) + delta) % 256;
          expect(verifyHmacSha256({ secret, payload: bodyBytes, signature: sig.toString('hex') })).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: any single-character change of the encoded signature text makes it fail', () => {
    const good = computeHmacSha256({ secret, payload, prefix: 'sha256=' });
    fc.assert(
      fc.property(fc.nat(), fc.string({ minLength: 1, maxLength: 1 }), (position, replacement) => {
        const index = position % good.length;
        fc.pre(replacement !== good[index] && replacement.toLowerCase() !== good[index]);
        const mutated = good.slice(0, index) + replacement + good.slice(index + 1);
        expect(verifyHmacSha256({ secret, payload, signature: mutated, prefix: 'sha256=' })).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('verifyEd25519', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const rawPublicKey = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const publicKeyHex = rawPublicKey.toString('hex');
  const timestamp = '1700000000';
  const body = '{"type":1}';
  const signatureHex = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');

  it('accepts a valid signature with the key as hex, raw bytes or KeyObject', () => {
    for (const key of [publicKeyHex, rawPublicKey, publicKey, createEd25519PublicKey(publicKeyHex)]) {
      expect(verifyEd25519({ publicKey: key, message: timestamp + body, signature: signatureHex })).toBe(true);
    }
    expect(verifyEd25519({ publicKey: publicKeyHex, message: Buffer.from(timestamp + body), signature: Buffer.from(signatureHex, 'hex') })).toBe(true);
  });

  it('rejects a tampered message or timestamp', () => {
    expect(verifyEd25519({ publicKey: publicKeyHex, message: timestamp + body.replace('1', '2'), signature: signatureHex })).toBe(false);
    expect(verifyEd25519({ publicKey: publicKeyHex, message: `1700000001${body}`, signature: signatureHex })).toBe(false);
  });

  it('rejects a tampered signature', () => {
    const flipped = Buffer.from(signatureHex, 'hex');
    flipped[10] = (flipped[10] as number) ^ 0x01;
    expect(verifyEd25519({ publicKey: publicKeyHex, message: timestamp + body, signature: flipped.toString('hex') })).toBe(false);
  });

  it('rejects a signature from another key', () => {
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(verifyEd25519({ publicKey: other, message: timestamp + body, signature: signatureHex })).toBe(false);
  });

  it.each<[string, Partial<Record<'publicKey' | 'message' | 'signature', unknown>>]>([
    ['short hex key', { publicKey: publicKeyHex.slice(2) }],
    ['non-hex key', { publicKey: 'zz'.repeat(32) }],
    ['empty key', { publicKey: '' }],
    ['31-byte key', { publicKey: rawPublicKey.subarray(1) }],
    ['private KeyObject', { publicKey: privateKey }],
    ['non-Ed25519 key', { publicKey: generateKeyPairSync('x25519').publicKey }],
    ['number key', { publicKey: 42 }],
    ['missing signature', { signature: undefined }],
    ['empty signature', { signature: '' }],
    ['short signature', { signature: signatureHex.slice(0, 126) }],
    ['non-hex signature', { signature: 'g'.repeat(128) }],
    ['missing message', { message: undefined }],
  ])('returns false, never throws, for a malformed input (%s)', (_name, override) => {
    const input = { publicKey: publicKeyHex, message: timestamp + body, signature: signatureHex, ...override };
    expect(verifyEd25519(input as Parameters<typeof verifyEd25519>[0])).toBe(false);
  });

  it('createEd25519PublicKey throws ValidationError naming publicKey for a bad key', () => {
    try {
      createEd25519PublicKey('abc');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues[0]?.path).toBe('publicKey');
    }
  });
});

// Issue #13 item 13: public keys of small order. The torsion points are derived here from
// the curve equation (independently of the blocklist in ed25519.ts), then every encoding of
// each, with either sign bit, must be refused.
describe('verifyEd25519: small-order public keys', () => {
  const p = 2n ** 255n - 19n;
  const mod = (a: bigint) => ((a % p) + p) % p;
  const pow = (base: bigint, exp: bigint) => {
    let result = 1n;
    let b = mod(base);
    for (let e = exp; e > 0n; e >>= 1n) {
      if (e & 1n) result = (result * b) % p;
      b = (b * b) % p;
    }
    return result;
  };
  const inv = (a: bigint) => pow(a, p - 2n);
  const sqrt = (a: bigint): bigint | undefined => {
    let x = pow(a, (p + 3n) / 8n);
    if (mod(x * x - a) !== 0n) x = (x * pow(2n, (p - 1n) / 4n)) % p;
    return mod(x * x - a) === 0n ? x : undefined;
  };
  const encode = (y: bigint, sign: 0 | 1) => {
    const bytes = Buffer.alloc(32);
    let v = y;
    for (let i = 0; i < 32; i++, v >>= 8n) bytes[i] = Number(v & 255n);
    bytes[31] = (bytes[31] as number) | (sign << 7);
    return bytes.toString('hex');
  };
  // -x² + y² = 1 + d·x²·y². Order ≤ 4: y ∈ {1, −1, 0}. Order 8: 2P has y = 0, i.e. y² = −x²,
  // so d·x⁴ − 2x² − 1 = 0 and x² = (1 ± √(1 + d)) / d.
  const d = mod(-121665n * inv(121666n));
  const order8 = [1n, -1n].flatMap((sign) => {
    const root = sqrt(mod(1n + d));
    const x2 = root === undefined ? undefined : mod((1n + sign * root) * inv(d));
    const y = x2 === undefined || sqrt(x2) === undefined ? undefined : sqrt(mod(-x2));
    return y === undefined ? [] : [y, mod(-y)];
  });
  const smallOrderY = [0n, 1n, p - 1n, ...order8, p, p + 1n];
  const encodings = smallOrderY.flatMap((y) => [encode(y, 0), encode(y, 1)]);

  it('derives all seven small-order y values (four of order ≤ 4 or non-canonical, two of order 8)', () => {
    expect(order8).toHaveLength(2);
    expect(new Set(smallOrderY).size).toBe(7);
  });

  it.each(encodings)('refuses the small-order key %s', (key) => {
    expect(() => createEd25519PublicKey(key)).toThrow(expect.objectContaining({ code: 'validation' }));
    expect(verifyEd25519({ publicKey: key, message: 'any', signature: `01${'00'.repeat(63)}` })).toBe(false);
  });

  it('refuses the forgery that verified every message with the identity key', () => {
    // R = the identity point, S = 0: [0]B = R + [k]A holds for A = identity, whatever k.
    const identity = `01${'00'.repeat(31)}`;
    const forged = `01${'00'.repeat(63)}`;
    for (const message of ['{"type":1}', 'transfer all funds', '']) {
      expect(verifyEd25519({ publicKey: identity, message, signature: forged })).toBe(false);
    }
  });

  it('refuses a small-order key given as a KeyObject', () => {
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(`01${'00'.repeat(31)}`, 'hex')]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(verifyEd25519({ publicKey: key, message: 'x', signature: `01${'00'.repeat(63)}` })).toBe(false);
    expect(() => createEd25519PublicKey(key)).toThrow(expect.objectContaining({ code: 'validation' }));
  });
});
