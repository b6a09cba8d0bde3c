import { compact } from '@almanac/core';
import { createPeerLoader } from '@almanac/core/kit';
import { S3_PROVIDER } from './errors';

// exact-optional-ignore: the real S3Client must stay assignable to this shape.
/**
 * The part of `S3Client` the adapter calls. Structural, so public types never mention the SDK:
 * consumers without it installed still type-check. Multipart writes and signed URLs hand the
 * client to `@aws-sdk/lib-storage` and `@aws-sdk/s3-request-presigner`, which need a real
 * `S3Client` (they read its `config`).
 */
export interface S3ClientLike {
  /** Sends one command; `abortSignal` cancels the HTTP request. */
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Credentials handed to the SDK; omit them to use the SDK's default credential chain. */
export interface S3Credentials {
  /** Access key id. */
  readonly accessKeyId: string;
  /** Secret access key. */
  readonly secretAccessKey: string;
  /** Session token of temporary credentials. */
  readonly sessionToken?: string | undefined;
}

/** A command class of `@aws-sdk/client-s3`, e.g. `GetObjectCommand`. */
export type S3CommandClass = new (input: Record<string, unknown>) => object;

/** The slice of `@aws-sdk/client-s3` the adapter uses. */
export interface S3SdkModule {
  readonly S3Client: new (config: Record<string, unknown>) => S3ClientLike;
  readonly [command: `${string}Command`]: S3CommandClass;
}

/** The slice of `@aws-sdk/lib-storage` the adapter uses. */
export interface S3UploadModule {
  readonly Upload: new (options: {
    client: unknown;
    params: Record<string, unknown>;
    partSize: number;
    queueSize: number;
    leavePartsOnError: boolean;
  }) => S3UploadLike;
}

/** One `Upload` of `@aws-sdk/lib-storage`. */
export interface S3UploadLike {
  /** Subscribes to `httpUploadProgress`. */
  on(event: 'httpUploadProgress', listener: (progress: { loaded?: number | undefined; total?: number | undefined }) => void): unknown;
  /** Runs the upload; resolves with the PutObject or CompleteMultipartUpload output. */
  done(): Promise<Record<string, unknown>>;
}

// exact-optional-ignore: the presigner's own getSignedUrl (RequestPresigningArguments) must stay assignable to this shape.
/** The slice of `@aws-sdk/s3-request-presigner` the adapter uses. */
export interface S3PresignerModule {
  readonly getSignedUrl: (client: unknown, command: object, options: { expiresIn: number; signableHeaders?: Set<string> }) => Promise<string>;
}

/** Imports of the three optional peers; injectable so the missing-package path can be tested. */
export interface S3SdkImporters {
  /** Imports `@aws-sdk/client-s3`. */
  readonly client?: (() => Promise<unknown>) | undefined;
  /** Imports `@aws-sdk/lib-storage`. */
  readonly storage?: (() => Promise<unknown>) | undefined;
  /** Imports `@aws-sdk/s3-request-presigner`. */
  readonly presigner?: (() => Promise<unknown>) | undefined;
}

// One install command for all three, so a user who installs after the first error does not hit the next one.
const PEERS = '@aws-sdk/client-s3 @aws-sdk/lib-storage @aws-sdk/s3-request-presigner';

// Specifiers are literals so bundlers can see the optional peers.
const DEFAULT_IMPORTERS: { [K in keyof S3SdkImporters]-?: Exclude<S3SdkImporters[K], undefined> } = {
  client: () => import('@aws-sdk/client-s3'),
  storage: () => import('@aws-sdk/lib-storage'),
  presigner: () => import('@aws-sdk/s3-request-presigner'),
};

/** Lazily loaded SDK pieces, each cached per adapter instance; failed loads are not cached. */
export interface S3Sdk {
  /** `@aws-sdk/client-s3`. */
  readonly client: () => Promise<S3SdkModule>;
  /** `@aws-sdk/lib-storage`, only loaded for multipart writes. */
  readonly storage: () => Promise<S3UploadModule>;
  /** `@aws-sdk/s3-request-presigner`, only loaded for signed URLs. */
  readonly presigner: () => Promise<S3PresignerModule>;
}

/**
 * Builds the lazy loaders of the three SDK packages (the kit's peer loader: a missing package
 * is a `ConfigError` naming the `npm install` command; an installed one that fails to load is
 * reported as such, with its error as `cause`).
 */
export function lazyS3Sdk(importers: S3SdkImporters = {}): S3Sdk {
  // An importer given as undefined keeps the default.
  const all = { ...DEFAULT_IMPORTERS, ...compact(importers) };
  const peer = <M>(pkg: string, importer: () => Promise<unknown>, exportName: string, minVersion = '3.400') =>
    createPeerLoader<M>({ pkg, provider: S3_PROVIDER, importer, exportName, install: PEERS, minVersion, requiredBy: 'The S3 adapter' });
  return {
    // 3.700 is the first version whose PutObject serialises IfMatch (IfNoneMatch came in 3.635):
    // older ones drop the header silently, so a conditional write would overwrite.
    client: peer<S3SdkModule>('@aws-sdk/client-s3', all.client, 'S3Client', '3.700'),
    storage: peer<S3UploadModule>('@aws-sdk/lib-storage', all.storage, 'Upload'),
    presigner: peer<S3PresignerModule>('@aws-sdk/s3-request-presigner', all.presigner, 'getSignedUrl'),
  };
}

/** Settings used to build a client when none is injected. */
export interface S3ClientSettings {
  readonly region?: string | undefined;
  readonly endpoint?: string | undefined;
  readonly forcePathStyle?: boolean | undefined;
  readonly credentials?: S3Credentials | undefined;
  readonly checksums?: 'when-required' | 'when-supported' | undefined;
}

/** A client built by {@link buildS3Client}, with what its set-up made it do. */
export interface BuiltS3Client {
  /** The SDK client. */
  readonly client: S3ClientLike;
  /** Its HeadObject requests ask for the stored checksum themselves (see askHeadsForStoredChecksum). */
  readonly storedChecksumByHeader: boolean;
  /** A call's signal goes on the command input, not in `send`'s options (see routeCallSignals). */
  readonly signalOnInput: boolean;
  /** A listing's raw response body is handed to the peek on its input (see peekListBodies). */
  readonly peeksListBodies: boolean;
}

/**
 * Builds an `S3Client` with `maxAttempts: 1` and SDK checksums only when required (see `checksums`): retries belong to the kit's `callProvider`, so they
 * use one policy, the injected clock and only ever repeat idempotent calls. Absent settings
 * are left out rather than passed empty, so the SDK's own chains (region, credentials) apply.
 * Its `loggerMiddleware` is removed (see {@link withoutSdkLogRecords}), HeadObject asks for the
 * stored checksum by header and call signals travel on the command input.
 */
export function buildS3Client(sdk: S3SdkModule, settings: S3ClientSettings): BuiltS3Client {
  // Recent SDKs add CRC32 checksum headers to every upload and validate them on every download
  // by default; R2, several MinIO versions and other S3-compatible services reject those
  // requests. Only where an operation requires a checksum, unless the caller opts in.
  const checksums = settings.checksums === 'when-supported' ? 'WHEN_SUPPORTED' : 'WHEN_REQUIRED';
  // `cacheMiddleware`: the SDK resolves each command's middleware stack once per command class
  // instead of on every call (sorting and wrapping ~30 middlewares, about 14% of a HeadObject's
  // client CPU). It applies only to `send` without options, so a call's abort signal reaches the
  // HTTP handler another way: see routeCallSignals.
  const config: Record<string, unknown> = {
    maxAttempts: 1,
    requestChecksumCalculation: checksums,
    responseChecksumValidation: checksums,
    cacheMiddleware: true,
  };
  if (settings.region !== undefined) config['region'] = settings.region;
  if (settings.endpoint !== undefined) config['endpoint'] = settings.endpoint;
  if (settings.forcePathStyle !== undefined) config['forcePathStyle'] = settings.forcePathStyle;
  if (settings.credentials !== undefined) config['credentials'] = { ...settings.credentials };
  const client = withoutSdkLogRecords(new sdk.S3Client(config));
  return {
    client,
    storedChecksumByHeader: askHeadsForStoredChecksum(client),
    signalOnInput: routeCallSignals(client),
    peeksListBodies: peekListBodies(client),
  };
}

/** The SDK client's middleware stack (absent on test doubles). */
function middlewareStackOf(client: S3ClientLike): Partial<MiddlewareStackLike> | undefined {
  return (client as { middlewareStack?: Partial<MiddlewareStackLike> | undefined }).middlewareStack;
}

/** The part of the SDK client's `middlewareStack` used here (absent on test doubles). */
interface MiddlewareStackLike {
  remove(name: string): boolean;
  add(
    middleware: (next: (args: MiddlewareArgs) => Promise<unknown>, context: { commandName?: string | undefined }) => (args: MiddlewareArgs) => Promise<unknown>,
    options: { step: 'build' | 'deserialize'; name: string; priority?: 'low' | undefined },
  ): void;
}

/** The raw HTTP response a deserialize-step middleware sees before the SDK parses it. */
interface RawResponseLike {
  readonly statusCode?: number | undefined;
  body?: unknown;
}

/** What a middleware gets: the command's input and the serialized request (an `HttpRequest` in Node). */
interface MiddlewareArgs {
  readonly input?: Record<PropertyKey, unknown> | undefined;
  readonly request?: { headers?: Record<string, string> | undefined } | undefined;
}

/** The SDK's HTTP handler, as the client's resolved `config.requestHandler` holds it. */
interface RequestHandlerLike {
  handle(request: unknown, options?: { abortSignal?: unknown }): Promise<unknown>;
  readonly metadata?: unknown;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): unknown;
  destroy?(): void;
}

/** Key of a command input holding the call's abort signal, for a client set up by {@link routeCallSignals}. */
export const CALL_SIGNAL: unique symbol = Symbol('almanac.s3.callSignal');

/**
 * Lets a client built with `cacheMiddleware` (whose `send` must get no options for the cache to
 * apply) still cancel each call's HTTP request: the caller puts the signal on the command input
 * under {@link CALL_SIGNAL} (the SDK serialises only the members its schema names), a middleware
 * just before the HTTP handler files it under the final, signed request, and a wrapper of the
 * SDK's own handler hands it over as `abortSignal`, the option that handler honours. Answers
 * whether the client was set up (a test double without a middleware stack is not).
 */
function routeCallSignals(client: S3ClientLike): boolean {
  const stack = middlewareStackOf(client);
  const config = (client as { config?: { requestHandler?: RequestHandlerLike | undefined } | undefined }).config;
  const original = config?.requestHandler;
  if (typeof stack?.add !== 'function' || config === undefined || typeof original?.handle !== 'function') return false;
  const signals = new WeakMap<object, AbortSignal>();
  stack.add(
    (next) => (args) => {
      const signal = args.input?.[CALL_SIGNAL];
      if (signal instanceof AbortSignal && typeof args.request === 'object' && args.request !== null) signals.set(args.request, signal);
      return next(args);
    },
    { step: 'deserialize', priority: 'low', name: 'almanacCallSignalMiddleware' },
  );
  const wrapper: RequestHandlerLike = {
    metadata: original.metadata,
    handle: (request, options) => {
      const signal = options?.abortSignal ?? (typeof request === 'object' && request !== null ? signals.get(request) : undefined);
      return original.handle(request, signal === undefined ? options : { ...options, abortSignal: signal });
    },
    updateHttpClientConfig: (key, value) => original.updateHttpClientConfig?.(key, value),
    httpHandlerConfigs: () => original.httpHandlerConfigs?.() ?? {},
    destroy: () => original.destroy?.(),
  };
  config.requestHandler = wrapper;
  return true;
}

/**
 * Makes every `HeadObject` of a client this adapter built ask S3 for the object's stored
 * checksum (`x-amz-checksum-mode: ENABLED`, added before signing), and answers whether it did
 * (`false` for a test double without a middleware stack: `stat` then sets `ChecksumMode` on the
 * input instead).
 *
 * Why not `ChecksumMode: 'ENABLED'` on the input: that also turns on the SDK's response
 * validation, which for a HEAD has no body to check; when S3 returns a checksum header it still
 * wraps the empty body in a checksum stream (a stream and a hash per `stat`) that nobody reads.
 * The header alone makes S3 return the checksum headers, which the SDK maps into the output as
 * usual. An injected client is never changed.
 */
function askHeadsForStoredChecksum(client: S3ClientLike): boolean {
  const stack = middlewareStackOf(client);
  if (typeof stack?.add !== 'function') return false;
  stack.add(
    (next, context) => (args) => {
      const headers = args.request?.headers;
      if (context.commandName === 'HeadObjectCommand' && headers !== undefined) headers['x-amz-checksum-mode'] = 'ENABLED';
      return next(args);
    },
    { step: 'build', name: 'almanacStoredChecksumMiddleware' },
  );
  return true;
}

/** Key of a ListObjectsV2 input holding a function to call with the raw body (see {@link peekListBodies}). */
export const LIST_BODY_PEEK: unique symbol = Symbol('almanac.s3.listBodyPeek');

/**
 * Lets the adapter see a listing's raw response body before the SDK parses it (the list
 * read-ahead takes the next page's token from it, see `list-read-ahead.ts`): when the command
 * input holds a function under {@link LIST_BODY_PEEK}, a middleware just before the HTTP handler
 * reads a 200 response's body with the SDK's own `streamCollector` (as its deserializer would),
 * hands the bytes to that function, and passes them on as the body, which the deserializer then
 * uses as it is. Answers whether the client was set up.
 */
function peekListBodies(client: S3ClientLike): boolean {
  const stack = middlewareStackOf(client);
  const collect = (client as { config?: { streamCollector?: unknown } | undefined }).config?.streamCollector;
  if (typeof stack?.add !== 'function' || typeof collect !== 'function') return false;
  stack.add(
    (next) => async (args) => {
      const peek = args.input?.[LIST_BODY_PEEK];
      const result = await next(args);
      if (typeof peek !== 'function') return result;
      const response = (result as { response?: RawResponseLike | undefined }).response;
      if (response?.statusCode !== 200 || response.body === undefined) return result;
      const body = response.body instanceof Uint8Array ? response.body : ((await collect(response.body)) as Uint8Array);
      response.body = body;
      peek(body);
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'almanacListBodyPeekMiddleware' },
  );
  return true;
}

/**
 * Removes the SDK's `loggerMiddleware` from a client this adapter built. That middleware builds a
 * log record of every response, copying the whole output through the schema's sensitive-field
 * filter (for a 1,000-key listing about 15% of the call's CPU), and hands it to the client's
 * logger, which for a client built here is always the SDK's no-op logger: the adapter reports
 * through its own logger and errors, never the SDK's. An injected client is never changed.
 */
function withoutSdkLogRecords(client: S3ClientLike): S3ClientLike {
  const stack = middlewareStackOf(client);
  if (typeof stack?.remove === 'function') stack.remove('loggerMiddleware');
  return client;
}
