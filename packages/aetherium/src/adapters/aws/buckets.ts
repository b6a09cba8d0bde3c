import { AuthError, NotFoundError, PermissionError, RateLimitError, ValidationError, errorForStatus, systemClock } from '@almanac/core';
import type { AlmanacError, Clock, Logger } from '@almanac/core';
import { callProvider, createPeerLoader } from '@almanac/core/kit';
import type { AwsCredentialProvider, AwsCredentials } from './options';

// exact-optional-ignore: the SDK's own S3Client must stay assignable to this shape.
/** The slice of `S3Client` the bucket inventory calls (`send`); typed structurally. */
export interface S3InventoryClient {
  /** Sends one command; `abortSignal` cancels the HTTP request. */
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Options of {@link listS3Buckets}. */
export interface ListS3BucketsOptions {
  /** Region of the client that lists buckets; default `us-east-1`. Tags are read in each bucket's own region. */
  readonly region?: string | undefined;
  /** Static credentials or a credential provider; absent: the SDK's default chain. Never logged. */
  readonly credentials?: AwsCredentials | AwsCredentialProvider | undefined;
  /** Endpoint override (test servers, S3-compatible services); path-style addressing is then used. */
  readonly endpoint?: string | undefined;
  /** A ready client for every call (e.g. `new S3Client({...})`), instead of one built per region. */
  readonly client?: S3InventoryClient | undefined;
  /** Per-bucket reads (location, tags) in flight at once; default 8. */
  readonly concurrency?: number | undefined;
  /** Buckets per `ListBuckets` page (`MaxBuckets`, 1 to 10 000); default 1000. */
  readonly pageSize?: number | undefined;
  /** Aborts every call. */
  readonly signal?: AbortSignal | undefined;
  /** Clock of retry backoff. */
  readonly clock?: Clock | undefined;
  /** Told about retries at debug level. */
  readonly logger?: Logger | undefined;
}

/** One S3 bucket of the account. */
export interface S3Bucket {
  /** Bucket name. */
  readonly name: string;
  /** Region (`us-east-1` for buckets whose location constraint is empty, `eu-west-1` for the legacy `EU`). */
  readonly region: string;
  /** Creation date as `ListBuckets` reports it; `null` when absent. */
  readonly createdAt: Date | null;
  /** Bucket tags; empty when the bucket has none (S3 answers `NoSuchTagSet`). */
  readonly tags: Readonly<Record<string, string>>;
}

type S3Module = { S3Client: new (config: Record<string, unknown>) => S3InventoryClient } & Record<string, new (input: Record<string, unknown>) => object>;

const loadS3 = createPeerLoader<S3Module>({
  pkg: '@aws-sdk/client-s3',
  provider: 'aws',
  importer: () => import('@aws-sdk/client-s3'),
  exportName: 'S3Client',
  minVersion: '3.700',
  purpose: 'list S3 buckets',
});

/**
 * Maps an S3 SDK error by its code (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html):
 * `SlowDown` and 503 are throttling (retried: every call here is a read).
 */
function mapS3Error(error: unknown, info: { operation: string }): AlmanacError {
  const e = error as { name?: string | undefined; Code?: string | undefined; message?: string | undefined; $metadata?: { httpStatusCode?: number | undefined } | undefined };
  const code = e?.name ?? e?.Code ?? '';
  const status = e?.$metadata?.httpStatusCode ?? 500;
  const message = `S3 ${info.operation} failed: ${code}${e?.message && e.message !== code ? `: ${e.message}` : ''}`;
  const options = { provider: 'aws', operation: info.operation, cause: error };
  if (code === 'SlowDown' || code === 'ThrottlingException' || code === 'RequestLimitExceeded' || status === 503) return new RateLimitError(message, options);
  if (code === 'AccessDenied' || code === 'AllAccessDisabled') return new PermissionError(message, options);
  if (code === 'InvalidAccessKeyId' || code === 'SignatureDoesNotMatch' || code === 'ExpiredToken' || code === 'InvalidToken') return new AuthError(message, options);
  if (code === 'NoSuchBucket') return new NotFoundError(message, options);
  return errorForStatus(status, message, { ...options, retryable: status >= 500 });
}

/** The S3 error code behind a mapped error (its `cause`), e.g. `NoSuchTagSet`. */
function s3Code(error: unknown): string | undefined {
  const cause = (error as Record<string, unknown> | null)?.['cause'] as Record<string, unknown> | null | undefined;
  const code = cause?.['name'] ?? cause?.['Code'];
  return typeof code === 'string' ? code : undefined;
}

/**
 * `GetBucketLocation`'s answer as a region: an empty (`null`) constraint is `us-east-1` and the
 * legacy `EU` is `eu-west-1` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html).
 */
export function bucketRegion(locationConstraint: unknown): string {
  if (typeof locationConstraint !== 'string' || locationConstraint === '') return 'us-east-1';
  return locationConstraint === 'EU' ? 'eu-west-1' : locationConstraint;
}

function checkOptions(options: ListS3BucketsOptions): void {
  const issues: { path: string; message: string }[] = [];
  const o = options as Record<string, unknown>;
  const known = new Set(['region', 'credentials', 'endpoint', 'client', 'concurrency', 'pageSize', 'signal', 'clock', 'logger']);
  for (const key of Object.keys(o)) if (!known.has(key)) issues.push({ path: `options.${key}`, message: 'is not an option' });
  if (options.region !== undefined && !/^[a-z]{2}(-[a-z0-9]+)+$/.test(options.region)) issues.push({ path: 'options.region', message: 'must be an AWS region such as us-east-1' });
  const c = options.credentials;
  if (c !== undefined && typeof c !== 'function' && (typeof c !== 'object' || c === null || !c.accessKeyId || !c.secretAccessKey)) {
    // An empty key would silently replace the SDK's default chain.
    issues.push({ path: 'options.credentials', message: 'must have a non-empty accessKeyId and secretAccessKey, or be a credential provider' });
  }
  if (options.endpoint !== undefined && !URL.canParse(options.endpoint)) issues.push({ path: 'options.endpoint', message: 'must be a URL' });
  if (options.client !== undefined && typeof options.client?.send !== 'function') issues.push({ path: 'options.client', message: 'must have send()' });
  if (options.concurrency !== undefined && !(Number.isInteger(options.concurrency) && options.concurrency >= 1 && options.concurrency <= 64)) issues.push({ path: 'options.concurrency', message: 'must be an integer from 1 to 64' });
  if (options.pageSize !== undefined && !(Number.isInteger(options.pageSize) && options.pageSize >= 1 && options.pageSize <= 10_000)) issues.push({ path: 'options.pageSize', message: 'must be an integer from 1 to 10000' });
  if (issues.length > 0) throw new ValidationError(undefined, issues, { provider: 'aws', operation: 'listS3Buckets' });
}

/**
 * Every S3 bucket of the account with its region and tags (`@aws-sdk/client-s3`, an optional
 * peer loaded on first use): `ListBuckets` pages followed with `ContinuationToken`; the region
 * from the page's `BucketRegion`, else `GetBucketLocation` (empty → `us-east-1`); tags from
 * `GetBucketTagging` in the bucket's region, where `NoSuchTagSet` means no tags. Per-bucket
 * reads run `concurrency` at a time; throttling (`SlowDown`, 503) is retried with backoff, as
 * every call is a read. A bucket deleted while listing (`NoSuchBucket`) is left out.
 *
 * @throws `ValidationError` naming the field for bad options; `PermissionError`, `AuthError`,
 * `RateLimitError` from S3 otherwise.
 */
export async function listS3Buckets(options: ListS3BucketsOptions = {}): Promise<S3Bucket[]> {
  checkOptions(options);
  const clock = options.clock ?? systemClock;
  const signal = options.signal;
  const sdk = await loadS3();
  const clients = new Map<string, S3InventoryClient>();
  const clientFor = (region: string): S3InventoryClient => {
    if (options.client) return options.client;
    let client = clients.get(region);
    if (!client) {
      client = new sdk.S3Client({
        region,
        // callProvider owns retries.
        maxAttempts: 1,
        ...(options.credentials ? { credentials: typeof options.credentials === 'function' ? options.credentials : { ...options.credentials } } : {}),
        ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      });
      clients.set(region, client);
    }
    return client;
  };
  const send = (region: string, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const Command = sdk[`${operation}Command`]!;
    return callProvider((attemptSignal) => clientFor(region).send(new Command(input), { abortSignal: attemptSignal }) as Promise<Record<string, unknown>>, {
      provider: 'aws',
      operation,
      idempotent: true,
      signal,
      clock,
      logger: options.logger,
      mapError: mapS3Error,
    });
  };
  const home = options.region ?? 'us-east-1';

  const listed: { name: string; createdAt: Date | null; region: string | undefined }[] = [];
  let token: string | undefined;
  do {
    const page = await send(home, 'ListBuckets', { MaxBuckets: options.pageSize ?? 1000, ...(token ? { ContinuationToken: token } : {}) });
    for (const bucket of (page['Buckets'] as Record<string, unknown>[] | undefined) ?? []) {
      if (typeof bucket['Name'] !== 'string') continue;
      const created = bucket['CreationDate'];
      listed.push({
        name: bucket['Name'],
        createdAt: created instanceof Date ? created : typeof created === 'string' ? new Date(created) : null,
        region: typeof bucket['BucketRegion'] === 'string' && bucket['BucketRegion'] !== '' ? bucket['BucketRegion'] : undefined,
      });
    }
    token = typeof page['ContinuationToken'] === 'string' && page['ContinuationToken'] !== '' ? page['ContinuationToken'] : undefined;
  } while (token);

  const notFound = (error: unknown) => NotFoundError.isInstance(error);
  const describe = async (bucket: (typeof listed)[number]): Promise<S3Bucket | undefined> => {
    try {
      const region = bucket.region ?? bucketRegion((await send(home, 'GetBucketLocation', { Bucket: bucket.name }))['LocationConstraint']);
      let tags: Record<string, string> = {};
      try {
        const tagging = await send(region, 'GetBucketTagging', { Bucket: bucket.name });
        const tagSet = Array.isArray(tagging['TagSet']) ? (tagging['TagSet'] as Record<string, unknown>[]) : [];
        tags = Object.fromEntries(tagSet.filter((t) => typeof t['Key'] === 'string').map((t) => [t['Key'] as string, typeof t['Value'] === 'string' ? t['Value'] : '']));
      } catch (error) {
        // A bucket without tags answers NoSuchTagSet (404): that is "no tags", not a failure.
        if (s3Code(error) !== 'NoSuchTagSet') throw error;
      }
      return Object.freeze({ name: bucket.name, region, createdAt: bucket.createdAt, tags: Object.freeze(tags) });
    } catch (error) {
      if (notFound(error) && s3Code(error) === 'NoSuchBucket') return undefined;
      throw error;
    }
  };

  const out: (S3Bucket | undefined)[] = new Array(listed.length);
  let next = 0;
  const worker = async () => {
    while (next < listed.length) {
      const index = next++;
      out[index] = await describe(listed[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, listed.length) }, worker));
  return out.filter((bucket): bucket is S3Bucket => bucket !== undefined);
}
