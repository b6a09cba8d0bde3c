import { safeParse, safeParseAsync } from 'zod';
import type { ZodSafeParseResult } from 'zod';
import { $ZodAsyncError } from 'zod/v4/core';
import type { $ZodType } from 'zod/v4/core';
import { ValidationError, formatIssues } from '../errors';
import type { ValidationIssue } from '../errors';
import { houseErrorMap } from './house-messages';
import { isPromiseLike, isZod4Schema, standardPropsOf } from './standard-schema';
import type { InferSchemaOutput, StandardSchemaV1 } from './standard-schema';

/** Where a validated input came from; names the failing call in the error. */
export interface ParseContext {
  /** Provider the input is for, e.g. `s3`. Copied onto the error. */
  provider?: string | undefined;
  /** Operation the input is for, e.g. `createEvent`. Copied onto the error. */
  operation?: string | undefined;
  /** Prefix of every issue path, e.g. `options`, so issues read `options.bucket`. */
  path?: string | undefined;
}

/** A path segment as a key; Standard Schema allows `{ key }` objects (valibot sends those). */
export function segmentKey(segment: PropertyKey | StandardSchemaV1.PathSegment): PropertyKey {
  return typeof segment === 'object' && segment !== null ? segment.key : segment;
}

/**
 * Joins an issue path (zod's keys, or Standard Schema segments, which may be `{ key }`
 * objects) into the dotted form used in {@link ValidationIssue.path}, e.g.
 * `participants.0.timeZone`, under an optional `prefix`.
 */
export function formatPath(path: readonly (PropertyKey | StandardSchemaV1.PathSegment)[], prefix = ''): string {
  const segments = path.map((segment) => {
    const key = segmentKey(segment);
    return typeof key === 'symbol' ? (key.description ?? 'symbol') : String(key);
  });
  if (prefix) segments.unshift(prefix);
  return segments.join('.');
}

/**
 * Converts a failed validation (a zod error, or a Standard Schema failure result: anything
 * with `issues`) into one issue per failing field, paths under `prefix`.
 */
export function toValidationIssues(error: { readonly issues: readonly StandardSchemaV1.Issue[] }, prefix = ''): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path ?? [], prefix), message: issue.message }));
}


/** The error for a `schema` argument that is wrong for the call (internal). */
export function schemaArgumentError(message: string, context: ParseContext): ValidationError {
  return new ValidationError(undefined, [{ path: 'schema', message }], { provider: context.provider, operation: context.operation });
}

const NOT_A_SCHEMA = 'must be a Standard Schema (zod 3.24+ or 4, valibot, arktype, …)';
const ASYNC_SCHEMA = 'has async checks: call parseAsync instead of parse';

/** Outcome of one validation, before it becomes a value or an error (internal). */
export type Outcome = { ok: true; value: unknown } | { ok: false; issues: readonly StandardSchemaV1.Issue[]; cause: unknown };

function zodOutcome(result: ZodSafeParseResult<unknown>): Outcome {
  // zod's error is kept as the cause: zod 4 issues do not carry the input value.
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: result.error.issues, cause: result.error };
}

function standardOutcome(result: StandardSchemaV1.Result<unknown>): Outcome {
  // No cause here: other vendors' issues can carry the input value (valibot's do), which may be a secret.
  return result.issues === undefined ? { ok: true, value: result.value } : { ok: false, issues: result.issues, cause: undefined };
}

function settle(outcome: Outcome, context: ParseContext): unknown {
  if (outcome.ok) return outcome.value;
  const issues = toValidationIssues(outcome, context.path ?? '');
  const where = [context.provider, context.operation].filter(Boolean).join(' ');
  const message = where ? `Invalid input to ${where}: ${formatIssues(issues)}` : undefined;
  throw new ValidationError(message, issues, { provider: context.provider, operation: context.operation, cause: outcome.cause });
}

/**
 * Runs `schema` synchronously (internal; `loadConfig` shares it). zod 4 schemas run through
 * zod itself so a missing field reads "Required"; any other Standard Schema through its
 * `~standard.validate`.
 *
 * @throws {@link ValidationError} on `schema` when it is not a schema or needs async validation.
 */
export function validateSync(schema: unknown, input: unknown, context: ParseContext): Outcome {
  if (isZod4Schema(schema)) {
    try {
      return zodOutcome(safeParse(schema as $ZodType, input, { error: houseErrorMap }));
    } catch (error) {
      if (error instanceof $ZodAsyncError) throw schemaArgumentError(ASYNC_SCHEMA, context);
      throw error;
    }
  }
  const standard = standardPropsOf(schema);
  if (standard === undefined) throw schemaArgumentError(NOT_A_SCHEMA, context);
  const result = standard.validate(input);
  if (isPromiseLike(result)) {
    // Nobody will await it: keep a rejection from surfacing as unhandled.
    result.then(undefined, () => undefined);
    throw schemaArgumentError(ASYNC_SCHEMA, context);
  }
  return standardOutcome(result);
}

/**
 * Validates `input` against a schema and returns the typed output.
 *
 * `schema` is any Standard Schema v1 validator (https://standardschema.dev): zod 4 (what
 * Almanac uses inside), zod 3.24+, valibot, arktype, … Messages are the schema library's
 * own, except that zod 4 says "Required" for a missing field.
 *
 * Synchronous: a schema with async checks (async refinements) throws; use {@link parseAsync}.
 *
 * @throws {@link ValidationError} naming every invalid field (dotted paths, prefixed
 * by `context.path`) — never just the first one; or naming `schema` when it is not a
 * schema or has async checks.
 */
export function parse<S extends StandardSchemaV1>(schema: S, input: unknown, context: ParseContext = {}): InferSchemaOutput<S> {
  return settle(validateSync(schema, input, context), context) as InferSchemaOutput<S>;
}

/**
 * {@link parse} for schemas with async checks (async refinements or transforms); works
 * with synchronous schemas too.
 *
 * @throws {@link ValidationError} as {@link parse} does (the promise rejects with it).
 */
export async function parseAsync<S extends StandardSchemaV1>(
  schema: S,
  input: unknown,
  context: ParseContext = {},
): Promise<InferSchemaOutput<S>> {
  if (isZod4Schema(schema)) {
    const result = await safeParseAsync(schema as unknown as $ZodType, input, { error: houseErrorMap });
    return settle(zodOutcome(result), context) as InferSchemaOutput<S>;
  }
  const standard = standardPropsOf(schema);
  if (standard === undefined) throw schemaArgumentError(NOT_A_SCHEMA, context);
  return settle(standardOutcome(await standard.validate(input)), context) as InferSchemaOutput<S>;
}
