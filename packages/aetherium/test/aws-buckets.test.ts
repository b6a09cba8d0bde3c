// Wire-level tests of the S3 bucket inventory: the real @aws-sdk/client-s3 speaks S3's REST XML
// API to nock models whose bodies follow the API reference:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html (MaxBuckets and
//   ContinuationToken paging, BucketRegion per bucket when the caller pages)
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html (an empty
//   LocationConstraint for us-east-1, the legacy `EU` for eu-west-1)
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketTagging.html (NoSuchTagSet when
//   the bucket has no tags)
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html (SlowDown: 503)
import type { Clock } from '@almanac/core';
import { expectAlmanacError, useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { bucketRegion, listS3Buckets } from '../src/adapters/aws/index';

useStrictNock();

const ORIGIN = 'https://s3.inventory.test';
const XML = { 'content-type': 'application/xml' };
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
// Backoff sleeps return at once.
const clock: Clock = { now: () => Date.now(), sleep: () => Promise.resolve() };
const options = { credentials, endpoint: ORIGIN, clock };

const bucketXml = (name: string, created: string, region?: string) =>
  `<Bucket><Name>${name}</Name><CreationDate>${created}</CreationDate>${region ? `<BucketRegion>${region}</BucketRegion>` : ''}</Bucket>`;
const listXml = (buckets: string[], token?: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult ${NS}><Owner><ID>owner</ID></Owner><Buckets>${buckets.join('')}</Buckets>${token ? `<ContinuationToken>${token}</ContinuationToken>` : ''}</ListAllMyBucketsResult>`;
const errorXml = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>R1</RequestId></Error>`;
const tagsXml = (tags: [string, string][]) => `<?xml version="1.0" encoding="UTF-8"?><Tagging ${NS}><TagSet>${tags.map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('')}</TagSet></Tagging>`;
// The credential scope of a SigV4 signature names the region the request was signed for.
const signedFor = (region: string) => (value: string) => value.includes(`/${region}/s3/aws4_request`);

describe('listS3Buckets', () => {
  it('pages ListBuckets, maps an empty location to us-east-1 and EU to eu-west-1, reads tags in the bucket region, NoSuchTagSet = no tags', async () => {
    const pages: Record<string, string>[] = [];
    nock(ORIGIN)
      .get('/')
      .query((q) => {
        pages.push(q as Record<string, string>);
        return q['continuation-token'] === undefined;
      })
      .reply(200, listXml([bucketXml('app-logs', '2023-05-01T10:00:00.000Z', 'eu-central-1'), bucketXml('legacy-assets', '2015-02-03T04:05:06.000Z')], 'next-page'), XML)
      .get('/')
      .query((q) => {
        pages.push(q as Record<string, string>);
        return q['continuation-token'] === 'next-page';
      })
      .reply(200, listXml([bucketXml('old-eu', '2012-01-01T00:00:00.000Z')]), XML)
      // Region unknown from the listing: asked with GetBucketLocation.
      .get('/legacy-assets/')
      .query({ location: '' })
      .reply(200, `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint ${NS}/>`, XML)
      .get('/old-eu/')
      .query({ location: '' })
      .reply(200, `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint ${NS}>EU</LocationConstraint>`, XML)
      .get('/app-logs/')
      .query({ tagging: '' })
      .matchHeader('authorization', signedFor('eu-central-1'))
      .reply(200, tagsXml([['team', 'data'], ['env', 'prod']]), XML)
      .get('/legacy-assets/')
      .query({ tagging: '' })
      .matchHeader('authorization', signedFor('us-east-1'))
      .reply(404, errorXml('NoSuchTagSet', 'The TagSet does not exist'), XML)
      .get('/old-eu/')
      .query({ tagging: '' })
      .matchHeader('authorization', signedFor('eu-west-1'))
      .reply(404, errorXml('NoSuchTagSet', 'The TagSet does not exist'), XML);

    const buckets = await listS3Buckets({ ...options, pageSize: 2 });
    expect(pages.map((q) => [q['max-buckets'], q['continuation-token']])).toEqual([
      ['2', undefined],
      ['2', 'next-page'],
    ]);
    expect(buckets).toEqual([
      { name: 'app-logs', region: 'eu-central-1', createdAt: new Date('2023-05-01T10:00:00.000Z'), tags: { team: 'data', env: 'prod' } },
      { name: 'legacy-assets', region: 'us-east-1', createdAt: new Date('2015-02-03T04:05:06.000Z'), tags: {} },
      { name: 'old-eu', region: 'eu-west-1', createdAt: new Date('2012-01-01T00:00:00.000Z'), tags: {} },
    ]);
  });

  it('retries SlowDown (503) and reports AccessDenied as a PermissionError without the secret', async () => {
    nock(ORIGIN).get('/').query(true).reply(503, errorXml('SlowDown', 'Please reduce your request rate.'), XML);
    nock(ORIGIN).get('/').query(true).reply(200, listXml([bucketXml('b1', '2024-01-01T00:00:00.000Z', 'us-west-2')]), XML);
    nock(ORIGIN).get('/b1/').query({ tagging: '' }).reply(503, errorXml('SlowDown', 'Please reduce your request rate.'), XML);
    nock(ORIGIN).get('/b1/').query({ tagging: '' }).reply(200, tagsXml([['cost-center', '42']]), XML);
    expect(await listS3Buckets(options)).toEqual([{ name: 'b1', region: 'us-west-2', createdAt: new Date('2024-01-01T00:00:00.000Z'), tags: { 'cost-center': '42' } }]);

    nock(ORIGIN).get('/').query(true).reply(403, errorXml('AccessDenied', 'Access Denied'), XML);
    const error = await expectAlmanacError(listS3Buckets(options), { code: 'permission', provider: 'aws', operation: 'ListBuckets' });
    expect(error.message).not.toContain(credentials.secretAccessKey);
  });

  it('leaves out a bucket deleted while listing (NoSuchBucket)', async () => {
    nock(ORIGIN).get('/').query(true).reply(200, listXml([bucketXml('gone', '2024-01-01T00:00:00.000Z'), bucketXml('kept', '2024-01-01T00:00:00.000Z', 'us-east-1')]), XML);
    nock(ORIGIN).get('/gone/').query({ location: '' }).reply(404, errorXml('NoSuchBucket', 'The specified bucket does not exist'), XML);
    nock(ORIGIN).get('/kept/').query({ tagging: '' }).reply(200, tagsXml([]), XML);
    expect((await listS3Buckets(options)).map((b) => b.name)).toEqual(['kept']);
  });

  it('refuses bad options naming the field, empty credentials included', async () => {
    await expectAlmanacError(listS3Buckets({ credentials: { accessKeyId: '', secretAccessKey: '' } }), { code: 'validation', field: 'options.credentials' });
    await expectAlmanacError(listS3Buckets({ concurrency: 0 }), { code: 'validation', field: 'options.concurrency' });
    await expectAlmanacError(listS3Buckets({ regoin: 'us-east-1' } as never), { code: 'validation', field: 'options.regoin' });
  });

  it('bucketRegion: null and empty are us-east-1, EU is eu-west-1', () => {
    expect([bucketRegion(null), bucketRegion(''), bucketRegion(undefined), bucketRegion('EU'), bucketRegion('ap-south-1')]).toEqual(['us-east-1', 'us-east-1', 'us-east-1', 'eu-west-1', 'ap-south-1']);
  });
});
