// The storage conformance suite over the S3 adapter on s3rver. Skipped here, and covered at the
// wire level in s3.wire.test.ts instead: what s3rver cannot do (storage-class changes, versioning,
// conditional writes, bucket posture APIs) or fails on (`//` keys, also in the delimiter test; 1,024-byte keys).
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3Storage } from '../src/adapters/s3';
import { runStorageConformance } from '../src/testing';
import { type S3rver, startS3rver } from './support/s3rver';

const BUCKET = 'almanac-conformance';
let server: S3rver | undefined;

runStorageConformance({
  name: 's3 (s3rver)',
  async create() {
    server = await startS3rver();
    const raw = new S3Client({ ...server.clientConfig, maxAttempts: 1 });
    await raw.send(new CreateBucketCommand({ Bucket: BUCKET }));
    raw.destroy();
    return createS3Storage({ bucket: BUCKET, ...server.clientConfig });
  },
  async destroy() {
    await server?.stop();
  },
  skip: ['special-keys', 'long-key', 'delimiter', 'conditional', 'storage-class', 'versioning', 'posture'],
});
