import type { Clock, Logger } from '@almanac/core';
import * as z from '@almanac/core/schema';

/** Static AWS credentials. */
export interface AwsCredentials {
  /** Access key id. */
  readonly accessKeyId: string;
  /** Secret access key; never logged or put in errors. */
  readonly secretAccessKey: string;
  /** Session token of temporary credentials. */
  readonly sessionToken?: string | undefined;
}

/** A credential provider such as `fromIni()` from `@aws-sdk/credential-providers`. */
export type AwsCredentialProvider = () => Promise<AwsCredentials>;

// exact-optional-ignore: the SDK's own client must stay assignable to this shape.
/**
 * The slice of the Cost Explorer SDK the source calls: the aggregated `CostExplorer` client of
 * `@aws-sdk/client-cost-explorer` has it. Typed structurally so no SDK type reaches the exports.
 */
export interface CostExplorerLike {
  /** `GetCostAndUsage`. */
  getCostAndUsage(input: Record<string, unknown>, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  /** `GetCostForecast`. */
  getCostForecast(input: Record<string, unknown>, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Options of `createAwsCostSourceProvider`. */
export interface AwsCostSourceProviderOptions {
  /**
   * Region of the Cost Explorer endpoint; default `us-east-1` (Cost Explorer's one endpoint in
   * the commercial partition; `cn-northwest-1` in China).
   */
  readonly region?: string | undefined;
  /**
   * Static credentials or a credential provider. Absent: the SDK's default chain (environment,
   * shared config, SSO, instance or task role). Never logged.
   */
  readonly credentials?: AwsCredentials | AwsCredentialProvider | undefined;
  /** Endpoint override (test servers, VPC endpoints). */
  readonly endpoint?: string | undefined;
  /** A ready client (e.g. `new CostExplorer({...})`) to use instead of building one. */
  readonly client?: CostExplorerLike | undefined;
  /**
   * How long a page of results is reused, in ms; default 3 600 000 (one hour). Each
   * `GetCostAndUsage` page is billed (USD 0.01 per request), and Cost Explorer refreshes its data
   * a few times a day. `0` turns the cache off.
   */
  readonly cacheTtlMs?: number | undefined;
  /**
   * Hourly granularity is enabled for the account (Cost Management preferences, "hourly
   * granularity", a paid opt-in). Only then does the source declare `hourlyCosts` and send
   * `HOURLY` requests, which Cost Explorer serves for the last 14 days only; default `false`.
   */
  readonly hourly?: boolean | undefined;
  /** Most pages one query may fetch (a guard against runaway cost); default 50. */
  readonly maxPages?: number | undefined;
  /** Clock of the cache and of retry backoff. */
  readonly clock?: Clock | undefined;
  /** Told about retries at debug level (never credentials). */
  readonly logger?: Logger | undefined;
}

const credentials = z
  .union([
    z.custom<AwsCredentialProvider>((value) => typeof value === 'function', 'must be a credential provider function'),
    // An empty key would silently replace the SDK's default chain: refuse it (the seed's defect).
    z.object({ accessKeyId: z.string().min(1, 'must not be empty'), secretAccessKey: z.string().min(1, 'must not be empty'), sessionToken: z.string().min(1, 'must not be empty').optional() }),
  ])
  .optional();

/** Validates the options, naming every bad field. */
export const awsOptionsSchema = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z0-9]+)+$/, 'must be an AWS region such as us-east-1').optional(),
    credentials,
    endpoint: z.string().url('must be a URL').optional(),
    client: z.custom<CostExplorerLike>((value) => typeof (value as CostExplorerLike | null)?.getCostAndUsage === 'function', 'must have getCostAndUsage').optional(),
    cacheTtlMs: z.number().int('must be an integer').min(0, 'must be at least 0').optional(),
    hourly: z.boolean().optional(),
    maxPages: z.number().int('must be an integer').min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional(),
    clock: z.custom<Clock>((value) => typeof (value as Clock | null)?.now === 'function', 'must be a Clock').optional(),
    logger: z.custom<Logger>((value) => typeof value === 'object' && value !== null, 'must be a Logger').optional(),
  })
  .strict();
