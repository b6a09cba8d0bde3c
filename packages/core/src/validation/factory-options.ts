import { ConfigError } from '../errors';
import type { ValidationIssue } from '../errors';
import { describeType } from './describe-type';
import { closestMatch } from './did-you-mean';

/**
 * Every option name of `T`, each mapped to `true`. Written as an object literal so TypeScript
 * refuses a list that misses or invents an option: the list cannot drift from the type.
 */
export type OptionKeys<T> = { readonly [K in keyof Required<T>]: true };

/** Options of {@link checkFactoryOptions}. */
export interface CheckFactoryOptionsContext<T> {
  /** The factory's name as users call it, e.g. `createFsStorage`. */
  readonly factory: string;
  /** Provider named on the error. */
  readonly provider?: string | undefined;
  /** Options that must be present; named in the error when `options` itself is missing. */
  readonly required?: readonly (keyof T & string)[] | undefined;
}

/**
 * Checks the shape of a factory's options before anything reads them, for callers in plain
 * JavaScript: a missing or non-object `options` and unknown option names (with a "did you
 * mean" suggestion for a misspelling) throw one {@link ConfigError} naming every field.
 * Values are never echoed (an option may be a secret); the factory's schema checks them next.
 *
 * @example
 * ```ts
 * const FS_KEYS: OptionKeys<FsOptions> = { root: true, signingSecret: true };
 * checkFactoryOptions(options, FS_KEYS, { factory: 'createFsStorage', required: ['root'] });
 * // createFsStorage({ roots: './data' }) → ConfigError: options.roots: unknown option (did you mean "root"?); options.root: Required
 * ```
 */
export function checkFactoryOptions<T>(options: unknown, keys: OptionKeys<T>, context: CheckFactoryOptionsContext<T>): asserts options is T {
  const known = Object.keys(keys);
  const required = context.required ?? [];
  const issues: ValidationIssue[] = [];
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    const needs = required.length > 0 ? ` with ${required.join(', ')}` : '';
    issues.push({ path: 'options', message: `must be an options object${needs}, got ${describeType(options)}` });
  } else {
    for (const key of Object.keys(options)) {
      if (known.includes(key)) continue;
      const suggestion = closestMatch(key, known);
      issues.push({ path: `options.${key}`, message: `unknown option${suggestion ? ` (did you mean "${suggestion}"?)` : `; known options: ${known.join(', ')}`}` });
    }
    for (const key of required) {
      if ((options as Record<string, unknown>)[key] === undefined) issues.push({ path: `options.${key}`, message: 'Required' });
    }
  }
  if (issues.length === 0) return;
  const list = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new ConfigError(`${context.factory}: ${list}`, issues, { provider: context.provider, operation: context.factory });
}
