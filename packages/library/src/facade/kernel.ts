import { NotFoundError, ValidationError } from '@almanac/core';
import type { Logger, StandardSchemaV1 } from '@almanac/core';
import type { OperationContext, OperationRunner, RunInput, RunOptions } from '@almanac/core/kit';
import type { STORAGE_CAPABILITY_METHODS, StorageCapabilities, StorageCapability, StorageProvider } from '../spec';
import type { InputSchemas } from './input';
import { isPlainKey } from './keys';
import { isBody } from './schemas';

/** The operation runner of a storage facade, typed by the spec's capability table. */
export type StorageRunner = OperationRunner<StorageProvider, typeof STORAGE_CAPABILITY_METHODS>;

/** What every operation group of one facade shares (built once by `createStorage`). */
export interface StorageKernel {
  /** Validation, capability checks, deadlines, error mapping, spans and audit events. */
  readonly runner: StorageRunner;
  /** The wrapped provider. */
  readonly provider: StorageProvider;
  /** `provider.name`. */
  readonly name: string;
  /** `provider.capabilities`. */
  readonly capabilities: StorageCapabilities;
  /** The facade's logger. */
  readonly logger: Logger;
  /** The input schema of every operation, for this provider's key length. */
  readonly input: InputSchemas;
  /** `StorageOptions.writeTimeoutMs`. */
  readonly writeTimeoutMs?: number | undefined;
  /** `StorageOptions.writeMinBytesPerSecond`. */
  readonly writeMinBytesPerSecond?: number | undefined;
}

/**
 * The caller's signal of a call, read before validation so the runner can merge it with the
 * deadline; validation rejects anything but an `AbortSignal` first, so a bad value never gets here.
 */
export function signalOf(options: unknown): AbortSignal | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  const signal = (options as { signal?: unknown }).signal;
  return signal instanceof AbortSignal ? signal : undefined;
}

/** What {@link perform} needs to know about a call besides its input. */
export interface PerformSettings extends Pick<RunOptions<StorageCapability>, 'capability' | 'idempotent' | 'timeoutMs'> {
  /**
   * The input is `{ key, options }` or `{ key, body, options }` of a schema whose options other
   * than `signal` are all optional: a plain call (see `plainInput`) skips the schema.
   */
  readonly plain?: boolean | undefined;
}

/**
 * The validated form of a call that needs no schema: a key {@link isPlainKey} accepts, a body
 * `bodySchema` accepts (when the call has one), and `options` absent or holding only an
 * `AbortSignal`. `undefined` for anything else, which then goes through the zod schema (and
 * gets its error messages). Every other option (a range, a content type, …) takes the schema
 * path, so what the fast path accepts is exactly what the schema would, with the same output.
 */
function plainInput(input: { readonly key?: unknown; readonly body?: unknown; readonly options?: unknown }, maxKeyBytes: number): object | undefined {
  const { key, options } = input;
  if (!isPlainKey(key, maxKeyBytes)) return undefined;
  let plainOptions: { signal?: AbortSignal | undefined } | undefined;
  if (options !== undefined) {
    if (typeof options !== 'object' || options === null || Object.getPrototypeOf(options) !== Object.prototype) return undefined;
    for (const field in options) if (field !== 'signal') return undefined;
    const signal = (options as { signal?: unknown }).signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) return undefined;
    plainOptions = signal === undefined ? {} : { signal };
  }
  if (!('body' in input)) return { key, options: plainOptions };
  return isBody(input.body) ? { key, body: input.body, options: plainOptions } : undefined;
}

/**
 * Runs one facade call on the runner: `input` holds the call's arguments by name (`key`, `body`,
 * `options`, …) and is validated by `schema` as a whole; the caller's signal is `options.signal`;
 * the validated `key` (or `from`, for copy and move) is reported on the audit event and span.
 * With `settings.plain`, a call {@link plainInput} accepts skips the schema: validation then
 * costs one pass over the key, not a zod parse of the whole input.
 */
export function perform<S extends StandardSchemaV1, R, I extends { readonly options?: unknown }>(
  kernel: StorageKernel,
  operation: string,
  input: I,
  schema: S,
  body: (call: RunInput<S, unknown>, context: OperationContext) => Promise<R>,
  settings: PerformSettings = {},
): Promise<R> {
  const validated = settings.plain === true ? plainInput(input, kernel.capabilities.maxKeyBytes) : undefined;
  return kernel.runner.run(
    operation,
    validated ?? input,
    (validated === undefined ? schema : undefined) as S,
    (call, context) => {
      const subject = (call as { key?: unknown; from?: unknown }).key ?? (call as { from?: unknown }).from;
      if (typeof subject !== 'string') return body(call, context);
      context.annotate({ key: subject });
      return body(call, context).catch((error: unknown) => {
        throw sameNotFound(error, kernel.name, operation, subject);
      });
    },
    // Built field by field rather than spread from `settings`: this runs on every call.
    { capability: settings.capability, idempotent: settings.idempotent, timeoutMs: settings.timeoutMs, signal: signalOf(input.options) },
  );
}

/**
 * Every adapter's "no such object" reaches the caller in one shape,
 * `No object at key "<key>" (<provider> <operation>)`, with the adapter's own error as `cause`
 * (and its HTTP status kept), so code and logs need not know which adapter answered.
 */
function sameNotFound(error: unknown, provider: string, operation: string, key: string): unknown {
  if (!NotFoundError.isInstance(error)) return error;
  return new NotFoundError(`No object at key "${key}" (${provider} ${operation})`, {
    provider,
    operation,
    status: (error as NotFoundError).status,
    cause: error,
  });
}

/**
 * Checks a storage class the caller chose: the provider must support `storageClass` and list
 * the class. `path` names the field in the `ValidationError` (`options.storageClass`, `storageClass`).
 */
export function checkStorageClass(kernel: StorageKernel, storageClass: string, operation: string, path: string): void {
  kernel.runner.require('storageClass', operation);
  const classes = kernel.capabilities.storageClasses;
  if (classes.includes(storageClass)) return;
  const message = `must be one of ${classes.join(', ')}`;
  throw new ValidationError(`Invalid input to ${kernel.name} ${operation}: ${path}: ${message}`, [{ path, message }], {
    provider: kernel.name,
    operation,
  });
}
