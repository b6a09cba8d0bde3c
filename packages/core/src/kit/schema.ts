/**
 * The output type of a validator: any Standard Schema v1 validator (zod 3.24+ and 4, valibot,
 * arktype, …) exposes it under `~standard.types`. `unknown` for anything else.
 */
export type InferOutput<S> = S extends { readonly '~standard': { readonly types?: infer T } }
  ? NonNullable<T> extends { readonly output: infer O }
    ? O
    : unknown
  : unknown;

/**
 * What the body of an operation receives as input: the validator's output when a schema is
 * given, else the input exactly as passed (typed as the caller typed it).
 */
export type RunInput<S, I> = [S] extends [undefined] ? I : InferOutput<S>;
