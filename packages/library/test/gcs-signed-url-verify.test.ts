// GCS V4 signed URLs checked by an independent reference signer written from Google's
// specification (https://cloud.google.com/storage/docs/access-control/signing-urls-manually):
// the canonical request (method, path, sorted RFC 3986 query, canonical headers, signed headers,
// UNSIGNED-PAYLOAD), the string to sign (GOOG4-RSA-SHA256, timestamp, scope, SHA-256 of the
// canonical request), and an RSA-SHA256 signature. The conformance suite skips signed URLs for
// GCS because its fake cannot verify them; this test can: a URL signed for the wrong method, the
// wrong lifetime or the wrong content type fails verification against the public key.
import { createHash, createPublicKey, createSign, verify } from 'node:crypto';
import { ValidationError } from '@almanac/core';
import nock from 'nock';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGcsStorage, createGcsStorageProvider } from '../src/adapters/gcs';
import type { GcsClientLike } from '../src/adapters/gcs';
import type { StorageProvider } from '../src/spec';
import { fakeCredentials } from './fixtures/gcs/fake-gcs';
import { signedUrlOf } from './support/signed';

const BUCKET = 'almanac-signing';
const HOST = 'storage.googleapis.com';
let credentials: { client_email: string; private_key: string };
let provider: StorageProvider;
let client: GcsClientLike;

beforeAll(async () => {
  nock.disableNetConnect();
  credentials = await fakeCredentials();
  const { Storage } = await import('@google-cloud/storage');
  client = new Storage({ projectId: 'demo-project', credentials, retryOptions: { autoRetry: false } }) as unknown as GcsClientLike;
  provider = createGcsStorageProvider({ bucket: BUCKET, storage: client });
});

/** RFC 3986 percent-encoding: everything but unreserved characters (A–Z a–z 0–9 - . _ ~). */
const rfc3986 = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

interface Signable {
  readonly method: 'GET' | 'PUT';
  readonly key: string;
  readonly query: ReadonlyMap<string, string>;
  readonly headers: Readonly<Record<string, string>>;
}

/** The reference signer's canonical request and string to sign, from the spec alone. */
function stringToSign({ method, key, query, headers }: Signable): string {
  const path = `/${BUCKET}/${key.split('/').map(rfc3986).join('/')}`;
  const canonicalQuery = [...query]
    .filter(([name]) => name !== 'X-Goog-Signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const names = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort();
  const canonicalHeaders = names.map((name) => `${name}:${String(headers[name]).trim()}\n`).join('');
  const canonicalRequest = [method, path, canonicalQuery, canonicalHeaders, names.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
  const timestamp = query.get('X-Goog-Date') ?? '';
  const scope = `${timestamp.slice(0, 8)}/auto/storage/goog4_request`;
  return ['GOOG4-RSA-SHA256', timestamp, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
}

/** What the reference signer expects for a request, checked against a URL the adapter produced. */
function verifySignedUrl(
  raw: string,
  expected: { method: 'GET' | 'PUT'; key: string; expiresIn: number; contentType?: string },
): { verified: boolean; problems: string[] } {
  const url = new URL(raw);
  const query = new Map([...url.searchParams]);
  const problems: string[] = [];
  const headers: Record<string, string> = { host: HOST, ...(expected.contentType ? { 'content-type': expected.contentType } : {}) };
  if (url.origin !== `https://${HOST}`) problems.push(`origin ${url.origin}`);
  if (url.pathname !== `/${BUCKET}/${expected.key.split('/').map(rfc3986).join('/')}`) problems.push(`path ${url.pathname}`);
  if (query.get('X-Goog-Algorithm') !== 'GOOG4-RSA-SHA256') problems.push(`algorithm ${query.get('X-Goog-Algorithm')}`);
  if (query.get('X-Goog-Expires') !== String(expected.expiresIn)) problems.push(`expires ${query.get('X-Goog-Expires')} (wanted ${expected.expiresIn})`);
  if (query.get('X-Goog-SignedHeaders') !== Object.keys(headers).sort().join(';')) problems.push(`signed headers ${query.get('X-Goog-SignedHeaders')}`);
  const date = query.get('X-Goog-Date') ?? '';
  if (query.get('X-Goog-Credential') !== `${credentials.client_email}/${date.slice(0, 8)}/auto/storage/goog4_request`) problems.push(`credential ${query.get('X-Goog-Credential')}`);
  const signature = query.get('X-Goog-Signature') ?? '';
  const message = stringToSign({ method: expected.method, key: expected.key, query, headers });
  // The reference signature with the same private key (RSA PKCS#1 v1.5 is deterministic)…
  const reference = createSign('RSA-SHA256').update(message).sign(credentials.private_key, 'hex');
  // …and an independent verification with the public key only.
  const verified = verify('RSA-SHA256', Buffer.from(message), createPublicKey(credentials.private_key), Buffer.from(signature, 'hex'));
  if (signature !== reference) problems.push('signature differs from the reference signer');
  return { verified: verified && problems.length === 0, problems };
}

/** X-Goog-Date (YYYYMMDD'T'HHMMSS'Z') as epoch milliseconds. */
const stamp = (value: string | null) =>
  Date.parse(`${value?.slice(0, 4)}-${value?.slice(4, 6)}-${value?.slice(6, 8)}T${value?.slice(9, 11)}:${value?.slice(11, 13)}:${value?.slice(13, 15)}Z`);

describe('GCS V4 signed URLs against a reference signer', () => {
  it('a read URL is signed for GET, the object, the lifetime asked and the host header only', async () => {
    const before = Date.now();
    const url = await signedUrlOf(provider, { key: 'reports/a b.txt', action: 'read', expiresIn: 600 });
    const after = Date.now();
    expect(verifySignedUrl(url ?? '', { method: 'GET', key: 'reports/a b.txt', expiresIn: 600 })).toEqual({ verified: true, problems: [] });
    // Signed now (to the second), valid for the 600 s asked.
    const signedAt = stamp(new URL(url ?? '').searchParams.get('X-Goog-Date'));
    expect(signedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(signedAt).toBeLessThanOrEqual(after);
    // The same URL does not verify as a write (the method is part of what is signed).
    expect(verifySignedUrl(url ?? '', { method: 'PUT', key: 'reports/a b.txt', expiresIn: 600 }).verified).toBe(false);
  });

  it('a write URL is signed for PUT (not GET), with and without a content type', async () => {
    const plain = await signedUrlOf(provider, { key: 'uploads/new.bin', action: 'write', expiresIn: 3_600 });
    expect(verifySignedUrl(plain ?? '', { method: 'PUT', key: 'uploads/new.bin', expiresIn: 3_600 })).toEqual({ verified: true, problems: [] });
    expect(verifySignedUrl(plain ?? '', { method: 'GET', key: 'uploads/new.bin', expiresIn: 3_600 }).verified).toBe(false);
    const typed = await signedUrlOf(provider, { key: 'uploads/new.json', action: 'write', expiresIn: 60, contentType: 'application/json' });
    expect(verifySignedUrl(typed ?? '', { method: 'PUT', key: 'uploads/new.json', expiresIn: 60, contentType: 'application/json' })).toEqual({ verified: true, problems: [] });
    // Signed for that content type: uploading anything else would be refused by GCS.
    expect(verifySignedUrl(typed ?? '', { method: 'PUT', key: 'uploads/new.json', expiresIn: 60, contentType: 'text/plain' }).verified).toBe(false);
    expect(verifySignedUrl(typed ?? '', { method: 'PUT', key: 'uploads/new.json', expiresIn: 60 }).verified).toBe(false);
  });

  it('a read URL ignores a content type (only writes are signed for one)', async () => {
    const url = await signedUrlOf(provider, { key: 'r.txt', action: 'read', expiresIn: 30, contentType: 'text/plain' });
    expect(verifySignedUrl(url ?? '', { method: 'GET', key: 'r.txt', expiresIn: 30 })).toEqual({ verified: true, problems: [] });
  });

  it('signs the longest lifetime V4 allows (7 days) and refuses anything outside 1 s to 7 days', async () => {
    const url = await signedUrlOf(provider, { key: 'k', action: 'read', expiresIn: 604_800 });
    expect(verifySignedUrl(url ?? '', { method: 'GET', key: 'k', expiresIn: 604_800 }).verified).toBe(true);
    const one = await signedUrlOf(provider, { key: 'k', action: 'read', expiresIn: 1 });
    expect(verifySignedUrl(one ?? '', { method: 'GET', key: 'k', expiresIn: 1 }).verified).toBe(true);
    for (const expiresIn of [0, -1, 604_801, 1.5, Number.NaN]) {
      await expect(provider.signedUrl?.({ key: 'k', action: 'read', expiresIn }), String(expiresIn)).rejects.toSatisfy(
        (error) => ValidationError.isInstance(error) && error.issues[0]?.path === 'expiresIn',
      );
    }
  });

  it('the facade passes the action, lifetime and content type through to the signature', async () => {
    const storage = createGcsStorage({ bucket: BUCKET, storage: client });
    const read = await storage.signedUrl('docs/ü.txt', { action: 'read', expiresIn: 120 });
    expect(verifySignedUrl(read, { method: 'GET', key: 'docs/ü.txt', expiresIn: 120 })).toEqual({ verified: true, problems: [] });
    const write = await storage.signedUrl('docs/up.csv', { action: 'write', expiresIn: 900, contentType: 'text/csv' });
    expect(verifySignedUrl(write, { method: 'PUT', key: 'docs/up.csv', expiresIn: 900, contentType: 'text/csv' })).toEqual({ verified: true, problems: [] });
  });

  it('signedRequest returns the headers the signature covers: content-type exactly when a write was signed for one', async () => {
    // https://cloud.google.com/storage/docs/authentication/canonical-requests#required-headers
    const storage = createGcsStorage({ bucket: BUCKET, storage: client });
    const typed = await storage.signedRequest('docs/up.csv', { action: 'write', expiresIn: 900, contentType: 'text/csv' });
    expect(typed).toMatchObject({ method: 'PUT', headers: { 'content-type': 'text/csv' } });
    expect(new URL(typed.url).searchParams.get('X-Goog-SignedHeaders')).toBe('content-type;host');
    expect(verifySignedUrl(typed.url, { method: typed.method, key: 'docs/up.csv', expiresIn: 900, contentType: typed.headers['content-type'] ?? '' }).verified).toBe(true);
    const signedAt = stamp(new URL(typed.url).searchParams.get('X-Goog-Date'));
    expect(Math.abs(typed.expiresAt.getTime() - (signedAt + 900_000))).toBeLessThan(1_000);
    const plain = await storage.signedRequest('docs/up.bin', { action: 'write', expiresIn: 60 });
    expect(plain.headers).toEqual({});
    expect(new URL(plain.url).searchParams.get('X-Goog-SignedHeaders')).toBe('host');
    const read = await storage.signedRequest('docs/up.csv', { action: 'read', expiresIn: 60, contentType: 'text/csv' });
    expect(read).toMatchObject({ method: 'GET', headers: {} });
  });

  it('the reference signer itself rejects a tampered URL (it can fail)', async () => {
    const url = new URL(await signedUrlOf(provider, { key: 'k', action: 'read', expiresIn: 600 }));
    url.searchParams.set('X-Goog-Expires', '6000');
    const result = verifySignedUrl(url.toString(), { method: 'GET', key: 'k', expiresIn: 6000 });
    expect(result.verified).toBe(false);
    expect(result.problems).toEqual(['signature differs from the reference signer']);
  });
});
