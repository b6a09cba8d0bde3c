// Wire-level tests of the S3 adapter: nock answers exactly as S3 does (XML bodies, status codes),
// for what s3rver cannot show: conditional writes, throttling, storage classes, versioning,
// `//` and 1,024-byte keys, bucket location and multipart abort.
import { ConflictError, ConfigError, NotFoundError, PermissionError, RateLimitError } from '@almanac/core';
import nock from 'nock';
import { moduleNotFound } from './support/fixtures';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage, createS3StorageProvider } from '../src/adapters/s3';
import { mapS3Error } from '../src/adapters/s3/errors';
import { S3_WIRE_HOST, s3WireSettings } from './support/s3-wire';
import { useStrictNock } from '@almanac/core/testing';

const HOST = S3_WIRE_HOST;
const BUCKET = 'wire-bucket';
const settings = s3WireSettings(BUCKET);
const XML = { 'content-type': 'application/xml' };
const error = (code: string, message = code) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>R</RequestId></Error>`;

useStrictNock();

describe('S3 adapter on the wire', () => {
  it('pages ListObjectsV2 with continuation tokens and common prefixes', async () => {
    nock(HOST)
      .get(`/${BUCKET}/`)
      .query({ 'list-type': '2', prefix: 'p/', delimiter: '/', 'encoding-type': 'url' })
      .reply(
        200,
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${BUCKET}</Name><Prefix>p/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated><NextContinuationToken>tok-1</NextContinuationToken><Contents><Key>p/a</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>&quot;abc&quot;</ETag><Size>3</Size><StorageClass>STANDARD_IA</StorageClass></Contents><CommonPrefixes><Prefix>p/d/</Prefix></CommonPrefixes></ListBucketResult>`,
        XML,
      )
      .get(`/${BUCKET}/`)
      .query({ 'list-type': '2', prefix: 'p/', delimiter: '/', 'encoding-type': 'url', 'continuation-token': 'tok-1' })
      .reply(
        200,
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${BUCKET}</Name><Prefix>p/</Prefix><KeyCount>1</KeyCount><IsTruncated>false</IsTruncated><Contents><Key>p/z</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>&quot;def&quot;</ETag><Size>9</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>`,
        XML,
      );
    const provider = createS3StorageProvider(settings);
    const first = await provider.listPage({ prefix: 'p/', delimiter: '/' });
    expect(first.nextCursor).toBe('tok-1');
    expect(first.entries).toMatchObject([
      { type: 'object', key: 'p/a', size: 3, etag: '"abc"', storageClass: 'STANDARD_IA' },
      { type: 'prefix', prefix: 'p/d/' },
    ]);
    const second = await provider.listPage({ prefix: 'p/', delimiter: '/', cursor: 'tok-1' });
    expect(second.nextCursor).toBeUndefined();
    expect(second.entries).toMatchObject([{ key: 'p/z', size: 9 }]);
  });

  it('maps NoSuchKey to NotFoundError and 404 HEAD to NotFoundError', async () => {
    nock(HOST).get(`/${BUCKET}/missing`).query(true).reply(404, error('NoSuchKey', 'The specified key does not exist.'), XML);
    nock(HOST).head(`/${BUCKET}/missing`).reply(404);
    const storage = createS3Storage(settings);
    await expect(storage.readBytes('missing')).rejects.toSatisfy((e) => NotFoundError.isInstance(e));
    await expect(storage.stat('missing')).rejects.toSatisfy((e) => NotFoundError.isInstance(e));
  });

  it('sends If-None-Match: * and maps 412 PreconditionFailed to ConflictError without retrying', async () => {
    nock(HOST)
      .put(`/${BUCKET}/once`)
      .matchHeader('if-none-match', '*')
      .query(true)
      .reply(412, error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold'), XML);
    nock(HOST).put(`/${BUCKET}/once`).matchHeader('if-match', '"old"').query(true).reply(409, error('ConditionalRequestConflict'), XML);
    const storage = createS3Storage(settings);
    await expect(storage.write('once', 'x', { ifNoneMatch: '*' })).rejects.toSatisfy((e) => ConflictError.isInstance(e));
    await expect(storage.write('once', 'x', { ifMatch: '"old"' })).rejects.toSatisfy((e) => ConflictError.isInstance(e));
  });

  it('retries 503 SlowDown on idempotent calls', async () => {
    nock(HOST)
      .head(`/${BUCKET}/hot`)
      .times(3)
      .reply(503, '', {})
      .get(`/${BUCKET}/hot`)
      .query(true)
      .reply(503, error('SlowDown', 'Please reduce your request rate.'), XML)
      .get(`/${BUCKET}/hot`)
      .query(true)
      .reply(200, 'ok', { 'content-length': '2', etag: '"e"', 'last-modified': 'Fri, 02 Jan 2026 03:04:05 GMT' });
    const provider = createS3StorageProvider({ ...settings, retry: { baseDelayMs: 0, maxAttempts: 3 } });
    const stat = provider.stat({ key: 'hot' });
    await expect(stat).rejects.toSatisfy((e) => RateLimitError.isInstance(e));
    const read = await provider.read({ key: 'hot' });
    expect(await new Response(read.body).text()).toBe('ok');
    expect(mapS3Error(Object.assign(new Error('x'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }), 'read').retryable).toBe(true);
  });

  it('changes the storage class with CopyObject onto itself', async () => {
    const scope = nock(HOST)
      // The size decides between CopyObject and a multipart copy.
      .head('/wire-bucket/a%20b/c%2Bd')
      .reply(200, '', { 'Content-Length': '3', 'Last-Modified': 'Wed, 02 Dec 2026 10:00:00 GMT' })
      .put('/wire-bucket/a%20b/c%2Bd')
      .query(true)
      .matchHeader('x-amz-copy-source', 'wire-bucket/a%20b/c%2Bd')
      .matchHeader('x-amz-storage-class', 'GLACIER_IR')
      .matchHeader('x-amz-metadata-directive', 'COPY')
      .reply(200, '<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult><LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>"e"</ETag></CopyObjectResult>', XML);
    await createS3Storage(settings).setStorageClass('a b/c+d', 'GLACIER_IR');
    expect(scope.isDone()).toBe(true);
  });

  it('reads an empty LocationConstraint as us-east-1 and EU as eu-west-1', async () => {
    nock(HOST)
      .get(`/${BUCKET}/`)
      .query({ location: '' })
      .reply(200, '<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>', XML)
      .get(`/${BUCKET}/`)
      .query({ location: '' })
      .reply(200, '<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">EU</LocationConstraint>', XML);
    const provider = createS3StorageProvider(settings);
    expect(await provider.bucketRegion()).toBe('us-east-1');
    expect(await provider.bucketRegion()).toBe('eu-west-1');
  });

  it('reads and sets versioning and lists versions with delete markers', async () => {
    nock(HOST)
      .get(`/${BUCKET}/`)
      .query({ versioning: '' })
      .reply(200, '<?xml version="1.0" encoding="UTF-8"?><VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>', XML)
      .put(`/${BUCKET}/`, /<Status>Suspended<\/Status>/)
      .query({ versioning: '' })
      .reply(200)
      .get(`/${BUCKET}/`)
      .query({ versions: '', prefix: 'v/' })
      .reply(
        200,
        `<?xml version="1.0" encoding="UTF-8"?><ListVersionsResult><Name>${BUCKET}</Name><Prefix>v/</Prefix><IsTruncated>true</IsTruncated><NextKeyMarker>v/a</NextKeyMarker><NextVersionIdMarker>v1</NextVersionIdMarker><DeleteMarker><Key>v/a</Key><VersionId>v3</VersionId><IsLatest>true</IsLatest><LastModified>2026-01-03T00:00:00.000Z</LastModified></DeleteMarker><Version><Key>v/a</Key><VersionId>v2</VersionId><IsLatest>false</IsLatest><LastModified>2026-01-02T00:00:00.000Z</LastModified><ETag>"e"</ETag><Size>5</Size><StorageClass>STANDARD</StorageClass></Version></ListVersionsResult>`,
        XML,
      )
      .get(`/${BUCKET}/`)
      .query({ versions: '', prefix: 'v/', 'key-marker': 'v/a', 'version-id-marker': 'v1' })
      .reply(200, `<?xml version="1.0" encoding="UTF-8"?><ListVersionsResult><Name>${BUCKET}</Name><IsTruncated>false</IsTruncated></ListVersionsResult>`, XML);
    const provider = createS3StorageProvider(settings);
    expect(await provider.getVersioning?.()).toBe(true);
    await provider.setVersioning?.({ enabled: false });
    const page = await provider.listVersionsPage?.({ prefix: 'v/' });
    expect(page?.versions).toMatchObject([
      { key: 'v/a', versionId: 'v3', deleteMarker: true, isLatest: true, size: 0 },
      { key: 'v/a', versionId: 'v2', deleteMarker: false, size: 5 },
    ]);
    const next = await provider.listVersionsPage?.({ prefix: 'v/', cursor: page?.nextCursor as string });
    expect(next).toEqual({ versions: [] });
  });

  it('accepts keys with // and of 1,024 bytes', async () => {
    const long = 'k'.repeat(1_024);
    nock(HOST).put(`/${BUCKET}/a//b`).query(true).reply(200, '', { etag: '"1"' });
    nock(HOST).put(`/${BUCKET}/${long}`).query(true).reply(200, '', { etag: '"2"' });
    const storage = createS3Storage(settings);
    expect((await storage.write('a//b', 'x')).etag).toBe('"1"');
    expect((await storage.write(long, 'x')).etag).toBe('"2"');
  });

  it('aborts the multipart upload when a part fails, so no parts linger', async () => {
    const body = new Uint8Array(11 * 1024 * 1024);
    const requests: string[] = [];
    const scope = nock(HOST)
      .post(`/${BUCKET}/big`)
      .query({ uploads: '' })
      .reply(200, `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>${BUCKET}</Bucket><Key>big</Key><UploadId>up-1</UploadId></InitiateMultipartUploadResult>`, XML)
      .put(`/${BUCKET}/big`)
      .query((query) => query['uploadId'] === 'up-1' && query['partNumber'] === '1')
      .reply(500, () => {
        requests.push('part 1');
        return error('InternalError', 'We encountered an internal error.');
      })
      // AbortMultipartUpload: DELETE /{Key}?uploadId=… (https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html)
      .delete(`/${BUCKET}/big`)
      .query({ uploadId: 'up-1', 'x-id': 'AbortMultipartUpload' })
      .reply(204, () => {
        requests.push('abort up-1');
        return '';
      });
    const storage = createS3Storage({ ...settings, multipartThreshold: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024, queueSize: 1 });
    const failure = await storage.write('big', body).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'provider' });
    // The abort names the upload that failed, after the part failed, and nothing completes it.
    expect(requests).toEqual(['part 1', 'abort up-1']);
    expect(scope.isDone()).toBe(true);
  });

  it('maps AccessDenied to PermissionError and reports missing SDK packages as ConfigError', async () => {
    nock(HOST).delete(`/${BUCKET}/locked`).query(true).reply(403, error('AccessDenied', 'Access Denied'), XML);
    await expect(createS3Storage(settings).delete('locked')).rejects.toSatisfy((e) => PermissionError.isInstance(e));
    const provider = createS3StorageProvider({ ...settings, importers: { client: () => Promise.reject(moduleNotFound('@aws-sdk/client-s3')) } });
    // All three peers in one command, so installing after the first error does not meet the next one.
    await expect(provider.stat({ key: 'x' })).rejects.toSatisfy(
      (e) => ConfigError.isInstance(e) && (e as Error).message.includes('npm install @aws-sdk/client-s3 @aws-sdk/lib-storage @aws-sdk/s3-request-presigner'),
    );
  });

  it('reports posture, treating missing configuration as not configured', async () => {
    nock(HOST)
      .get(`/${BUCKET}/`)
      .query({ publicAccessBlock: '' })
      .reply(404, error('NoSuchPublicAccessBlockConfiguration'), XML)
      .get(`/${BUCKET}/`)
      .query({ encryption: '' })
      .reply(200, '<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>', XML)
      .get(`/${BUCKET}/`)
      .query({ versioning: '' })
      .reply(200, '<VersioningConfiguration/>', XML)
      .get(`/${BUCKET}/`)
      .query({ logging: '' })
      .reply(200, '<BucketLoggingStatus/>', XML);
    const findings = await createS3Storage(settings).posture();
    expect(findings.map((finding) => [finding.rule, finding.passed])).toEqual([
      ['s3.public_access_block', false],
      ['s3.default_encryption', true],
      ['s3.versioning', false],
      ['s3.access_logging', false],
    ]);
  });
});
