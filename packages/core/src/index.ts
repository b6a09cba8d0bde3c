/**
 * `@almanac/core`: what every Almanac adapter needs, written once — the error
 * hierarchy, validation and config, HTTP client and retry, pagination, cache,
 * redacting logger, token vault and stores, webhook verification, clock and ids.
 *
 * The root re-exports every area for convenience; each also has its own entry
 * (`@almanac/core/errors`, `/validation`, `/logger`, `/cache`, `/pagination`, `/secrets`,
 * `/webhooks`, `/retry`, `/http`, `/ratelimit`, `/locks`). The adapter kit (`@almanac/core/kit`) and the test
 * harness (`@almanac/core/testing`) are entries of their own only, as are the event bus
 * (`@almanac/core/events`) and the shared-state and broker adapters (`@almanac/core/redis`,
 * `@almanac/core/rabbitmq`), which load their optional peers lazily.
 *
 * @packageDocumentation
 */
export {
  AbortedError,
  AlmanacError,
  AuthError,
  CapabilityError,
  ConfigError,
  ConflictError,
  IntegrityError,
  NotFoundError,
  PermissionError,
  ProviderError,
  RateLimitError,
  TimeoutError,
  ValidationError,
  formatIssues,
} from './errors';
export type { AlmanacErrorOptions, ErrorCode, RateLimitErrorOptions, ValidationIssue } from './errors';
export { abortReason, createManualClock, systemClock } from './clock';
export type { Clock, ManualClock, SleepOptions } from './clock';
export { withDeadline } from './deadline';
export type { DeadlineOptions } from './deadline';
export { compact } from './compact';
export type { Compact } from './compact';
export { raceAbort } from './abort';
export { isUuid, uuidv4, uuidv7, uuidv7Timestamp } from './ids';
export { checkFactoryOptions, closestMatch, envVarName, formatPath, loadConfig, parse, parseAsync, toValidationIssues } from './validation/index';
export type { CheckFactoryOptionsContext, InferSchemaOutput, LoadConfigOptions, OptionKeys, ParseContext, StandardSchemaV1 } from './validation/index';
export {
  DEFAULT_SECRET_KEYS,
  DEFAULT_SECRET_QUERY_PARAMS,
  LOG_LEVELS,
  REDACTED,
  createConsoleLogger,
  createRedactor,
  fromPino,
  isLevelEnabled,
  silentLogger,
  withFields,
  withLevel,
  withRedaction,
} from './logger/index';
export type {
  ConsoleLike,
  ConsoleLoggerOptions,
  FromPinoOptions,
  LogFields,
  LogLevel,
  Logger,
  PinoLike,
  PinoLogFn,
  Redactor,
  RedactorOptions,
} from './logger/index';
export { createMemoryCache } from './cache/index';
export type { Cache, CacheLoader, CacheSetOptions, GetOrLoadOptions, MemoryCacheOptions } from './cache/index';
export { createMemoryRateLimiter } from './ratelimit/index';
export type { MemoryRateLimiterOptions, RateLimitDecision, RateLimitTakeOptions, RateLimiter, RateLimiterSettings } from './ratelimit/index';
export { createMemoryLock, withLock } from './locks/index';
export type { Lock, LockAcquireOptions, LockLease, MemoryLockOptions } from './locks/index';
export { paginate } from './pagination/index';
export type { FetchPage, FetchedPage, Page, PageRequest, PaginateOptions, Paginated, ToArrayOptions } from './pagination/index';
export {
  VAULT_KEY_BYTES,
  createEncryptedTokenStore,
  createFileTokenStore,
  createMemoryTokenStore,
  createTokenVault,
  generateKey,
  parseTokenSet,
} from './secrets/index';
export type {
  AtomicFileSystem,
  DecryptJsonOptions,
  EncryptedTokenStore,
  EncryptedTokenStoreOptions,
  FileTokenStoreOptions,
  TokenSet,
  TokenStore,
  TokenStoreCallOptions,
  TokenVault,
  VaultCryptOptions,
  VaultKeyring,
} from './secrets/index';
export {
  ReplayError,
  computeHmacSha256,
  createEd25519PublicKey,
  createMemorySeenIdStore,
  createReplayGuard,
  verifyEd25519,
  verifyHmacSha256,
} from './webhooks/index';
export type {
  ComputeHmacSha256Options,
  Ed25519PublicKeyInput,
  MemorySeenIdStoreOptions,
  ReplayCheckInput,
  ReplayCheckOptions,
  ReplayCheckResult,
  ReplayGuard,
  ReplayGuardOptions,
  ReplayRejectionReason,
  SeenIdStore,
  SeenIdStoreCallOptions,
  SignatureEncoding,
  TimestampUnit,
  VerifyEd25519Options,
  VerifyHmacSha256Options,
} from './webhooks/index';
export {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  cryptoRandom,
  defaultRetryClassifier,
  isAbortError,
  isNetworkError,
  resolveRetryPolicy,
  withRetry,
} from './retry/index';
export type {
  ResolvedRetryPolicy,
  RetryClassifier,
  RetryDecision,
  RetryEvent,
  RetryPolicy,
  RetryableOperation,
  WithRetryOptions,
} from './retry/index';
export {
  MAX_EXCERPT_CHARS,
  RETRYABLE_STATUSES,
  bodyExcerpt,
  createHttpClient,
  createKeyedTokenBuckets,
  createTokenBucket,
  errorForStatus,
  mapResponseError,
  parseRetryAfter,
} from './http/index';
export type {
  FetchLike,
  GetTokenOptions,
  HttpAuth,
  HttpCallOptions,
  HttpClient,
  HttpClientOptions,
  HttpMethod,
  HttpRequestFunction,
  HttpRequestOptions,
  HttpResponse,
  HttpShorthand,
  KeyedTokenBuckets,
  MappedResponseError,
  QueryParams,
  QueryValue,
  RateLimitKeyInput,
  RateLimitOptions,
  RedirectMode,
  ResponseErrorContext,
  ResponseType,
  StatusErrorOptions,
  TokenBucket,
  TokenBucketOptions,
} from './http/index';
