import type { Span, Tracer } from '@opentelemetry/api';
import { openTelemetry } from '../otel-api';
import { systemClock } from '../clock';
import type { Clock } from '../clock';
import { withDeadline } from '../deadline';
import { CapabilityError, ValidationError } from '../errors';
import type { AlmanacError, ErrorCode, ValidationIssue } from '../errors';
import { silentLogger } from '../logger/types';
import type { Logger } from '../logger/types';
import { parse } from '../validation/parse';
import { supportsCapability } from './capabilities';
import type { CapabilityMethodTable, WithCapability } from './capabilities';
import { SPECIFICATION_VERSION, assertProviderContract } from './contract';
import type { ProviderContract } from './contract';
import { toAlmanacError } from './errors';
import type { StandardSchemaV1 } from '../validation/standard-schema';
import type { RunInput } from './schema';

/** Attribute values an operation can report; `undefined` values are dropped. */
export type OperationAttributes = Record<string, string | number | boolean | undefined>;

/** The one audit event every {@link OperationRunner.run} emits, whatever the outcome. */
export interface OperationAuditEvent {
  /** Domain of the facade, e.g. `storage`. */
  readonly domain: string;
  /** Provider name. */
  readonly provider: string;
  /** Operation name, e.g. `read`. */
  readonly operation: string;
  /** Whether the operation succeeded. */
  readonly outcome: 'ok' | 'error';
  /** Clock time from the start of `run` (validation included) to the outcome, in ms. */
  readonly durationMs: number;
  /** Code of the error the caller received, on failure. */
  readonly errorCode?: ErrorCode | undefined;
  /** `RunOptions.attributes` plus everything the body passed to `annotate`, without `undefined`s. */
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

/** Options of {@link createOperationRunner}. */
export interface OperationRunnerOptions<P extends ProviderContract, T extends CapabilityMethodTable<P>> {
  /** Domain of the facade: `storage`, `calendar`, `identity`, …; names spans and errors. */
  readonly domain: string;
  /** The provider every operation calls; checked with {@link assertProviderContract}. */
  readonly provider: P;
  /** The spec's capability table (see {@link defineCapabilityMethods}). */
  readonly capabilityMethods: T;
  /** Deadline of an operation when neither `timeoutMs` nor `RunOptions.timeoutMs` is given, in ms. */
  readonly defaultTimeoutMs: number;
  /** Deadline of every operation of this facade, in ms (the facade's user option). */
  readonly timeoutMs?: number | undefined;
  /** Clock of deadlines and durations. Default {@link systemClock}. */
  readonly clock?: Clock | undefined;
  /** Receives failure diagnostics (debug) and listener errors (warn). Default: silent. */
  readonly logger?: Logger | undefined;
  /** Receives one event per operation. A listener that throws is logged (warn) and ignored. */
  readonly onAudit?: ((event: OperationAuditEvent) => void) | undefined;
  /**
   * Tracer of the operation spans. Default `trace.getTracer('@almanac/core')` of
   * `@opentelemetry/api`: a no-op until the application registers an SDK.
   */
  readonly tracer?: Tracer | undefined;
}

/** Per-call options of {@link OperationRunner.run}. */
export interface RunOptions<C extends string = string> {
  /**
   * The caller's signal, merged with the deadline. When absent, the validated input's own
   * top-level `signal` is used if it is an `AbortSignal` (Almanac call options carry it there).
   */
  readonly signal?: AbortSignal | undefined;
  /** Deadline of this call, in ms; overrides the runner's. */
  readonly timeoutMs?: number | undefined;
  /**
   * Whether repeating the operation is safe. Recorded on the span and audit event as
   * `idempotent`; retrying is the adapter's job (see `callProvider`), never the runner's.
   */
  readonly idempotent?: boolean | undefined;
  /** Capability the operation needs; checked before validation and before the provider is touched. */
  readonly capability?: C | undefined;
  /** Prefix of validation issue paths, e.g. `options`, so issues read `options.prefix`. */
  readonly path?: string | undefined;
  /** Attributes known up front, added to the span and the audit event. */
  readonly attributes?: OperationAttributes | undefined;
}

/** Options of {@link OperationRunner.prepare}: the part of {@link RunOptions} that applies before any work. */
export type PrepareOptions<C extends string = string> = Pick<RunOptions<C>, 'capability' | 'path' | 'attributes'>;

/** What the body of an operation gets besides its input. */
export interface OperationContext {
  /** Aborts at the deadline or when the caller aborts; hand it to every provider call. */
  readonly signal: AbortSignal;
  /**
   * Adds attributes to the audit event and the span (as `almanac.<domain>.<name>`), e.g. the
   * key or byte count once known. `undefined` values are ignored.
   */
  annotate(attributes: OperationAttributes): void;
  /**
   * Runs `work` under a fresh deadline of the same length, merged with `signal` (default: the
   * caller's signal of this operation), mapping failures like `run`. For work that outlives the
   * body, e.g. the next chunk of a stream the operation returned; it emits no audit event.
   */
  within<R>(signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<R>): Promise<R>;
}

/** A facade's kernel: validation, capability checks, deadlines, error mapping, spans and audit events. */
export interface OperationRunner<P extends ProviderContract, T extends CapabilityMethodTable<P>> {
  /** The provider. */
  readonly provider: P;
  /** `provider.name`. */
  readonly providerName: string;
  /** The facade's domain. */
  readonly domain: string;
  /** The capability table. */
  readonly capabilityMethods: T;
  /** Deadline of an operation without `RunOptions.timeoutMs`, in ms. */
  readonly timeoutMs: number;
  /** The clock in use. */
  readonly clock: Clock;
  /** The logger in use. */
  readonly logger: Logger;
  /** Whether the provider supports `capability` (see {@link supportsCapability}). */
  supports(capability: keyof T & string): boolean;
  /**
   * The provider, typed with the methods `capability` needs made non-optional.
   *
   * @throws `CapabilityError` naming the capability, provider and operation when unsupported.
   */
  require<C extends keyof T & string>(capability: C, operation: string): WithCapability<P, T, C>;
  /**
   * Runs one operation: checks `options.capability`, validates `input` against `schema` (core's
   * synchronous `parse`, so any Standard Schema validator without async checks; skipped when
   * `schema` is `undefined`), then calls `fn` under the deadline merged
   * with the caller's signal. Validation and the capability check happen before the deadline
   * starts (an invalid call fails at once); `durationMs` counts from the start of `run`.
   * Everything thrown reaches the caller as an {@link AlmanacError} naming provider and
   * operation (`TimeoutError` at the deadline, `AbortedError` when the caller aborts), and each
   * call emits exactly one span (`<domain>.<operation>`) and one audit event.
   */
  run<S extends StandardSchemaV1 | undefined, R, I = unknown>(
    operation: string,
    input: I,
    schema: S,
    fn: (input: RunInput<S, I>, context: OperationContext) => Promise<R>,
    options?: RunOptions<keyof T & string>,
  ): Promise<R>;
  /**
   * The synchronous up-front part of an operation whose work runs later (a listing, a stream):
   * checks the capability, validates `input`, then runs `prepare` (e.g. key normalisation) and
   * returns its result (the validated input without it). A failure is mapped, audited and traced
   * as one failed `operation`, then thrown; success emits nothing, the later `run` calls do.
   */
  prepare<S extends StandardSchemaV1 | undefined, I = unknown, R = RunInput<S, I>>(
    operation: string,
    input: I,
    schema: S,
    prepare?: ((input: RunInput<S, I>) => R) | undefined,
    options?: PrepareOptions<keyof T & string>,
  ): R;
}

function isSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

function isTimeout(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function checkOptions(options: OperationRunnerOptions<never, never>): void {
  const issues: ValidationIssue[] = [];
  if (typeof options.domain !== 'string' || options.domain === '') {
    issues.push({ path: 'options.domain', message: 'must be a non-empty string' });
  }
  const table: unknown = options.capabilityMethods;
  if (typeof table !== 'object' || table === null || Object.values(table).some((methods) => !Array.isArray(methods))) {
    issues.push({ path: 'options.capabilityMethods', message: 'must map each capability to a list of method names' });
  }
  if (!isTimeout(options.defaultTimeoutMs)) issues.push({ path: 'options.defaultTimeoutMs', message: 'must be a number > 0' });
  if (options.timeoutMs !== undefined && !isTimeout(options.timeoutMs)) {
    issues.push({ path: 'options.timeoutMs', message: 'must be a number > 0' });
  }
  if (options.onAudit !== undefined && typeof options.onAudit !== 'function') {
    issues.push({ path: 'options.onAudit', message: 'must be a function' });
  }
  if (options.tracer !== undefined && typeof (options.tracer as { startSpan?: unknown } | null)?.startSpan !== 'function') {
    issues.push({ path: 'options.tracer', message: 'must be an OpenTelemetry Tracer' });
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues, { operation: 'createOperationRunner' });
}

/**
 * Creates the kernel of a domain facade over one provider. The provider must declare
 * `specificationVersion: 'v1'` (a `ConfigError` otherwise); the options are validated
 * (`ValidationError` naming the field).
 *
 * Overhead per operation is one deadline timer, one span (a no-op object until an OpenTelemetry
 * SDK is registered) and, with a listener, one audit event; nothing is done per item of a result.
 */
export function createOperationRunner<P extends ProviderContract, T extends CapabilityMethodTable<P>>(
  options: OperationRunnerOptions<P, T>,
): OperationRunner<P, T> {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(undefined, [{ path: 'options', message: 'must be an object' }], { operation: 'createOperationRunner' });
  }
  checkOptions(options as unknown as OperationRunnerOptions<never, never>);
  const { domain, provider, capabilityMethods: table } = options;
  assertProviderContract(provider, { domain, expected: SPECIFICATION_VERSION });
  const providerName = provider.name;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const otel = openTelemetry();
  const tracer = options.tracer ?? otel.trace.getTracer('@almanac/core');
  const onAudit = options.onAudit;
  const runnerTimeoutMs = options.timeoutMs ?? options.defaultTimeoutMs;

  const supports = (capability: string): boolean => supportsCapability(provider, table, capability);
  const hintFor = (capability: string): string | undefined => provider.capabilityHints?.[capability] || undefined;

  const require = <C extends keyof T & string>(capability: C, operation: string): WithCapability<P, T, C> => {
    if (!supports(capability)) throw new CapabilityError(capability, { provider: providerName, operation, hint: hintFor(capability) });
    return provider as WithCapability<P, T, C>;
  };

  const ignoreAttributes = (_added: OperationAttributes | undefined): void => {};
  /** `finish` of an operation nobody records: the failure at debug, and the (no-op) span ended. */
  const finishUnobserved = (span: Span, operation: string, error: AlmanacError | undefined): void => {
    if (error !== undefined) {
      logger.debug(`${domain} operation failed`, { provider: providerName, operation, code: error.code, message: error.message });
    }
    span.end();
  };

  /** One span and one audit event around an operation; created at its start. */
  const observe = (operation: string, initial: OperationAttributes | undefined) => {
    const started = clock.now();
    const span: Span = tracer.startSpan(`${domain}.${operation}`, {
      kind: otel.SpanKind.INTERNAL,
      attributes: { 'almanac.domain': domain, 'almanac.provider': providerName, 'almanac.operation': operation },
    });
    const recording = span.isRecording();
    // Attributes go to a recording span and to the audit event: with neither (no OpenTelemetry
    // SDK, no listener, the common case) there is nothing to collect, so nothing is allocated.
    if (!recording && onAudit === undefined) return { span, annotate: ignoreAttributes, finish: (error: AlmanacError | undefined) => finishUnobserved(span, operation, error) };
    const attributes: Record<string, string | number | boolean> = {};
    const annotate = (added: OperationAttributes | undefined) => {
      if (added === undefined) return;
      for (const name of Object.keys(added)) {
        const value = added[name];
        if (value === undefined) continue;
        attributes[name] = value;
        if (recording) span.setAttribute(`almanac.${domain}.${name}`, value);
      }
    };
    annotate(initial);
    const finish = (error: AlmanacError | undefined) => {
      if (error !== undefined) {
        if (recording) {
          span.setAttribute('almanac.error.code', error.code);
          // Name and message only: no stack, no cause (which may hold provider responses).
          span.recordException({ name: error.name, message: error.message });
          span.setStatus({ code: otel.SpanStatusCode.ERROR, message: error.message });
        }
        logger.debug(`${domain} operation failed`, { provider: providerName, operation, code: error.code, message: error.message });
      }
      span.end();
      if (onAudit === undefined) return;
      const event: OperationAuditEvent = {
        domain,
        provider: providerName,
        operation,
        outcome: error === undefined ? 'ok' : 'error',
        durationMs: clock.now() - started,
        ...(error === undefined ? {} : { errorCode: error.code }),
        attributes,
      };
      try {
        onAudit(event);
      } catch (listenerError) {
        logger.warn(`${domain} audit listener threw; ignored`, { provider: providerName, operation, error: listenerError });
      }
    };
    return { span, annotate, finish };
  };

  const check = (operation: string, input: unknown, schema: StandardSchemaV1 | undefined, options: PrepareOptions): unknown => {
    const capability = options.capability;
    if (capability !== undefined && !supports(capability)) {
      throw new CapabilityError(capability, { provider: providerName, operation, hint: hintFor(capability) });
    }
    if (schema === undefined) return input;
    return parse(schema, input, { provider: providerName, operation, path: options.path });
  };

  const deadlineOf = (operation: string, timeoutMs: number | undefined, path: string | undefined): number => {
    if (timeoutMs === undefined) return runnerTimeoutMs;
    if (isTimeout(timeoutMs)) return timeoutMs;
    const field = path ? `${path}.timeoutMs` : 'timeoutMs';
    throw new ValidationError(undefined, [{ path: field, message: 'must be a number > 0' }], { provider: providerName, operation });
  };

  const callerSignalOf = (operation: string, given: unknown, parsed: unknown, path: string | undefined): AbortSignal | undefined => {
    if (given !== undefined) {
      if (isSignal(given)) return given;
      const field = path ? `${path}.signal` : 'signal';
      throw new ValidationError(undefined, [{ path: field, message: 'must be an AbortSignal' }], { provider: providerName, operation });
    }
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const own = (parsed as { signal?: unknown }).signal;
    return isSignal(own) ? own : undefined;
  };

  const run = async <R>(
    operation: string,
    input: unknown,
    schema: StandardSchemaV1 | undefined,
    fn: (input: never, context: OperationContext) => Promise<R>,
    runOptions: RunOptions = {},
  ): Promise<R> => {
    const observed = observe(operation, runOptions.attributes);
    if (runOptions.idempotent !== undefined) observed.annotate({ idempotent: runOptions.idempotent });
    try {
      const parsed = check(operation, input, schema, runOptions);
      const timeoutMs = deadlineOf(operation, runOptions.timeoutMs, runOptions.path);
      const callerSignal = callerSignalOf(operation, runOptions.signal, parsed, runOptions.path);
      const within = <W>(signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<W>): Promise<W> =>
        withDeadline({ clock, timeoutMs, signal: signal ?? callerSignal, provider: providerName, operation }, work).catch(
          (error: unknown) => {
            throw toAlmanacError(error, providerName, operation);
          },
        );
      const body = (signal: AbortSignal) => fn(parsed as never, { signal, annotate: observed.annotate, within });
      const spanContext = observed.span.spanContext();
      // The no-op tracer returns this constant; only a real span needs to become the parent of
      // the spans the body starts (HTTP calls), which costs a context switch.
      const traced =
        spanContext !== otel.INVALID_SPAN_CONTEXT && otel.isSpanContextValid(spanContext)
          ? (signal: AbortSignal) => otel.context.with(otel.trace.setSpan(otel.context.active(), observed.span), body, undefined, signal)
          : body;
      const result = await withDeadline({ clock, timeoutMs, signal: callerSignal, provider: providerName, operation }, traced);
      observed.finish(undefined);
      return result;
    } catch (error) {
      const mapped = toAlmanacError(error, providerName, operation);
      observed.finish(mapped);
      throw mapped;
    }
  };

  const prepare = (
    operation: string,
    input: unknown,
    schema: StandardSchemaV1 | undefined,
    then?: ((input: never) => unknown) | undefined,
    prepareOptions: PrepareOptions = {},
  ): unknown => {
    try {
      const parsed = check(operation, input, schema, prepareOptions);
      return then === undefined ? parsed : then(parsed as never);
    } catch (error) {
      const mapped = toAlmanacError(error, providerName, operation);
      const observed = observe(operation, prepareOptions.attributes);
      observed.finish(mapped);
      throw mapped;
    }
  };

  return Object.freeze({
    provider,
    providerName,
    domain,
    capabilityMethods: table,
    timeoutMs: runnerTimeoutMs,
    clock,
    logger,
    supports,
    require,
    run,
    prepare,
  }) as OperationRunner<P, T>;
}
