/**
 * The one error hierarchy every Almanac package throws.
 *
 * Errors carry a stable {@link ErrorCode}, the provider and operation that failed,
 * and whether retrying may help. A `Symbol.for` brand makes `isInstance()` work even
 * when two copies of `@almanac/core` are installed (ESM and CJS, or two versions),
 * where `instanceof` would fail.
 */

/** Stable, machine-readable error codes. Never renamed once published. */
export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'auth'
  | 'permission'
  | 'rate_limited'
  | 'timeout'
  | 'aborted'
  | 'capability'
  | 'integrity'
  | 'provider'
  | 'config';

/** Options shared by every {@link AlmanacError} constructor. */
export interface AlmanacErrorOptions {
  /** Provider that failed, e.g. `s3`, `google-calendar`, `twitch`. */
  provider?: string | undefined;
  /** Operation that failed, e.g. `read`, `GET /users`. */
  operation?: string | undefined;
  /** Whether the same call may succeed if repeated. Defaults per error class. */
  retryable?: boolean | undefined;
  /** HTTP status of the provider response, when there was one. */
  status?: number | undefined;
  /** The underlying error. Kept for debugging; never serialised by `toJSON()`. */
  cause?: unknown;
}

const BRAND: unique symbol = Symbol.for('@almanac/core.AlmanacError') as never;

/** Base class of every error Almanac throws. */
export class AlmanacError extends Error {
  /** Code this class stands for; `undefined` on the base class, which matches any code. */
  static readonly errorCode: ErrorCode | undefined = undefined;
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** Provider that failed, if known. */
  readonly provider: string | undefined;
  /** Operation that failed, if known. */
  readonly operation: string | undefined;
  /** Whether repeating the same call may succeed. */
  readonly retryable: boolean;
  /** HTTP status of the provider response, if there was one. */
  readonly status: number | undefined;
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read by isInstance() through the global symbol, across package copies
  private readonly [BRAND] = true;

  /** Creates an error with an explicit code; prefer the subclasses. */
  constructor(code: ErrorCode, message: string, options: AlmanacErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.provider = options.provider;
    this.operation = options.operation;
    this.retryable = options.retryable ?? false;
    this.status = options.status;
  }

  /**
   * Brand check that works across duplicate copies of the package.
   * On a subclass it also checks the code: `RateLimitError.isInstance(e)`.
   */
  static isInstance<T extends AlmanacError>(
    this: (abstract new (...args: never[]) => T) & { readonly errorCode: ErrorCode | undefined },
    value: unknown,
  ): value is T {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as Record<symbol, unknown>)[BRAND] !== true) return false;
    // `this` is the class isInstance was called on, so subclasses check their own code.
    // biome-ignore lint/complexity/noThisInStatic: polymorphic static by design
    const expected = this.errorCode;
    return expected === undefined || (value as AlmanacError).code === expected;
  }

  /** A plain object safe to log or return to clients (no `cause`, no stack). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      provider: this.provider,
      operation: this.operation,
      retryable: this.retryable,
      status: this.status,
    };
  }
}

/** One invalid field of a validated input. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `participants.0.timeZone`; empty for the input itself. */
  path: string;
  /** What is wrong with it. */
  message: string;
}

/** Input failed validation. `issues` names every bad field. */
export class ValidationError extends AlmanacError {
  static override readonly errorCode = 'validation' as const;
  /** Every invalid field, with its path. */
  readonly issues: readonly ValidationIssue[];
  /** Creates a validation error; the message lists the issues when none is given. */
  constructor(
    message: string | undefined,
    issues: readonly ValidationIssue[],
    options: AlmanacErrorOptions = {},
  ) {
    super('validation', message ?? formatIssues(issues), options);
    this.issues = issues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** Formats validation issues as `field: message; field: message`. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  if (issues.length === 0) return 'Invalid input';
  return issues.map((issue) => `${issue.path || '(input)'}: ${issue.message}`).join('; ');
}

/** The requested object, record or resource does not exist. */
export class NotFoundError extends AlmanacError {
  static override readonly errorCode = 'not_found' as const;
  /** Creates a not-found error. */
  constructor(message: string, options: AlmanacErrorOptions = {}) {
    super('not_found', message, options);
  }
}

/** A precondition failed or the resource already exists (HTTP 409/412). */
export class ConflictError extends AlmanacError {
  static override readonly errorCode = 'conflict' as const;
  /** Creates a conflict error. */
  constructor(message: string, options: AlmanacErrorOptions = {}) {
    super('conflict', message, options);
  }
}

/** Credentials are missing, invalid or expired (HTTP 401). */
export class AuthError extends AlmanacError {
  static override readonly errorCode = 'auth' as const;
  /** Creates an authentication error. */
  constructor(message: string, options: AlmanacErrorOptions = {}) {
    super('auth', message, options);
  }
}

/** Credentials are valid but not allowed to do this (HTTP 403). */
export class PermissionError extends AlmanacError {
  static override readonly errorCode = 'permission' as const;
  /** Creates a permission error. */
  constructor(message: string, options: AlmanacErrorOptions = {}) {
    super('permission', message, options);
  }
}

/** Options of {@link RateLimitError}. */
export interface RateLimitErrorOptions extends AlmanacErrorOptions {
  /** How long the provider asked us to wait, in milliseconds, if it said. */
  retryAfterMs?: number | undefined;
}

/** The provider or the client-side limiter refused the call for now (HTTP 429). */
export class RateLimitError extends AlmanacError {
  static override readonly errorCode = 'rate_limited' as const;
  /** How long the provider asked us to wait, in milliseconds, if it said. */
  readonly retryAfterMs: number | undefined;
  /** Creates a rate-limit error; retryable unless stated otherwise. */
  constructor(message: string, options: RateLimitErrorOptions = {}) {
    super('rate_limited', message, { retryable: true, ...options });
    this.retryAfterMs = options.retryAfterMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

/** The call did not finish in time. */
export class TimeoutError extends AlmanacError {
  static override readonly errorCode = 'timeout' as const;
  /** Creates a timeout error; retryable unless stated otherwise. */
  constructor(message: string, options: AlmanacErrorOptions = {}) {
    super('timeout', message, { retryable: true, ...options });
  }
}

/** The caller aborted the call through its `AbortSignal`. Never retried. */
export class AbortedError extends AlmanacError {
  static override readonly errorCode = 'aborted' as const;
  /** Creates an aborted error. */
  constructor(message = 'The operation was aborted', options: AlmanacErrorOptions = {}) {
    super('aborted', message, { ...options, retryable: false });
  }
}

/** The provider does not support the requested operation or option. */
export class CapabilityError extends AlmanacError {
  static override readonly errorCode = 'capability' as const;
  /** The capability that is missing, e.g. `signedWrite`. */
  readonly capability: string;
  /** Creates a capability error naming the provider and the missing capability. */
  constructor(capability: string, options: AlmanacErrorOptions & { provider: string; hint?: string | undefined }) {
    const { hint, ...rest } = options;
    super(
      'capability',
      `Provider "${options.provider}" does not support ${capability}${options.operation ? ` (operation ${options.operation})` : ''}${hint ? `: ${hint}` : ''}`,
      rest,
    );
    this.capability = capability;
  }
}

/** Data failed an integrity check: checksum mismatch, tampered ciphertext or signature. */
export class IntegrityError extends AlmanacError {
  static override readonly errorCode = 'integrity' as const;
  /** Creates an integrity error. */
  constructor(message: string, options: AlmanacErrorOptions = {}) {
    super('integrity', message, options);
  }
}

/** The provider failed in a way no other class describes (5xx, malformed response). */
export class ProviderError extends AlmanacError {
  static override readonly errorCode = 'provider' as const;
  /** Creates a provider error. */
  constructor(message: string, options: AlmanacErrorOptions = {}) {
    super('provider', message, options);
  }
}

/** Configuration is missing or invalid. `issues` names every bad setting at once. */
export class ConfigError extends AlmanacError {
  static override readonly errorCode = 'config' as const;
  /** Every missing or invalid setting. */
  readonly issues: readonly ValidationIssue[];
  /** Creates a configuration error listing every issue. */
  constructor(message: string, issues: readonly ValidationIssue[] = [], options: AlmanacErrorOptions = {}) {
    super('config', message, options);
    this.issues = issues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}
