import type { Clock, Logger } from '@almanac/core';
import type { CapabilitySupport, OperationAuditEvent, OperationRunnerOptions } from '@almanac/core/kit';
import type { __DOMAIN___CAPABILITY_METHODS, __Domain__Capabilities, __Domain__Capability, __Domain__Item, __Domain__Provider } from '../spec';

/** Options every facade call takes. */
export interface __Domain__OperationOptions {
  /** Aborts the call (`AbortedError`). */
  readonly signal?: AbortSignal | undefined;
  /** Deadline of this call in ms (`TimeoutError`); overrides the facade's `timeoutMs`. */
  readonly timeoutMs?: number | undefined;
}

/** Options of {@link __Domain__.searchItems}. */
export interface __Domain__SearchOptions extends __Domain__OperationOptions {
  /** Most items to return, 1 to 1000. Default 100. */
  readonly limit?: number | undefined;
}

/** Options of `create__Domain__`. */
export interface __Domain__Options {
  /** Deadline of each operation in ms. Default 30 000. */
  readonly timeoutMs?: number | undefined;
  /** Clock of deadlines and durations (a manual clock in tests). */
  readonly clock?: Clock | undefined;
  /** Receives diagnostics (failures at debug level). */
  readonly logger?: Logger | undefined;
  /** Receives one event per operation (duration, outcome, error code), for metrics and audit. */
  readonly onAudit?: ((event: OperationAuditEvent) => void) | undefined;
  /** Tracer of the operation spans; default the global OpenTelemetry tracer (a no-op until an SDK is registered). */
  readonly tracer?: OperationRunnerOptions<__Domain__Provider, typeof __DOMAIN___CAPABILITY_METHODS>['tracer'];
}

/**
 * The __domainWords__ facade: the same calls over any provider. Inputs are validated
 * (`ValidationError` naming the field), a capability the provider lacks is a `CapabilityError`
 * before the provider is touched, each call has a deadline merged with the caller's signal, and
 * every failure is an `AlmanacError` naming provider and operation.
 */
export interface __Domain__ {
  /** Provider name. */
  readonly name: string;
  /** The provider behind the facade. */
  readonly provider: __Domain__Provider;
  /** What the provider declares. */
  readonly capabilities: __Domain__Capabilities;
  /** Whether the provider declares a capability and has the methods it needs. */
  supports(capability: __Domain__Capability): boolean;
  /**
   * How each capability is served: `'native'` (the provider does it), `'emulated'` (the facade
   * builds it from other calls) or `false` (unavailable). This facade emulates nothing yet, so
   * every entry is `'native'` or `false`, agreeing with {@link __Domain__.supports}. Frozen.
   */
  describeCapabilities(): Readonly<Record<__Domain__Capability, CapabilitySupport>>;
  /**
   * One item.
   *
   * @throws `NotFoundError` when there is none; `ValidationError` for an empty id.
   */
  getItem(id: string, options?: __Domain__OperationOptions): Promise<__Domain__Item>;
  /**
   * Items whose name contains `query`, case-insensitively (needs `search`).
   *
   * @throws `CapabilityError` when the provider cannot search; `ValidationError` for an empty query or a bad limit.
   */
  searchItems(query: string, options?: __Domain__SearchOptions): Promise<readonly __Domain__Item[]>;
}
