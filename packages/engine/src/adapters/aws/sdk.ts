import { ConfigError } from '@almanac/core';
import { createPeerLoader } from '@almanac/core/kit';

// exact-optional-ignore: the SDK's own client must stay assignable to this shape.
/**
 * The part of an AWS SDK v3 client the adapters call (`EC2Client`, `ECSClient`,
 * `CloudWatchClient`). Structural, so the exported types never mention the SDK: a consumer
 * without it installed still type-checks.
 */
export interface AwsClientLike {
  /** Sends one command; `abortSignal` cancels the HTTP request. */
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Static credentials. Omit them to use the SDK's default credential chain. */
export interface AwsCredentials {
  /** Access key id. */
  readonly accessKeyId: string;
  /** Secret access key; never logged or put in an error. */
  readonly secretAccessKey: string;
  /** Session token of temporary credentials. */
  readonly sessionToken?: string | undefined;
}

/** A credential provider in the SDK's shape (e.g. `fromIni()`, `fromNodeProviderChain()`). */
export type AwsCredentialProvider = () => Promise<AwsCredentials>;

/** A command class of an AWS SDK client package, e.g. `DescribeInstancesCommand`. */
export type AwsCommandClass = new (input: Record<string, unknown>) => object;

/** The slice of one AWS SDK client package the adapters use: the client and its commands. */
export interface AwsSdkModule {
  readonly [exported: string]: unknown;
}

/** Imports of the optional peers; injectable so tests can fake a missing package. */
export interface AwsSdkImporters {
  /** Imports `@aws-sdk/client-ec2`. */
  readonly ec2?: (() => Promise<unknown>) | undefined;
  /** Imports `@aws-sdk/client-ecs`. */
  readonly ecs?: (() => Promise<unknown>) | undefined;
  /** Imports `@aws-sdk/client-cloudwatch`. */
  readonly cloudwatch?: (() => Promise<unknown>) | undefined;
}

/** The three AWS services the adapters talk to. */
export type AwsServiceName = 'ec2' | 'ecs' | 'cloudwatch';

const PACKAGES: Readonly<Record<AwsServiceName, { readonly pkg: string; readonly client: string }>> = {
  ec2: { pkg: '@aws-sdk/client-ec2', client: 'EC2Client' },
  ecs: { pkg: '@aws-sdk/client-ecs', client: 'ECSClient' },
  cloudwatch: { pkg: '@aws-sdk/client-cloudwatch', client: 'CloudWatchClient' },
};

// Specifiers are literals so bundlers can see the optional peers.
const DEFAULT_IMPORTERS: { [K in keyof AwsSdkImporters]-?: Exclude<AwsSdkImporters[K], undefined> } = {
  ec2: () => import('@aws-sdk/client-ec2'),
  ecs: () => import('@aws-sdk/client-ecs'),
  cloudwatch: () => import('@aws-sdk/client-cloudwatch'),
};

/** Settings a client is built from when none is injected. */
export interface AwsClientSettings {
  /** Region, e.g. `eu-west-1`. */
  readonly region: string;
  /** Endpoint override (LocalStack, a VPC endpoint, a test server). */
  readonly endpoint?: string | undefined;
  /** Static credentials or a provider; absent means the SDK's default chain. */
  readonly credentials?: AwsCredentials | AwsCredentialProvider | undefined;
}

/** One AWS service as the adapters use it: send a command by name. */
export interface AwsService {
  /**
   * Sends `<name>Command` with `input`; `signal` cancels the HTTP request. The SDK (and the
   * client, when none was injected) is loaded on first use.
   */
  send(name: string, input: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown>>;
}

/**
 * The adapter's handle on `service`. The client is `injected` as is, or built on first use
 * from the lazily imported SDK with `maxAttempts: 1` (retries belong to core's `callProvider`,
 * so only idempotent calls are repeated, on the injected clock). Absent settings are left out
 * rather than passed empty, so the SDK's own chains (credentials) apply.
 */
export function awsService(
  service: AwsServiceName,
  settings: AwsClientSettings,
  injected: AwsClientLike | undefined,
  importers: AwsSdkImporters | undefined,
): AwsService {
  const { pkg, client } = PACKAGES[service];
  const load = createPeerLoader<AwsSdkModule>({
    pkg,
    provider: 'aws',
    requiredBy: `The AWS ${service === 'cloudwatch' ? 'CloudWatch' : service.toUpperCase()} adapter`,
    importer: importers?.[service] ?? DEFAULT_IMPORTERS[service],
    exportName: client,
    minVersion: '3.400',
  });
  let built: AwsClientLike | undefined = injected;
  const clientOf = (sdk: AwsSdkModule): AwsClientLike => {
    if (built !== undefined) return built;
    const Client = sdk[client] as new (config: Record<string, unknown>) => AwsClientLike;
    const config: Record<string, unknown> = { region: settings.region, maxAttempts: 1 };
    if (settings.endpoint !== undefined) config['endpoint'] = settings.endpoint;
    const credentials = settings.credentials;
    if (typeof credentials === 'function') config['credentials'] = credentials;
    else if (credentials !== undefined) config['credentials'] = { ...credentials };
    built = new Client(config);
    return built;
  };
  return {
    async send(name, input, signal) {
      const sdk = await load();
      const Command = sdk[`${name}Command`];
      if (typeof Command !== 'function') {
        throw new ConfigError(`"${pkg}" did not export ${name}Command; install a version >= 3.400`, [
          { path: 'dependencies', message: `unsupported ${pkg} version` },
        ], { provider: 'aws' });
      }
      const output = await clientOf(sdk).send(new (Command as AwsCommandClass)(input), { abortSignal: signal });
      return (typeof output === 'object' && output !== null ? output : {}) as Record<string, unknown>;
    },
  };
}
