/**
 * Errors thrown by `@almanac/oracle` for invalid input.
 *
 * Oracle has no runtime dependencies, so it does not use `@almanac/core`'s hierarchy;
 * instead it throws standard `RangeError`/`TypeError` subclasses carrying a stable
 * `code` (`invalid_range`, `invalid_type`) and the `field` path that is wrong. Callers
 * in other packages map them to `ValidationError`.
 */

/** Stable codes of oracle input errors. */
export type OracleErrorCode = 'invalid_range' | 'invalid_type';

/** A numeric or temporal input is out of its allowed range (NaN, negative, end before start, …). */
export class OracleRangeError extends RangeError {
  /** Stable code: always `invalid_range`. */
  readonly code = 'invalid_range' as const;
  /** Path of the bad field, e.g. `participants[2].timeZone`. */
  readonly field: string;
  /** Creates the error; the message starts with the field name. */
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'OracleRangeError';
    this.field = field;
  }
}

/** An input has the wrong type or shape (not a number, not a date, unknown enum value, …). */
export class OracleTypeError extends TypeError {
  /** Stable code: always `invalid_type`. */
  readonly code = 'invalid_type' as const;
  /** Path of the bad field. */
  readonly field: string;
  /** Creates the error; the message starts with the field name. */
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'OracleTypeError';
    this.field = field;
  }
}
