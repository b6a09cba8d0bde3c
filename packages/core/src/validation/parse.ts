import { z } from 'zod';
import { ValidationError, formatIssues } from '../errors';
import type { ValidationIssue } from '../errors';

/** Where a validated input came from; names the failing call in the error. */
export interface ParseContext {
  /** Provider the input is for, e.g. `s3`. Copied onto the error. */
  provider?: string | undefined;
  /** Operation the input is for, e.g. `createEvent`. Copied onto the error. */
  operation?: string | undefined;
  /** Prefix of every issue path, e.g. `options`, so issues read `options.bucket`. */
  path?: string | undefined;
}

/**
 * Joins a zod path into the dotted form used in {@link ValidationIssue.path},
 * e.g. `participants.0.timeZone`, under an optional `prefix`.
 */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  const segments = path.map((segment) => (typeof segment === 'symbol' ? (segment.description ?? 'symbol') : String(segment)));
  if (prefix) segments.unshift(prefix);
  return segments.join('.');
}

/** Converts a zod error into one issue per failing field, paths under `prefix`. */
export function toValidationIssues(error: z.core.$ZodError, prefix = ''): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path, prefix), message: issue.message }));
}

/**
 * Per-parse error map (internal). Zod's default text for a missing field is "expected string,
 * received undefined"; "Required" is what a caller needs to read. Schema-level custom
 * messages still win because zod ranks them above a per-parse map.
 */
export const requiredErrorMap: z.core.$ZodErrorMap = (issue) => {
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined) return 'Required';
  return undefined;
};

/**
 * Validates `input` against a zod schema and returns the typed output.
 *
 * @throws {@link ValidationError} naming every invalid field (dotted paths, prefixed
 * by `context.path`) — never just the first one.
 */
export function parse<S extends z.core.$ZodType>(schema: S, input: unknown, context: ParseContext = {}): z.output<S> {
  if (typeof schema !== 'object' || schema === null || !('_zod' in schema)) {
    throw new ValidationError(undefined, [{ path: 'schema', message: 'must be a zod schema' }], {
      provider: context.provider,
      operation: context.operation,
    });
  }
  const result = z.safeParse(schema, input, { error: requiredErrorMap });
  if (result.success) return result.data;
  const issues = toValidationIssues(result.error, context.path ?? '');
  const where = [context.provider, context.operation].filter(Boolean).join(' ');
  const message = where ? `Invalid input to ${where}: ${formatIssues(issues)}` : undefined;
  throw new ValidationError(message, issues, {
    provider: context.provider,
    operation: context.operation,
    cause: result.error,
  });
}

