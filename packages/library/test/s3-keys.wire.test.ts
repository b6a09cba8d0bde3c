// S3 key rules and conditional writes on the wire, for the conformance tests s3rver cannot run
// (s3.conformance.test.ts skips 'long-key', 'special-keys' and 'conditional'). Object keys are at
// most 1,024 bytes of UTF-8 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html);
// conditional writes send If-None-Match: * or If-Match: <etag> on PutObject and succeed with 200
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
import { ValidationError } from '@almanac/core';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '../src/adapters/s3';
import { S3_WIRE_HOST, s3WireSettings } from './support/s3-wire';
import { useStrictNock } from '@almanac/core/testing';

const HOST = S3_WIRE_HOST;
const BUCKET = 'keys-bucket';
const settings = s3WireSettings(BUCKET);

useStrictNock();

/** Percent-encodes a key the way S3 paths carry it (each segment's UTF-8 bytes, `/` kept). */
const wirePath = (key: string) => `/${BUCKET}/${key.split('/').map((segment) => encodeURIComponent(segment)).join('/')}`;

describe('S3 keys on the wire', () => {
  it('sends a key of exactly 1,024 UTF-8 bytes made of two-byte characters', async () => {
    const key = 'é'.repeat(512);
    expect(Buffer.byteLength(key, 'utf8')).toBe(1_024);
    const scope = nock(HOST).put(wirePath(key)).query(true).reply(200, '', { etag: '"long"' });
    expect((await createS3Storage(settings).write(key, 'x')).etag).toBe('"long"');
    expect(scope.isDone()).toBe(true);
  });

  it('refuses 1,025 bytes (one ASCII character over, or one two-byte character over) before any request', async () => {
    const storage = createS3Storage(settings);
    for (const key of ['k'.repeat(1_025), `${'é'.repeat(512)}k`, `${'k'.repeat(1_023)}é`]) {
      expect(Buffer.byteLength(key, 'utf8')).toBeGreaterThan(1_024);
      const error = await storage.write(key, 'x').catch((e: unknown) => e);
      expect(ValidationError.isInstance(error), `${Buffer.byteLength(key)} bytes`).toBe(true);
      expect((error as ValidationError).issues[0]?.path).toBe('key');
      expect((error as ValidationError).message).toContain('1024 UTF-8 bytes');
    }
    // And reads of such keys: refused the same way (no interceptor exists, so a request would fail differently).
    await expect(storage.stat('k'.repeat(1_025))).rejects.toSatisfy((e) => ValidationError.isInstance(e));
  });

  it('counts the limit after NFC normalisation: 1,024 bytes as NFC is accepted even if the NFD input is longer', async () => {
    // "é" typed as e + combining acute is 3 bytes in NFD and 2 in NFC.
    const nfd = 'e\u0301'.repeat(512);
    expect(Buffer.byteLength(nfd, 'utf8')).toBe(1_536);
    const nfc = nfd.normalize('NFC');
    const scope = nock(HOST).put(wirePath(nfc)).query(true).reply(200, '', { etag: '"nfc"' });
    expect((await createS3Storage(settings).write(nfd, 'x')).etag).toBe('"nfc"');
    expect(scope.isDone()).toBe(true);
  });

  it('writes and reads unicode keys as NFC, so both spellings name one object', async () => {
    const nfd = 'photos/cafe\u0301 ☕/Ångström.txt'.normalize('NFD');
    const nfc = nfd.normalize('NFC');
    expect(nfd).not.toBe(nfc);
    const scope = nock(HOST)
      .put(wirePath(nfc))
      .query(true)
      .reply(200, '', { etag: '"u"' })
      .get(wirePath(nfc))
      .query(true)
      .reply(200, 'hello', { 'content-length': '5', etag: '"u"', 'last-modified': 'Fri, 02 Jan 2026 03:04:05 GMT' });
    const storage = createS3Storage(settings);
    expect((await storage.write(nfd, 'hello')).etag).toBe('"u"');
    expect(new TextDecoder().decode(await storage.readBytes(nfc))).toBe('hello');
    expect(scope.isDone()).toBe(true);
    // The path really is the NFC bytes: C3 A9 for é, not 65 CC 81.
    expect(wirePath(nfc)).toContain('caf%C3%A9');
  });

  it('keeps `+`, `%`, spaces and `//` in keys exactly, percent-encoded on the wire', async () => {
    const key = 'a+b/100% sure//x';
    const scope = nock(HOST).put(`/${BUCKET}/a%2Bb/100%25%20sure//x`).query(true).reply(200, '', { etag: '"s"' });
    expect((await createS3Storage(settings).write(key, 'x')).etag).toBe('"s"');
    expect(scope.isDone()).toBe(true);
  });
});

describe('S3 conditional writes that succeed', () => {
  it('create-only (If-None-Match: *) returns the new object', async () => {
    const scope = nock(HOST)
      .put(`/${BUCKET}/fresh`)
      .matchHeader('if-none-match', '*')
      .query(true)
      .reply(200, '', { etag: '"new"' });
    const info = await createS3Storage(settings).write('fresh', 'first', { ifNoneMatch: '*' });
    expect(info).toMatchObject({ key: 'fresh', etag: '"new"' });
    expect(scope.isDone()).toBe(true);
  });

  it('compare-and-swap (If-Match: etag) sends the etag and returns the new version', async () => {
    const scope = nock(HOST)
      .put(`/${BUCKET}/doc`, 'second')
      .matchHeader('if-match', '"v1"')
      .query(true)
      .reply(200, '', { etag: '"v2"' });
    const info = await createS3Storage(settings).write('doc', 'second', { ifMatch: '"v1"' });
    expect(info).toMatchObject({ key: 'doc', etag: '"v2"' });
    expect(scope.isDone()).toBe(true);
  });

  it('an unconditional write sends neither header', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const scope = nock(HOST)
      .put(`/${BUCKET}/plain`)
      .query(true)
      .reply(200, function () {
        seen.push({ ifMatch: this.req.headers['if-match'], ifNoneMatch: this.req.headers['if-none-match'] });
        return '';
      }, { etag: '"p"' });
    expect((await createS3Storage(settings).write('plain', 'x')).etag).toBe('"p"');
    expect(seen).toEqual([{ ifMatch: undefined, ifNoneMatch: undefined }]);
    expect(scope.isDone()).toBe(true);
  });
});
