// The S3 adapter against what the real service does and s3rver does not model (issue 10), each
// answered by nock exactly as S3 documents it:
// - multipart limits: https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
// - UploadPart / CompleteMultipartUpload / AbortMultipartUpload:
//   https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
// - archived objects (InvalidObjectState): https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
// - user metadata and RFC 2047: https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html#UserMetadata
// - ListObjectsV2 EncodingType=url: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
// - HeadObject x-amz-checksum-mode: https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
// - SDK checksum defaults (requestChecksumCalculation): https://docs.aws.amazon.com/sdkref/latest/guide/feature-dataintegrity.html
import { ConfigError, ConflictError } from '@almanac/core';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage, createS3StorageProvider } from '../src/adapters/s3';
import { decodeMetadataValue, encodeMetadataValue } from '../src/adapters/s3/metadata';
import { MAX_PARTS, partSizeAt, uploadMultipart } from '../src/adapters/s3/multipart';
import { useStrictNock } from '@almanac/core/testing';

const HOST = 'https://s3.us-east-1.amazonaws.com';
const BUCKET = 'real-bucket';
const settings = {
  bucket: BUCKET,
  region: 'us-east-1',
  endpoint: HOST,
  forcePathStyle: true,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  retry: { baseDelayMs: 0, maxDelayMs: 0 },
} as const;
const XML = { 'content-type': 'application/xml' };
const MIB = 1024 * 1024;
const error = (code: string, message = code, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>R</RequestId></Error>`;
const initiated = (key: string, id: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>${BUCKET}</Bucket><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`;
const completed = (key: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Bucket>${BUCKET}</Bucket><Key>${key}</Key><ETag>"final-2"</ETag></CompleteMultipartUploadResult>`;

useStrictNock();

describe('S3 multipart on the real service', () => {
  it('retries each part on 503 SlowDown: one transient error per part does not fail the upload', async () => {
    const seen: number[] = [];
    const completeBodies: string[] = [];
    nock(HOST)
      .post(`/${BUCKET}/big`)
      .query({ uploads: '' })
      .reply(200, initiated('big', 'up-1'), XML)
      // Each of the 3 parts: first a 503 SlowDown, then success.
      .put(`/${BUCKET}/big`)
      .query((q) => q['uploadId'] === 'up-1')
      .times(6)
      .reply(function (this: nock.ReplyFnContext) {
        const part = Number(new URL(this.req.path, HOST).searchParams.get('partNumber'));
        seen.push(part);
        const attempts = seen.filter((p) => p === part).length;
        return attempts === 1 ? [503, error('SlowDown', 'Please reduce your request rate.'), XML] : [200, '', { ETag: `"etag-${part}"` }];
      })
      .post(`/${BUCKET}/big`)
      .query({ uploadId: 'up-1' })
      .reply(200, (_uri, body) => {
        completeBodies.push(String(body));
        return completed('big');
      }, XML);
    const storage = createS3Storage({ ...settings, multipartThreshold: 5 * MIB, partSize: 5 * MIB, queueSize: 2 });
    const info = await storage.write('big', new Uint8Array(11 * MIB));
    expect(info.etag).toBe('"final-2"');
    expect(info.size).toBe(11 * MIB);
    expect(seen.sort()).toEqual([1, 1, 2, 2, 3, 3]);
    expect(completeBodies[0]).toMatch(/<PartNumber>1<\/PartNumber>.*<PartNumber>2<\/PartNumber>.*<PartNumber>3<\/PartNumber>/s);
    expect(completeBodies[0]).toContain("&quot;etag-3&quot;");
  });

  it('aborts the upload when CompleteMultipartUpload fails with 412 (the precondition is checked there)', async () => {
    let aborted = false;
    nock(HOST)
      .post(`/${BUCKET}/once`)
      .query({ uploads: '' })
      .reply(200, initiated('once', 'up-2'), XML)
      .put(`/${BUCKET}/once`)
      .query((q) => q['uploadId'] === 'up-2')
      .times(2)
      .reply(200, '', { ETag: '"p"' })
      // S3 checks If-None-Match of a multipart write on CompleteMultipartUpload.
      .post(`/${BUCKET}/once`)
      .matchHeader('if-none-match', '*')
      .query({ uploadId: 'up-2' })
      .reply(412, error('PreconditionFailed'), XML)
      .delete(`/${BUCKET}/once`)
      .query((q) => q['uploadId'] === 'up-2')
      .reply(204, () => {
        aborted = true;
        return '';
      });
    const storage = createS3Storage({ ...settings, multipartThreshold: 5 * MIB, partSize: 5 * MIB });
    const failure = await storage.write('once', new Uint8Array(6 * MIB), { ifNoneMatch: '*' }).catch((e: unknown) => e);
    expect(ConflictError.isInstance(failure)).toBe(true);
    expect(aborted).toBe(true);
  });

  // The same rule for every other Complete failure, on the multipart loop itself (small parts, no wire).
  it.each([
    ['409 ConditionalRequestConflict', new ConflictError('conflict', { status: 409 })],
    ['500 InternalError', Object.assign(new Error('internal'), { status: 500 })],
  ])('aborts the upload when CompleteMultipartUpload fails with %s, calling Complete once', async (_, failure) => {
    const calls: string[] = [];
    const result = await uploadMultipart(
      {
        create: async () => {
          calls.push('create');
          return 'up';
        },
        uploadPart: async (_id, n) => {
          calls.push(`part ${n}`);
          return `"e${n}"`;
        },
        complete: async () => {
          calls.push('complete');
          throw failure;
        },
        abort: async () => {
          calls.push('abort');
        },
      },
      { body: new Blob([new Uint8Array(25)]).stream(), size: undefined, partSize: 10, queueSize: 2, signal: undefined },
    ).catch((e: unknown) => e);
    expect(result).toBe(failure);
    expect(calls.filter((c) => c === 'complete')).toHaveLength(1);
    expect(calls.at(-1)).toBe('abort');
    expect(calls.filter((c) => c.startsWith('part')).sort()).toEqual(['part 1', 'part 2', 'part 3']);
  });

  it('aborts the upload when the body fails mid-way, after the parts in flight settle', async () => {
    const calls: string[] = [];
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 3) controller.enqueue(new Uint8Array(10));
        else controller.error(new Error('disk read failed'));
      },
    });
    const result = await uploadMultipart(
      {
        create: async () => 'up',
        uploadPart: async (_id, n) => {
          calls.push(`part ${n}`);
          return 'e';
        },
        complete: async () => {
          calls.push('complete');
          return {};
        },
        abort: async () => {
          calls.push('abort');
        },
      },
      { body, size: undefined, partSize: 10, queueSize: 1, signal: undefined },
    ).catch((e: unknown) => e);
    expect((result as Error).message).toBe('disk read failed');
    expect(calls).not.toContain('complete');
    expect(calls.at(-1)).toBe('abort');
  });

  it('grows the part size with the body so any allowed size fits in 10,000 parts', () => {
    const configured = 8 * MIB;
    expect(partSizeAt(0, configured, 10 * MIB)).toBe(configured);
    for (const total of [78 * 1024 * MIB, 100 * 1024 * MIB, 5 * 1024 * 1024 * MIB]) {
      const size = partSizeAt(0, configured, total);
      expect(size * MAX_PARTS).toBeGreaterThanOrEqual(total);
      expect(size % MIB).toBe(0);
    }
    // Unknown size: doubles every 1,000 parts, so 10,000 parts hold far more than 78 GiB.
    let capacity = 0;
    for (let i = 0; i < MAX_PARTS; i++) capacity += partSizeAt(i, configured, undefined);
    expect(capacity).toBeGreaterThan(5 * 1024 * 1024 * MIB);
  });
});

describe('S3 archived objects', () => {
  it('maps InvalidObjectState on read to a ConflictError that names restore', async () => {
    nock(HOST)
      .get(`/${BUCKET}/cold.bin`)
      .query(true)
      .reply(403, error('InvalidObjectState', 'The operation is not valid for the object\'s storage class', '<StorageClass>GLACIER</StorageClass>'), XML);
    const failure = await createS3Storage(settings).readBytes('cold.bin').catch((e: unknown) => e);
    expect(ConflictError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/archived.*restore/);
  });

  it('maps NoSuchBucket to a ConfigError naming the bucket, not a missing object', async () => {
    nock(HOST).get(`/${BUCKET}/k`).query(true).reply(404, error('NoSuchBucket', 'The specified bucket does not exist'), XML);
    const failure = await createS3Storage(settings).readBytes('k').catch((e: unknown) => e);
    expect(ConfigError.isInstance(failure)).toBe(true);
  });
});

describe('S3 headers and encodings', () => {
  it('sends non-ASCII metadata as RFC 2047 encoded words and decodes them on stat', async () => {
    let sent: string | undefined;
    const value = 'Zoë Ågren — 東京';
    nock(HOST)
      .put(`/${BUCKET}/meta.txt`)
      .query(true)
      .reply(function (this: nock.ReplyFnContext) {
        sent = String(this.req.headers['x-amz-meta-owner']);
        return [200, '', { ETag: '"m"' }];
      })
      .head(`/${BUCKET}/meta.txt`)
      .reply(200, '', {
        'Content-Length': '1',
        'Last-Modified': 'Wed, 02 Dec 2026 10:00:00 GMT',
        // What S3 returns: the RFC 2047 form, here in the Q encoding for variety.
        'x-amz-meta-owner': '=?UTF-8?Q?Zo=C3=AB?= =?UTF-8?B?IMOFZ3JlbiDigJQg5p2x5Lqs?=',
      });
    const storage = createS3Storage(settings);
    await storage.write('meta.txt', 'x', { metadata: { owner: value } });
    expect(sent).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
    expect(decodeMetadataValue(sent as string)).toBe(value);
    expect((await storage.stat('meta.txt')).metadata['owner']).toBe(value);
    expect(encodeMetadataValue('plain ascii')).toBe('plain ascii');
  });

  it('lists with EncodingType=url and decodes keys and prefixes', async () => {
    nock(HOST)
      .get(`/${BUCKET}/`)
      .query({ 'list-type': '2', prefix: '', 'encoding-type': 'url', delimiter: '/' })
      .reply(
        200,
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${BUCKET}</Name><Prefix></Prefix><KeyCount>2</KeyCount><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated><Contents><Key>a+b%2Bc%0B%C3%A9</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><Size>1</Size></Contents><CommonPrefixes><Prefix>dir+x%25/</Prefix></CommonPrefixes></ListBucketResult>`,
        XML,
      );
    const page = await createS3StorageProvider(settings).listPage({ prefix: '', delimiter: '/' });
    expect(page.entries).toMatchObject([
      { type: 'object', key: 'a b+c\u000bé' },
      { type: 'prefix', prefix: 'dir x%/' },
    ]);
  });

  it('stats with x-amz-checksum-mode: ENABLED and reports the stored checksum', async () => {
    nock(HOST)
      .head(`/${BUCKET}/sum.bin`)
      .matchHeader('x-amz-checksum-mode', 'ENABLED')
      .reply(200, '', {
        'Content-Length': '5',
        'Last-Modified': 'Wed, 02 Dec 2026 10:00:00 GMT',
        'x-amz-checksum-crc32c': 'yZRlqg==',
      });
    const info = await createS3Storage(settings).stat('sum.bin');
    expect(info.checksum).toEqual({ algorithm: 'crc32c', value: 'yZRlqg==' });
  });

  it('sends no SDK checksum headers by default (S3-compatible services reject them), and does with checksums: when-supported', async () => {
    const headers: Record<string, unknown>[] = [];
    nock(HOST)
      .put(`/${BUCKET}/plain.txt`)
      .query(true)
      .times(2)
      .reply(function (this: nock.ReplyFnContext) {
        headers.push({ ...this.req.headers });
        return [200, '', { ETag: '"p"' }];
      });
    await createS3Storage(settings).write('plain.txt', 'hello');
    await createS3Storage({ ...settings, checksums: 'when-supported' }).write('plain.txt', 'hello');
    const checksumHeaders = (h: Record<string, unknown>) => Object.keys(h).filter((name) => name.startsWith('x-amz-checksum-') || name === 'x-amz-sdk-checksum-algorithm');
    expect(checksumHeaders(headers[0] ?? {})).toEqual([]);
    expect(checksumHeaders(headers[1] ?? {}).length).toBeGreaterThan(0);
  });

  it('readBytes reads the whole body through the SDK (transformToByteArray) and retries a 500', async () => {
    nock(HOST)
      .get(`/${BUCKET}/whole.bin`)
      .query(true)
      .reply(500, error('InternalError'), XML)
      .get(`/${BUCKET}/whole.bin`)
      .query(true)
      .reply(200, Buffer.from('0123456789'), { 'Content-Length': '10', 'Last-Modified': 'Wed, 02 Dec 2026 10:00:00 GMT' });
    const bytes = await createS3Storage(settings).readBytes('whole.bin');
    expect(Buffer.from(bytes).toString()).toBe('0123456789');
  });
});

describe('S3 restore of archived objects (https://docs.aws.amazon.com/AmazonS3/latest/API/API_RestoreObject.html)', () => {
  it('sends RestoreObject with Days and Tier and reads 202 as in progress, 200 as restored, 409 RestoreAlreadyInProgress as in progress', async () => {
    const bodies: string[] = [];
    const reply = (status: number, body = '') =>
      function (this: nock.ReplyFnContext, _uri: string, requestBody: nock.Body) {
        bodies.push(String(requestBody));
        return [status, body, XML] as [number, string, Record<string, string>];
      };
    nock(HOST)
      .post(`/${BUCKET}/cold.bin`)
      .query((q) => 'restore' in q)
      .reply(reply(202))
      .post(`/${BUCKET}/cold.bin`)
      .query((q) => 'restore' in q)
      .reply(reply(409, error('RestoreAlreadyInProgress', 'Object restore is already in progress')))
      .post(`/${BUCKET}/cold.bin`)
      .query((q) => 'restore' in q)
      .reply(reply(200));
    const storage = createS3Storage(settings);
    expect(storage.supports('restore')).toBe(true);
    expect(await storage.restore('cold.bin', { days: 3, tier: 'bulk' })).toEqual({ state: 'in-progress' });
    expect(await storage.restore('cold.bin', { days: 3 })).toEqual({ state: 'in-progress' });
    expect(await storage.restore('cold.bin', { days: 3, tier: 'expedited' })).toEqual({ state: 'restored' });
    expect(bodies[0]).toMatch(/<Days>3<\/Days>.*<Tier>Bulk<\/Tier>/s);
    expect(bodies[2]).toContain('<Tier>Expedited</Tier>');
  });

  it('reports the x-amz-restore header on stat: ongoing, then restored with its expiry', async () => {
    const head = (restore: string) => ({
      'Content-Length': '4',
      'Last-Modified': 'Wed, 02 Dec 2026 10:00:00 GMT',
      'x-amz-storage-class': 'GLACIER',
      'x-amz-restore': restore,
    });
    nock(HOST)
      .head(`/${BUCKET}/cold.bin`)
      .reply(200, '', head('ongoing-request="true"'))
      .head(`/${BUCKET}/cold.bin`)
      .reply(200, '', head('ongoing-request="false", expiry-date="Fri, 04 Dec 2026 00:00:00 GMT"'));
    const storage = createS3Storage(settings);
    expect((await storage.stat('cold.bin')).restore).toEqual({ state: 'in-progress' });
    const restored = await storage.stat('cold.bin');
    expect(restored.restore?.state).toBe('restored');
    expect(restored.restore?.expiresAt?.toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(restored.storageClass).toBe('GLACIER');
  });

  it('validates restore options, naming the field', async () => {
    const storage = createS3Storage(settings);
    await expect(storage.restore('cold.bin', { days: 0 })).rejects.toMatchObject({ code: 'validation', issues: [{ path: 'options.days' }] });
  });
});

describe('S3 copies over 5 GiB (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html: one CopyObject copies at most 5 GB)', () => {
  const GIB = 1024 * 1024 * 1024;
  const bigHead = (extra: Record<string, string> = {}) => ({
    'Content-Length': String(6 * GIB),
    'Last-Modified': 'Wed, 02 Dec 2026 10:00:00 GMT',
    ETag: '"src-etag"',
    'Content-Type': 'video/mp4',
    'x-amz-meta-owner': 'alice',
    ...extra,
  });

  it('copies with UploadPartCopy ranges pinned to the source etag, keeping type and metadata', async () => {
    const ranges: string[] = [];
    let created: Record<string, unknown> = {};
    nock(HOST)
      .head(`/${BUCKET}/big.mp4`)
      .reply(200, '', bigHead())
      .post(`/${BUCKET}/copy.mp4`)
      .query({ uploads: '' })
      .reply(function (this: nock.ReplyFnContext) {
        created = { ...this.req.headers };
        return [200, initiated('copy.mp4', 'cp-1'), XML];
      })
      .put(`/${BUCKET}/copy.mp4`)
      .query((q) => q['uploadId'] === 'cp-1')
      .times(12)
      .reply(function (this: nock.ReplyFnContext) {
        expect(this.req.headers['x-amz-copy-source']).toBe(`${BUCKET}/big.mp4`);
        expect(this.req.headers['x-amz-copy-source-if-match']).toBe('"src-etag"');
        ranges.push(String(this.req.headers['x-amz-copy-source-range']));
        return [200, '<CopyPartResult><ETag>"p"</ETag><LastModified>2026-12-02T10:00:00.000Z</LastModified></CopyPartResult>', XML];
      })
      .post(`/${BUCKET}/copy.mp4`)
      .query({ uploadId: 'cp-1' })
      .reply(200, completed('copy.mp4'), XML);
    const info = await createS3Storage(settings).copy('big.mp4', 'copy.mp4');
    expect(info).toMatchObject({ key: 'copy.mp4', size: 6 * GIB, contentType: 'video/mp4', metadata: { owner: 'alice' } });
    expect(ranges).toHaveLength(12);
    expect(ranges).toContain('bytes=0-536870911');
    expect(ranges).toContain(`bytes=${11 * 512 * 1024 * 1024}-${6 * GIB - 1}`);
    expect(created['content-type']).toBe('video/mp4');
    expect(created['x-amz-meta-owner']).toBe('alice');
  });

  it('aborts a multipart copy whose part fails', async () => {
    let aborted = false;
    nock(HOST)
      .head(`/${BUCKET}/big.mp4`)
      .reply(200, '', bigHead())
      .post(`/${BUCKET}/copy.mp4`)
      .query({ uploads: '' })
      .reply(200, initiated('copy.mp4', 'cp-2'), XML)
      .put(`/${BUCKET}/copy.mp4`)
      .query((q) => q['uploadId'] === 'cp-2')
      .times(12)
      .reply(412, error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold'), XML)
      .delete(`/${BUCKET}/copy.mp4`)
      .query((q) => q['uploadId'] === 'cp-2')
      .reply(204, () => {
        aborted = true;
        return '';
      });
    const failure = await createS3Storage({ ...settings, queueSize: 1 }).copy('big.mp4', 'copy.mp4').catch((e: unknown) => e);
    expect(ConflictError.isInstance(failure)).toBe(true);
    expect(aborted).toBe(true);
    nock.cleanAll();
  });

  it('on a versioned bucket, deletes the previous version after a class change only when asked', async () => {
    let deleted: string | undefined;
    nock(HOST)
      .head(`/${BUCKET}/v.bin`)
      .reply(200, '', { 'Content-Length': '3', 'Last-Modified': 'Wed, 02 Dec 2026 10:00:00 GMT', 'x-amz-version-id': 'old-version' })
      .put(`/${BUCKET}/v.bin`)
      .query(true)
      .matchHeader('x-amz-storage-class', 'GLACIER')
      .reply(200, '<CopyObjectResult><ETag>"e"</ETag></CopyObjectResult>', { ...XML, 'x-amz-version-id': 'new-version' })
      .delete(`/${BUCKET}/v.bin`)
      .query((q) => {
        deleted = String(q['versionId']);
        return true;
      })
      .reply(204);
    await createS3Storage({ ...settings, deletePreviousVersionOnClassChange: true }).setStorageClass('v.bin', 'GLACIER');
    expect(deleted).toBe('old-version');
  });
});
