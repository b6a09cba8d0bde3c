import type { InferSchemaOutput, StandardSchemaV1 } from '../validation/standard-schema';

/**
 * What the body of an operation receives as input: the validator's output when a schema is
 * given (any Standard Schema v1 validator: zod 3.24+ and 4, valibot, arktype, …), else the
 * input exactly as passed (typed as the caller typed it).
 */
export type RunInput<S extends StandardSchemaV1 | undefined, I> = [S] extends [undefined]
  ? I
  : S extends StandardSchemaV1
    ? InferSchemaOutput<S>
    : never;
