import nock from 'nock';
import { createGcsStorage } from '../src/adapters/gcs';
import type { GcsClientLike } from '../src/adapters/gcs';
import { runStorageConformance } from '../src/testing';
import { FakeGcs, fakeStorageClient } from './fixtures/gcs/fake-gcs';

let fake: FakeGcs | undefined;

runStorageConformance({
  name: 'gcs (fake JSON API over nock)',
  async create() {
    nock.disableNetConnect();
    fake = new FakeGcs('almanac-conformance').install();
    const storage = (await fakeStorageClient()) as unknown as GcsClientLike;
    return createGcsStorage({ bucket: 'almanac-conformance', storage, retry: { baseDelayMs: 1 } });
  },
  destroy() {
    fake?.uninstall();
    nock.enableNetConnect();
  },
  // Signed URLs are signed for real (see gcs.test.ts for their shape), but fetching them would
  // need the fake to verify V4 signatures, which it does not.
  skip: ['signed-read', 'signed-write', 'signed-write-untyped', 'signed-read-request', 'signed-expiry'],
});
