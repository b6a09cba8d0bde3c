// S3 presigned URLs checked by an independent SigV4 reference signer written from AWS's
// specification of query-string authentication
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html): the canonical
// request (method, URI-encoded path, sorted query without X-Amz-Signature, canonical headers,
// signed headers, UNSIGNED-PAYLOAD), the string to sign (AWS4-HMAC-SHA256, timestamp, scope,
// SHA-256 of the canonical request) and the HMAC chain of the signing key. S3 recomputes the
// signature from the request it receives, so a header in `X-Amz-SignedHeaders` binds the
// upload: a PUT with another Content-Type no longer matches. s3rver does not check signatures
// (it accepts a wrong secret), so the binding is shown here against the reference signer.
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createS3StorageProvider } from '../src/adapters/s3';
import { signedUrlOf } from './support/signed';
import { createStorage } from '../src/facade/create-storage';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const provider = createS3StorageProvider({
  bucket: 'signing-bucket',
  region: 'eu-west-1',
  endpoint: 'https://s3.eu-west-1.amazonaws.com',
  forcePathStyle: true,
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET },
});

const rfc3986 = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const hmac = (key: Buffer | string, value: string) => createHmac('sha256', key).update(value).digest();

/** The signature S3 would compute for `method` on `url` sent with `headers` (lower-case names). */
function referenceSignature(url: URL, method: string, headers: Record<string, string>): string {
  const query = [...url.searchParams.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
    .sort()
    .join('&');
  const signed = (url.searchParams.get('X-Amz-SignedHeaders') ?? '').split(';');
  const all: Record<string, string> = { host: url.host, ...headers };
  const canonicalHeaders = signed.map((name) => `${name}:${(all[name] ?? '').trim()}\n`).join('');
  const canonical = [method, url.pathname, query, canonicalHeaders, signed.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
  const date = url.searchParams.get('X-Amz-Date') ?? '';
  const [, day, region, service] = /^[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(url.searchParams.get('X-Amz-Credential') ?? '') ?? [];
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, day ?? ''), region ?? ''), service ?? ''), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('s3 presigned write URLs bind their headers (SigV4 reference signer)', () => {
  it('a write URL signed for a content type has content-type in its signed headers and verifies only with it', async () => {
    const url = new URL(await signedUrlOf(provider, { key: 'up/report one.csv', action: 'write', expiresIn: 300, contentType: 'text/csv' }));
    expect(url.pathname).toBe('/signing-bucket/up/report%20one.csv');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['content-type', 'host']);
    const signature = url.searchParams.get('X-Amz-Signature');
    expect(referenceSignature(url, 'PUT', { 'content-type': 'text/csv' })).toBe(signature);
    // What S3 computes for a PUT with another Content-Type, or as a GET: a mismatch, so 403.
    expect(referenceSignature(url, 'PUT', { 'content-type': 'text/html' })).not.toBe(signature);
    expect(referenceSignature(url, 'GET', { 'content-type': 'text/csv' })).not.toBe(signature);
  });

  it('signedRequest returns exactly the signed headers other than host (content-type when signed for one)', async () => {
    const storage = createStorage(provider);
    const typed = await storage.signedRequest('up/a.csv', { action: 'write', expiresIn: 120, contentType: 'text/csv' });
    expect(typed).toMatchObject({ method: 'PUT', headers: { 'content-type': 'text/csv' } });
    const url = new URL(typed.url);
    const signedHeaders = url.searchParams.get('X-Amz-SignedHeaders')?.split(';').filter((name) => name !== 'host');
    expect(Object.keys(typed.headers)).toEqual(signedHeaders);
    expect(referenceSignature(url, typed.method, typed.headers)).toBe(url.searchParams.get('X-Amz-Signature'));
    // expiresAt is X-Amz-Date + X-Amz-Expires (to the second S3 signs).
    const date = url.searchParams.get('X-Amz-Date') ?? '';
    const signedAt = Date.parse(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
    expect(Math.abs(typed.expiresAt.getTime() - (signedAt + 120_000))).toBeLessThan(1_000);
    const untyped = await storage.signedRequest('up/a.bin', { action: 'write', expiresIn: 60 });
    expect(untyped.headers).toEqual({});
    const read = await storage.signedRequest('up/a.csv', { action: 'read', expiresIn: 60, contentType: 'text/csv' });
    expect(read).toMatchObject({ method: 'GET', headers: {} });
  });

  it('a write URL without a content type signs the host only; a read URL signs GET', async () => {
    const write = new URL(await signedUrlOf(provider, { key: 'free.bin', action: 'write', expiresIn: 60 }));
    expect(write.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(referenceSignature(write, 'PUT', {})).toBe(write.searchParams.get('X-Amz-Signature'));
    const read = new URL(await signedUrlOf(provider, { key: 'free.bin', action: 'read', expiresIn: 60 }));
    expect(referenceSignature(read, 'GET', {})).toBe(read.searchParams.get('X-Amz-Signature'));
    expect(referenceSignature(read, 'PUT', {})).not.toBe(read.searchParams.get('X-Amz-Signature'));
  });
});
