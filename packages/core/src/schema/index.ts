/**
 * The schema builders every Almanac package validates with: the part of zod 4's classic API
 * that Almanac's schemas use (`object`, `string`, `union`, …), bundled into `@almanac/core`'s
 * build. Import it as a namespace: `import * as z from '@almanac/core/schema'`.
 *
 * Why bundled: zod ships as ~95 ES modules, and resolving, loading and compiling them was the
 * largest part of every package root's cold import (issue 20's import budget). Why a subset,
 * re-exported name by name: zod's `z` namespace also holds `z.core` and `z.locales` (messages
 * in ~40 languages), which a bundler cannot drop from a namespace, and which tripled the
 * bundle. Packages import from here, never from `zod` (the house-rules test checks it), so a
 * process loads one small copy. Types come from the `zod` package (a dependency of this one),
 * so the schemas are ordinary zod 4 schemas for TypeScript. A package that needs another
 * builder adds it to the list below.
 *
 * @example
 * ```ts
 * import * as z from '@almanac/core/schema';
 * const Port = z.number().int().min(1).max(65_535);
 * ```
 *
 * @packageDocumentation
 */
export {
  any,
  array,
  bigint,
  boolean,
  check,
  coerce,
  custom,
  date,
  discriminatedUnion,
  email,
  enum,
  function,
  guid,
  instanceof,
  int,
  intersection,
  iso,
  lazy,
  literal,
  looseObject,
  map,
  NEVER,
  never,
  null,
  nullable,
  number,
  object,
  optional,
  pipe,
  preprocess,
  record,
  refine,
  safeParse,
  safeParseAsync,
  set,
  strictObject,
  string,
  superRefine,
  transform,
  tuple,
  union,
  unknown,
  url,
  uuid,
  ZodError,
  ZodType,
} from 'zod';
export type {
  infer,
  input,
  output,
  ZodArray,
  ZodObject,
  ZodRawShape,
  ZodSafeParseResult,
  ZodString,
} from 'zod';
