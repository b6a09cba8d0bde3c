import { ConfigError, ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import { REDACTED } from '../logger/redact';
import { coerceEnv, toUpperSnake } from './env-coerce';
import { formatPath, segmentKey, validateSync } from './parse';
import { envKindOf, objectFieldsOf } from './schema-fields';
import { isZod4Schema, standardPropsOf } from './standard-schema';
import type { InferSchemaOutput, StandardSchemaV1 } from './standard-schema';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Prefix of every variable, e.g. `ALMANAC_S3_`; the key `bucket` is read from `ALMANAC_S3_BUCKET`. */
  prefix: string;
  /** Provider the configuration is for; copied onto the error. */
  provider?: string | undefined;
  /**
   * Top-level keys to read, for a schema whose keys cannot be read from it (an object
   * schema of a library other than zod or valibot, e.g. arktype). When given, only these
   * keys are read, whatever the schema.
   */
  keys?: readonly string[] | undefined;
}

// Registered secrets shorter than this are not scrubbed from messages, mirroring the redactor.
const MIN_SCRUB_LENGTH = 4;

/** Environment variable that feeds `key` under `prefix`: `('ALMANAC_S3_', 'forcePathStyle')` → `ALMANAC_S3_FORCE_PATH_STYLE`. */
export function envVarName(prefix: string, key: string): string {
  return prefix + toUpperSnake(key);
}

/**
 * Reads a configuration object from environment variables and validates it.
 *
 * `schema` is any Standard Schema v1 object schema (https://standardschema.dev): zod 4
 * (what Almanac uses inside), zod 3.24+, valibot, … Each top-level key is read from
 * `prefix + UPPER_SNAKE(key)`; the keys come from the schema (zod and valibot objects) or
 * from `options.keys`.
 *
 * For zod schemas (4 and 3) values are coerced from strings where the field's type is clear:
 * - booleans accept `true/false`, `1/0`, `yes/no`, `on/off` (any case);
 * - numbers accept anything `Number()` reads as a finite number;
 * - arrays of those (or of strings) are comma-separated lists;
 * - everything else (strings, enums, URLs, `z.coerce.*`) gets the raw string.
 * Other schema libraries receive every value as the raw string, so coerce in the schema
 * (e.g. valibot's `v.pipe(v.string(), v.transform(Number))`).
 * Empty variables count as unset, so optional fields and defaults apply.
 *
 * `env` is a parameter rather than the global environment, so callers and tests choose the source.
 *
 * @throws {@link ConfigError} listing every missing or invalid variable by name at once.
 * The message never contains any variable's value, as values may be secrets.
 * @throws {@link ValidationError} when the arguments themselves are wrong, or when the
 * schema has async checks (loadConfig is synchronous).
 */
export function loadConfig<S extends StandardSchemaV1>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
  options: LoadConfigOptions,
): InferSchemaOutput<S> {
  const argumentIssues: ValidationIssue[] = [];
  const fields = fieldsToRead(schema, options?.keys, argumentIssues);
  if (typeof env !== 'object' || env === null) argumentIssues.push({ path: 'env', message: 'must be an object of strings' });
  if (typeof options?.prefix !== 'string') argumentIssues.push({ path: 'options.prefix', message: 'must be a string' });
  if (argumentIssues.length > 0 || fields === undefined) {
    throw new ValidationError(undefined, argumentIssues, { provider: options?.provider, operation: 'loadConfig' });
  }

  const { prefix, provider } = options;
  const input: Record<string, unknown> = {};
  const issues: ValidationIssue[] = [];
  const unreadable = new Set<string>();
  const secrets: string[] = [];

  for (const [key, field] of Object.entries(fields)) {
    const name = envVarName(prefix, key);
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    if (raw.length >= MIN_SCRUB_LENGTH) secrets.push(raw);
    const coerced = coerceEnv(raw, envKindOf(field));
    if (coerced.ok) {
      input[key] = coerced.value;
    } else {
      unreadable.add(key);
      issues.push({ path: name, message: coerced.message });
    }
  }

  const result = validateSync(schema, input, { provider, operation: 'loadConfig' });
  if (result.ok && issues.length === 0) return result.value as InferSchemaOutput<S>;

  for (const issue of result.ok ? [] : result.issues) {
    const [first, ...rest] = issue.path ?? [];
    const head = first === undefined ? undefined : segmentKey(first);
    // Already reported as unreadable; the schema only sees it as missing.
    if (typeof head === 'string' && unreadable.has(head)) continue;
    const path = head === undefined ? '' : formatPath(rest, envVarName(prefix, String(head)));
    const message = issue.message === 'Required' ? 'is required but not set' : issue.message;
    issues.push({ path, message: scrub(message, secrets) });
  }

  const list = issues.map((issue) => `${issue.path || '(configuration)'}: ${issue.message}`).join('; ');
  throw new ConfigError(`Invalid configuration (${prefix}*): ${list}`, issues, { provider, operation: 'loadConfig' });
}

/** The fields to read, by key (the field schema is `undefined` when unknown), or `undefined` after recording why not. */
function fieldsToRead(schema: unknown, keys: unknown, issues: ValidationIssue[]): Readonly<Record<string, unknown>> | undefined {
  if (!isZod4Schema(schema) && standardPropsOf(schema) === undefined) {
    issues.push({ path: 'schema', message: 'must be a Standard Schema object schema (zod 3.24+ or 4, valibot, arktype, …)' });
    return undefined;
  }
  const shape = objectFieldsOf(schema);
  if (keys !== undefined) {
    if (Array.isArray(keys) && keys.every((key) => typeof key === 'string' && key !== '')) {
      return Object.fromEntries(keys.map((key: string) => [key, shape?.[key]]));
    }
    issues.push({ path: 'options.keys', message: 'must be an array of non-empty strings' });
    return undefined;
  }
  if (shape === undefined) issues.push({ path: 'schema', message: 'must be an object schema (zod or valibot), or pass options.keys' });
  return shape;
}

// Custom schema messages could echo the input; mask every value we read so none leaks.
function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
  return out;
}
