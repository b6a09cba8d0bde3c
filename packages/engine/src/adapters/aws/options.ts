import { type Clock, type Logger, parse, type RetryPolicy } from '@almanac/core';
import * as z from '@almanac/core/schema';
import { AWS_PROVIDER } from './errors';
import type { AwsClientLike, AwsCredentialProvider, AwsCredentials, AwsSdkImporters } from './sdk';

/** Endpoint overrides: one URL for every service, or one per service. */
export type AwsEndpoint = string | AwsServiceEndpoints;

/** One endpoint per AWS service. */
export interface AwsServiceEndpoints {
  /** EC2 endpoint. */
  readonly ec2?: string | undefined;
  /** ECS endpoint. */
  readonly ecs?: string | undefined;
  /** CloudWatch endpoint. */
  readonly cloudwatch?: string | undefined;
}

/** Clients of the compute adapter to use as they are. */
export interface AwsComputeClients {
  /** An `EC2Client`. */
  readonly ec2?: AwsClientLike | undefined;
  /** A `CloudWatchClient`. */
  readonly cloudwatch?: AwsClientLike | undefined;
}

/** Clients of the container adapter to use as they are. */
export interface AwsContainersClients {
  /** An `ECSClient`. */
  readonly ecs?: AwsClientLike | undefined;
  /** A `CloudWatchClient`. */
  readonly cloudwatch?: AwsClientLike | undefined;
}

/** Options shared by the AWS compute and container adapters. */
export interface AwsCommonOptions {
  /** Region, e.g. `eu-west-1`. Required: the adapters never guess one. */
  readonly region: string;
  /**
   * Static credentials or a credential provider (`fromIni()`, …). Absent: the SDK's default
   * chain (environment, shared config, SSO, instance/task role). Never logged.
   */
  readonly credentials?: AwsCredentials | AwsCredentialProvider | undefined;
  /** Endpoint override (LocalStack, VPC endpoints, test servers): one URL, or one per service. */
  readonly endpoint?: AwsEndpoint | undefined;
  /** Clock of retry backoff (and of CloudWatch's retention-based period rounding). */
  readonly clock?: Clock | undefined;
  /** Told about retries at debug level (never credentials). */
  readonly logger?: Logger | undefined;
  /** Retry policy of idempotent calls (reads, start/stop, tags); non-idempotent calls run once. */
  readonly retry?: RetryPolicy | undefined;
  /** SDK importers, for tests of the missing-package path. */
  readonly importers?: AwsSdkImporters | undefined;
}

/** Options of `createAwsComputeProvider`. */
export interface AwsComputeProviderOptions extends AwsCommonOptions {
  /**
   * Clients to use as they are (build them with `maxAttempts: 1`, or two layers retry). Without
   * them, clients are built from `region`, `credentials` and `endpoint`.
   */
  readonly clients?: AwsComputeClients | undefined;
  /**
   * Fill `Instance.ingress` from the instances' security groups: one extra
   * `DescribeSecurityGroups` call per listed page or fetched instance (needs
   * `ec2:DescribeSecurityGroups`). Default false: `ingress` stays absent (unknown).
   */
  readonly ingress?: boolean | undefined;
}

/** Options of `createAwsContainersProvider`. */
export interface AwsContainersProviderOptions extends AwsCommonOptions {
  /** Clients to use as they are (build them with `maxAttempts: 1`). */
  readonly clients?: AwsContainersClients | undefined;
}

const clientSchema = z.custom<AwsClientLike>((value) => typeof (value as { send?: unknown } | null)?.send === 'function', 'must have a send() method');
const url = z.url({ protocol: /^https?$/ });

const commonShape = {
  // Region names are lower-case words and digits joined by dashes (us-east-1, eu-central-2, us-gov-west-1).
  region: z.string().regex(/^[a-z]{2}(-[a-z0-9]+)+$/, 'must be an AWS region such as eu-west-1'),
  credentials: z
    .union([
      z.custom<AwsCredentialProvider>((value) => typeof value === 'function', 'must be a credential provider function'),
      z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1), sessionToken: z.string().min(1).optional() }),
    ])
    .optional(),
  endpoint: z.union([url, z.object({ ec2: url.optional(), ecs: url.optional(), cloudwatch: url.optional() }).strict()]).optional(),
  clock: z.custom<Clock>((value) => typeof (value as Clock | null)?.now === 'function' && typeof (value as Clock).sleep === 'function', 'must be a Clock').optional(),
  logger: z.custom<Logger>((value) => typeof value === 'object' && value !== null, 'must be a Logger').optional(),
  retry: z.object({}).loose().optional(),
  importers: z.object({}).loose().optional(),
};

const computeSchema = z.object({
  ...commonShape,
  clients: z.object({ ec2: clientSchema.optional(), cloudwatch: clientSchema.optional() }).strict().optional(),
  ingress: z.boolean().optional(),
});

const containersSchema = z.object({
  ...commonShape,
  clients: z.object({ ecs: clientSchema.optional(), cloudwatch: clientSchema.optional() }).strict().optional(),
});

/** Validates compute options, naming every bad field (`options.region`, …). */
export function checkAwsComputeOptions(options: AwsComputeProviderOptions): void {
  parse(computeSchema.loose(), options, { provider: AWS_PROVIDER, operation: 'createAwsComputeProvider', path: 'options' });
}

/** Validates container options, naming every bad field. */
export function checkAwsContainersOptions(options: AwsContainersProviderOptions): void {
  parse(containersSchema.loose(), options, { provider: AWS_PROVIDER, operation: 'createAwsContainersProvider', path: 'options' });
}

/** The endpoint of one service, if overridden. */
export function endpointOf(endpoint: AwsEndpoint | undefined, service: 'ec2' | 'ecs' | 'cloudwatch'): string | undefined {
  if (endpoint === undefined) return undefined;
  return typeof endpoint === 'string' ? endpoint : endpoint[service];
}
