import { z } from 'zod';
import { ConfigError, ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';
import { REDACTED } from '../logger/redact';
import { coerceEnv, envKindOf, toUpperSnake } from './env-coerce';
import { formatPath, requiredErrorMap } from './parse';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Prefix of every variable, e.g. `ALMANAC_S3_`; the key `bucket` is read from `ALMANAC_S3_BUCKET`. */
  prefix: string;
  /** Provider the configuration is for; copied onto the error. */
  provider?: string | undefined;
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
 * Each top-level key of the object schema is read from `prefix + UPPER_SNAKE(key)`.
 * Values are coerced from strings where the field's type is clear:
 * - booleans accept `true/false`, `1/0`, `yes/no`, `on/off` (any case);
 * - numbers accept anything `Number()` reads as a finite number;
 * - arrays of those (or of strings) are comma-separated lists;
 * - everything else (strings, enums, URLs, `z.coerce.*`) gets the raw string.
 * Empty variables count as unset, so optional fields and defaults apply.
 *
 * `env` is a parameter rather than the global environment, so callers and tests choose the source.
 *
 * @throws {@link ConfigError} listing every missing or invalid variable by name at once.
 * The message never contains any variable's value, as values may be secrets.
 * @throws {@link ValidationError} when the arguments themselves are wrong.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
  options: LoadConfigOptions,
): z.output<S> {
  const argumentIssues: ValidationIssue[] = [];
  if (!(schema instanceof z.ZodObject)) argumentIssues.push({ path: 'schema', message: 'must be a zod object schema' });
  if (typeof env !== 'object' || env === null) argumentIssues.push({ path: 'env', message: 'must be an object of strings' });
  if (typeof options?.prefix !== 'string') argumentIssues.push({ path: 'options.prefix', message: 'must be a string' });
  if (argumentIssues.length > 0) throw new ValidationError(undefined, argumentIssues, { provider: options?.provider, operation: 'loadConfig' });

  const { prefix, provider } = options;
  const input: Record<string, unknown> = {};
  const issues: ValidationIssue[] = [];
  const unreadable = new Set<string>();
  const secrets: string[] = [];

  for (const [key, field] of Object.entries(schema.shape)) {
    const name = envVarName(prefix, key);
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    if (raw.length >= MIN_SCRUB_LENGTH) secrets.push(raw);
    const coerced = coerceEnv(raw, envKindOf(field as z.core.$ZodType));
    if (coerced.ok) {
      input[key] = coerced.value;
    } else {
      unreadable.add(key);
      issues.push({ path: name, message: coerced.message });
    }
  }

  const result = z.safeParse(schema, input, { error: requiredErrorMap });
  if (result.success && issues.length === 0) return result.data as z.output<S>;

  for (const issue of result.success ? [] : result.error.issues) {
    const [head, ...rest] = issue.path;
    // Already reported as unreadable; zod only sees it as missing.
    if (typeof head === 'string' && unreadable.has(head)) continue;
    const path = head === undefined ? '' : formatPath(rest, envVarName(prefix, String(head)));
    const message = issue.message === 'Required' ? 'is required but not set' : issue.message;
    issues.push({ path, message: scrub(message, secrets) });
  }

  const list = issues.map((issue) => `${issue.path || '(configuration)'}: ${issue.message}`).join('; ');
  throw new ConfigError(`Invalid configuration (${prefix}*): ${list}`, issues, { provider, operation: 'loadConfig' });
}

// Custom schema messages could echo the input; mask every value we read so none leaks.
function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
  return out;
}
