import { CapabilityError } from '@almanac/core';
import { parse } from '@almanac/core/validation';
import { createOperationRunner } from '@almanac/core/kit';
import type { CapabilitySupport } from '@almanac/core/kit';
import { COST_SOURCE_CAPABILITY_METHODS } from '../spec';
import type { CostFilter, CostGroupKey, CostQuery, CostRow, CostSourceCapability, CostSourceProvider, CostSourceRequest } from '../spec';
import { costQuerySchema, facadeOptionsSchema, forecastSchema } from './schemas';
import type { CostOperationOptions, CostSource, CostSourceOptions } from './types';

const DEFAULT_TIMEOUT_MS = 120_000;

type ParsedQuery = { query: { range: { start: string; end: string }; granularity: 'hourly' | 'daily' | 'monthly'; groupBy: string[]; filter?: CostFilter | undefined } };

/**
 * The limits that are not yes/no flags (dimensions, number of keys) and the granularity flags,
 * checked before the provider is touched.
 */
function checkLimits(provider: CostSourceProvider, parsed: ParsedQuery, supports: (c: CostSourceCapability) => boolean): void {
  const { query } = parsed;
  const refuse = (capability: string) => {
    throw new CapabilityError(capability, { provider: provider.name, operation: 'query', hint: provider.capabilityHints?.[capability] || undefined });
  };
  if (query.granularity === 'hourly' && !supports('hourlyCosts')) refuse('hourlyCosts');
  if (query.granularity === 'daily' && !supports('dailyCosts')) refuse('dailyCosts');
  if (query.granularity === 'monthly' && !supports('monthlyCosts')) refuse('monthlyCosts');
  if (query.groupBy.length > provider.capabilities.maxGroupBy) refuse(`groupBy with ${query.groupBy.length} keys (at most ${provider.capabilities.maxGroupBy})`);
  for (const key of query.groupBy) {
    if (key.startsWith('Tag:')) {
      if (!supports('groupByTag')) refuse('groupByTag');
    } else if (!provider.capabilities.dimensions.includes(key as never)) refuse(`groupBy ${key}`);
  }
  const { tags, ...dimensions } = query.filter ?? {};
  if (tags && Object.keys(tags).length > 0 && !supports('filterByTag')) refuse('filterByTag');
  for (const dimension of Object.keys(dimensions)) {
    if (!provider.capabilities.dimensions.includes(dimension as never)) refuse(`filter by ${dimension}`);
  }
}

/**
 * Wraps a provider in the {@link CostSource} facade, on core's operation runner: every query is
 * validated and normalised (ranges to UTC instants), checked against the source's capabilities
 * and limits (`CapabilityError` before the provider is touched), bounded by `timeoutMs` and the
 * caller's signal, mapped to core's error hierarchy, and reported as one span
 * (`aetherium.<operation>`) and one audit event.
 *
 * @throws `ConfigError` when `provider` is not a provider of specification `v1`;
 * `ValidationError` for bad options.
 */
export function createCostSource(provider: CostSourceProvider, options: CostSourceOptions = {}): CostSource {
  parse(facadeOptionsSchema, options, { operation: 'createCostSource', path: 'options' });
  const runner = createOperationRunner({
    domain: 'aetherium',
    provider,
    capabilityMethods: COST_SOURCE_CAPABILITY_METHODS,
    defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
    timeoutMs: options.timeoutMs,
    clock: options.clock,
    logger: options.logger,
    onAudit: options.onAudit,
    tracer: options.tracer,
  });

  const support = {} as Record<CostSourceCapability, CapabilitySupport>;
  for (const capability of Object.keys(COST_SOURCE_CAPABILITY_METHODS) as CostSourceCapability[]) {
    support[capability] = runner.supports(capability) ? 'native' : false;
  }
  Object.freeze(support);
  const supports = (capability: CostSourceCapability) => runner.supports(capability);

  const query = (input: CostQuery, call?: CostOperationOptions): AsyncIterable<CostRow> => {
    const parsed = runner.prepare('query', { query: input, options: call ?? {} }, costQuerySchema, (value) => {
      checkLimits(provider, value as ParsedQuery, supports);
      return value;
    });
    const request: CostSourceRequest = {
      start: parsed.query.range.start,
      end: parsed.query.range.end,
      granularity: parsed.query.granularity,
      groupBy: parsed.query.groupBy as CostGroupKey[],
      filter: parsed.query.filter ?? {},
    };
    return {
      async *[Symbol.asyncIterator]() {
        // One provider call per iteration: iterating the same result twice queries again.
        const rows = await runner.run(
          'query',
          undefined,
          undefined,
          async (_input, context) => {
            const out = await provider.query({ ...request, signal: context.signal });
            context.annotate({ rows: out.length });
            return out;
          },
          { signal: call?.signal, timeoutMs: call?.timeoutMs, idempotent: true, attributes: { granularity: request.granularity } },
        );
        yield* rows;
      },
    };
  };

  return Object.freeze({
    name: runner.providerName,
    provider,
    capabilities: provider.capabilities,
    supports,
    describeCapabilities: () => support,
    query,
    forecast: (request, call) =>
      runner.run(
        'forecast',
        { request, options: call ?? {} },
        forecastSchema,
        (input, context) =>
          runner.require('forecast', 'forecast').forecast({
            start: input.request.range.start,
            end: input.request.range.end,
            granularity: input.request.granularity ?? 'daily',
            predictionIntervalLevel: input.request.level ?? 80,
            signal: context.signal,
          }),
        { signal: call?.signal, timeoutMs: call?.timeoutMs, idempotent: true, capability: 'forecast' },
      ),
  } satisfies CostSource);
}

/** Reads every row of a query into an array. */
export async function collectCosts(rows: AsyncIterable<CostRow>): Promise<CostRow[]> {
  const out: CostRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}
