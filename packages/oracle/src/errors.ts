/**
 * `@almanac/oracle/errors`: the errors oracle throws for invalid input.
 *
 * Oracle has no runtime dependencies, so its classes cannot extend `@almanac/core`'s. They
 * carry core's brand instead (the global `Symbol.for` key `AlmanacError.isInstance()` reads)
 * and the shape of core's `ValidationError`: `code: 'validation'` and one issue naming the
 * field. So `ValidationError.isInstance(e)` and `AlmanacError.isInstance(e)` are true for them
 * and one `catch` handles every Almanac package. They stay `RangeError`/`TypeError`
 * subclasses, so code that tests `instanceof RangeError` keeps working.
 *
 * @packageDocumentation
 */

// Must equal the key in @almanac/core's errors.ts: it is the whole contract between the two.
const ALMANAC_ERROR_BRAND = Symbol.for('@almanac/core.AlmanacError');

/**
 * Stable code of oracle input errors: always `validation`, as on core's `ValidationError`.
 *
 * @deprecated Oracle errors now use core's code; compare with `'validation'` or call
 * `ValidationError.isInstance(e)` from `@almanac/core`.
 */
export type OracleErrorCode = 'validation';

/** One invalid field, the same shape as core's `ValidationIssue`. */
export interface OracleValidationIssue {
  /** Dotted path of the field, e.g. `participants.2.timeZone` (array indexes as segments). */
  readonly path: string;
  /** What is wrong with it. */
  readonly message: string;
}

/** What every oracle input error carries: the fields of core's `ValidationError`. */
export interface OracleValidationError {
  /** Stable code: always `validation`. */
  readonly code: 'validation';
  /** The invalid field (oracle stops at the first one), with its path. */
  readonly issues: readonly OracleValidationIssue[];
  /** Always `undefined`: oracle calls no provider. */
  readonly provider: string | undefined;
  /** Always `undefined`. */
  readonly operation: string | undefined;
  /** Always `false`: the same input fails again. */
  readonly retryable: boolean;
  /** Always `undefined`: there was no HTTP response. */
  readonly status: number | undefined;
  /**
   * Path of the bad field as oracle writes it, e.g. `participants[2].timeZone`.
   *
   * @deprecated Read `issues[0].path` (dotted, as in every Almanac package).
   */
  readonly field: string;
  /** A plain object safe to log, as core's `toJSON()` returns. */
  toJSON(): Record<string, unknown>;
}

/** `participants[2].timeZone` → `participants.2.timeZone`, core's path form. */
function dottedPath(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1');
}

function initValidationError(error: Error & OracleValidationError, name: string, field: string, message: string): void {
  Object.assign(error, {
    name,
    code: 'validation',
    issues: Object.freeze([Object.freeze({ path: dottedPath(field), message })]),
    provider: undefined,
    operation: undefined,
    retryable: false,
    status: undefined,
  });
  // Not enumerable: a deprecated alias, kept out of logs and deep equality.
  Object.defineProperty(error, 'field', { value: field, enumerable: false });
}

function toJSON(this: Error & OracleValidationError): Record<string, unknown> {
  const { name, code, message, provider, operation, retryable, status, issues } = this;
  return { name, code, message, provider, operation, retryable, status, issues };
}

function shareValidationShape(prototype: object): void {
  Object.defineProperty(prototype, ALMANAC_ERROR_BRAND, { value: true });
  Object.defineProperty(prototype, 'toJSON', { value: toJSON, writable: true, configurable: true });
}

// The fields are declared by the merged interface and set by initValidationError, so both
// classes share one definition while extending different built-in errors.
/** Fields of {@link OracleRangeError}, set by its constructor. */
export interface OracleRangeError extends OracleValidationError {}

/** A numeric or temporal input is out of its allowed range (NaN, negative, end before start, …). */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: initValidationError sets every field of the interface
export class OracleRangeError extends RangeError {
  /** Creates the error; the message starts with the field name. */
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    initValidationError(this, 'OracleRangeError', field, message);
  }
}
shareValidationShape(OracleRangeError.prototype);

/** Fields of {@link OracleTypeError}, set by its constructor. */
export interface OracleTypeError extends OracleValidationError {}

/** An input has the wrong type or shape (not a number, not a date, unknown enum value, …). */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: initValidationError sets every field of the interface
export class OracleTypeError extends TypeError {
  /** Creates the error; the message starts with the field name. */
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    initValidationError(this, 'OracleTypeError', field, message);
  }
}
shareValidationShape(OracleTypeError.prototype);
