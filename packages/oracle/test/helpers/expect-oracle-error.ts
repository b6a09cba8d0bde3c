import { expect } from 'vitest';
import { ValidationError } from '../../../core/src/errors';
import type { OracleRangeError, OracleTypeError } from '../../src/errors';

/** The error classes oracle throws for bad input. */
export type OracleErrorClass = typeof OracleRangeError | typeof OracleTypeError;

/**
 * Runs `fn` and asserts that it throws a `kind` naming `field` (oracle's `a[2].b` form) and
 * that core's `ValidationError.isInstance` accepts it with the field as its one issue path
 * (core's dotted `a.2.b` form); returns the error.
 */
export function expectOracleError(fn: () => unknown, kind: OracleErrorClass, field: string): Error {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(kind);
  expect((caught as OracleRangeError).field).toBe(field);
  expect(ValidationError.isInstance(caught)).toBe(true);
  const dotted = field.replace(/\[(\d+)\]/g, '.$1');
  expect((caught as OracleRangeError).issues.map((issue) => issue.path)).toEqual([dotted]);
  return caught as Error;
}

/** {@link expectOracleError}, and the message starts with `<field>: `. */
export function expectOracleErrorWithFieldPrefix(fn: () => unknown, kind: OracleErrorClass, field: string): void {
  const error = expectOracleError(fn, kind, field);
  expect(error.message.startsWith(`${field}: `)).toBe(true);
}
