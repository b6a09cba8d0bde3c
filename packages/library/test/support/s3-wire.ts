// Shared set-up of the S3 wire-level tests: nock stands in for S3's regional endpoint.

/** The endpoint nock answers for, as the SDK addresses it with path-style URLs. */
export const S3_WIRE_HOST = 'https://s3.us-east-1.amazonaws.com';

/** Adapter settings against {@link S3_WIRE_HOST} with static test credentials and no backoff delay. */
export function s3WireSettings<B extends string>(bucket: B) {
  return {
    bucket,
    region: 'us-east-1',
    endpoint: S3_WIRE_HOST,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    retry: { baseDelayMs: 0 },
  } as const;
}
