/**
 * Validation and configuration: `parse`, `parseAsync` and `loadConfig` accept any Standard
 * Schema v1 validator (zod 3.24+ and 4, valibot, arktype, …) and throw one error naming
 * every bad field or variable.
 *
 * @packageDocumentation
 */
export { formatPath, parse, parseAsync, toValidationIssues } from './parse';
export type { ParseContext } from './parse';
export { envVarName, loadConfig } from './config';
export { checkFactoryOptions } from './factory-options';
export type { CheckFactoryOptionsContext, OptionKeys } from './factory-options';
export { closestMatch } from './did-you-mean';
export type { LoadConfigOptions } from './config';
export type { InferSchemaOutput, StandardSchemaV1 } from './standard-schema';
