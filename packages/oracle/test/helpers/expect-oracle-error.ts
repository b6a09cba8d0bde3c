import { expect } from 'vitest';
import type { OracleRangeError, OracleTypeError } from '../../src/errors';

/** The error classes oracle throws for bad input. */
export type OracleErrorClass = typeof OracleRangeError | typeof OracleTypeError;

/** Runs `fn` and asserts that it throws a `kind` whose `field` is `field`; returns the error. */
export function expectOracleError(fn: () => unknown, kind: OracleErrorClass, field: string): Error {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(kind);
  expect((caught as OracleRangeError).field).toBe(field);
  return caught as Error;
}

/** {@link expectOracleError}, and the message starts with `<field>: `. */
export function expectOracleErrorWithFieldPrefix(fn: () => unknown, kind: OracleErrorClass, field: string): void {
  const error = expectOracleError(fn, kind, field);
  expect(error.message.startsWith(`${field}: `)).toBe(true);
}
