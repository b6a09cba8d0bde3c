import type { Clock, Logger } from '@almanac/core';
import type { CapabilitySupport, OperationAuditEvent, OperationRunnerOptions } from '@almanac/core/kit';
import type {
  COST_SOURCE_CAPABILITY_METHODS,
  CostForecastGranularity,
  CostQuery,
  CostRange,
  CostRow,
  CostSourceCapabilities,
  CostSourceCapability,
  CostSourceForecast,
  CostSourceProvider,
} from '../spec';

/** Options every facade call takes. */
export interface CostOperationOptions {
  /** Aborts the call (`AbortedError`). */
  readonly signal?: AbortSignal | undefined;
  /** Deadline of this call in ms (`TimeoutError`); overrides the facade's `timeoutMs`. */
  readonly timeoutMs?: number | undefined;
}

/** Input of {@link CostSource.forecast}. */
export interface CostForecastQuery {
  /** The future range to forecast, `[start, end)`. */
  readonly range: CostRange;
  /** Period length; default `daily`. */
  readonly granularity?: CostForecastGranularity | undefined;
  /** Interval coverage in percent, 51 to 99; default 80. */
  readonly level?: number | undefined;
}

/** Options of `createCostSource`. */
export interface CostSourceOptions {
  /** Deadline of each operation in ms. Default 120 000 (aggregating large exports takes time). */
  readonly timeoutMs?: number | undefined;
  /** Clock of deadlines and durations (a manual clock in tests). */
  readonly clock?: Clock | undefined;
  /** Receives diagnostics (failures at debug level). */
  readonly logger?: Logger | undefined;
  /** Receives one event per operation (duration, outcome, error code), for metrics and audit. */
  readonly onAudit?: ((event: OperationAuditEvent) => void) | undefined;
  /** Tracer of the operation spans; default the global OpenTelemetry tracer (a no-op until an SDK is registered). */
  readonly tracer?: OperationRunnerOptions<CostSourceProvider, typeof COST_SOURCE_CAPABILITY_METHODS>['tracer'] | undefined;
}

/**
 * Costs from one source (or several, see `combineSources`) in one FOCUS-shaped model. Inputs are
 * validated (`ValidationError` naming the field), a capability the source lacks is a
 * `CapabilityError` before the provider is touched, each call has a deadline merged with the
 * caller's signal, and every failure is an `AlmanacError` naming provider and operation.
 */
export interface CostSource {
  /** Provider name. */
  readonly name: string;
  /** The provider behind the facade. */
  readonly provider: CostSourceProvider;
  /** What the provider declares. */
  readonly capabilities: CostSourceCapabilities;
  /** Whether the provider declares a capability and has the methods it needs. */
  supports(capability: CostSourceCapability): boolean;
  /** How each capability is served (`'native'` or `false`; nothing is emulated). Frozen. */
  describeCapabilities(): Readonly<Record<CostSourceCapability, CapabilitySupport>>;
  /**
   * Aggregated cost rows: one per period, group values and currency, sorted by period, group
   * values (`null` first) and currency. The query is validated when `query` is called (so a bad
   * one throws at once); the provider is called when iteration starts.
   *
   * @throws `ValidationError` naming the field (`query.range.end`, `query.groupBy.0`);
   * `CapabilityError` for a granularity, dimension, tag use or number of keys the source lacks.
   */
  query(query: CostQuery, options?: CostOperationOptions): AsyncIterable<CostRow>;
  /**
   * The provider's own forecast of billed cost (needs `forecast`; for a forecast computed from
   * history on any source, use `forecast()`).
   *
   * @throws `CapabilityError` when the provider has none; `ValidationError` for a bad range or level.
   */
  forecast(request: CostForecastQuery, options?: CostOperationOptions): Promise<CostSourceForecast>;
}
