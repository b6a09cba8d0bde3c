import { ValidationError, systemClock } from '@almanac/core';
import { parse } from '@almanac/core/validation';
import { SPECIFICATION_VERSION, callProvider, createPeerLoader } from '@almanac/core/kit';
import { compareCostRows } from '../../model/aggregate';
import { periodEnd, periodStart } from '../../model/time';
import type { CostDimension, CostFilter, CostForecastRequest, CostGroupKey, CostRow, CostSourceCapabilities, CostSourceForecast, CostSourceProvider, CostSourceRequest } from '../../spec';
import { mapCostExplorerError } from './errors';
import { awsOptionsSchema } from './options';
import type { AwsCostSourceProviderOptions, CostExplorerLike } from './options';

/** What the Cost Explorer source has sent and reused. */
export interface AwsCostSourceStats {
  /** Billed requests sent: `GetCostAndUsage` pages and `GetCostForecast` calls, retries included. */
  readonly requests: number;
  /** Responses served from the cache instead. */
  readonly cacheHits: number;
}

/** The Cost Explorer source: the bare adapter, with its request counter. */
export interface AwsCostSourceProvider extends CostSourceProvider {
  /** Requests sent and cache hits so far. */
  stats(): AwsCostSourceStats;
}

const loadCostExplorer = createPeerLoader<{ CostExplorer: new (config: Record<string, unknown>) => CostExplorerLike }>({
  pkg: '@aws-sdk/client-cost-explorer',
  provider: 'aws',
  importer: () => import('@aws-sdk/client-cost-explorer'),
  exportName: 'CostExplorer',
  minVersion: '3.400',
  purpose: 'read costs from AWS Cost Explorer',
});

// FOCUS dimension → Cost Explorer dimension (GroupDefinition Key / DimensionValues Key).
const DIMENSION: Readonly<Partial<Record<CostDimension, string>>> = { ServiceName: 'SERVICE', SubAccountId: 'LINKED_ACCOUNT', RegionId: 'REGION' };
const DIMENSIONS = Object.freeze(Object.keys(DIMENSION) as CostDimension[]);

// BilledCost is the unblended cost (what the invoice shows per line); EffectiveCost the
// amortised cost (upfront commitment fees spread over the term, usage at its effective rate).
const BILLED = 'UnblendedCost';
const GRANULARITY = { hourly: 'HOURLY', daily: 'DAILY', monthly: 'MONTHLY' } as const;
const DAY_MS = 86_400_000;
const EFFECTIVE = 'AmortizedCost';

const HOUR_MS = 3_600_000;

/**
 * How far back Cost Explorer serves hourly data: 14 days
 * (https://aws.amazon.com/aws-cost-management/aws-cost-explorer/pricing/, "hourly granularity
 * looking back over 14 days").
 */
export const COST_EXPLORER_HOURLY_LOOKBACK_DAYS = 14;

/**
 * Cost Explorer takes dates for DAILY and MONTHLY and `yyyy-MM-ddThh:mm:ssZ` for HOURLY
 * (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_DateInterval.html),
 * so the range must sit on UTC midnights, or on whole UTC hours for hourly rows.
 */
function checkRange(request: { start: string; end: string; granularity: string }, operation: string): void {
  const hourly = request.granularity === 'hourly';
  const issues = (['start', 'end'] as const)
    .filter((field) => (hourly ? Date.parse(request[field]) % HOUR_MS !== 0 : !request[field].endsWith('T00:00:00.000Z')))
    .map((field) => ({
      path: `${operation === 'query' ? 'query' : 'request'}.range.${field}`,
      message: hourly ? 'must be a whole UTC hour for hourly Cost Explorer data' : 'must be a UTC midnight for Cost Explorer (DAILY and MONTHLY take dates)',
    }));
  if (issues.length > 0) throw new ValidationError(undefined, issues, { provider: 'aws', operation });
}

/** A range bound as Cost Explorer's `DateInterval` takes it for the granularity. */
function timePeriodBound(iso: string, granularity: string): string {
  return granularity === 'hourly' ? `${iso.slice(0, 19)}Z` : iso.slice(0, 10);
}

/** The Cost Explorer `Filter` expression: one `Dimensions` or `Tags` expression per field, combined with `And` when there are several. */
export function costExplorerFilter(filter: CostFilter): Record<string, unknown> | undefined {
  const parts: Record<string, unknown>[] = [];
  const { tags, ...dimensions } = filter;
  for (const [dimension, values] of Object.entries(dimensions) as [CostDimension, readonly string[] | undefined][]) {
    if (values) parts.push({ Dimensions: { Key: DIMENSION[dimension], Values: [...values], MatchOptions: ['EQUALS'] } });
  }
  // Tags are filtered with `Tags`, never with `Dimensions` (there is no TAG dimension).
  for (const [key, values] of Object.entries(tags ?? {})) parts.push({ Tags: { Key: key, Values: [...values], MatchOptions: ['EQUALS'] } });
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { And: parts };
}

function groupDefinition(key: CostGroupKey): { Type: string; Key: string } {
  return key.startsWith('Tag:') ? { Type: 'TAG', Key: key.slice(4) } : { Type: 'DIMENSION', Key: DIMENSION[key as CostDimension]! };
}

// Cost Explorer writes a tag group key as `key$value`, and `key$` for resources without the tag.
function groupValue(key: CostGroupKey, raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (key.startsWith('Tag:')) {
    const at = raw.indexOf('$');
    const value = at === -1 ? raw : raw.slice(at + 1);
    return value === '' ? null : value;
  }
  return raw === '' ? null : raw;
}

type Amount = { Amount?: string | undefined; Unit?: string | undefined };
type ResultByTime = { TimePeriod?: { Start?: string | undefined; End?: string | undefined } | undefined; Total?: Record<string, Amount> | undefined; Groups?: { Keys?: string[] | undefined; Metrics?: Record<string, Amount> | undefined }[] | undefined };

/**
 * The AWS Cost Explorer source (`GetCostAndUsage`, `GetCostForecast`) over
 * `@aws-sdk/client-cost-explorer` (an optional peer loaded on first use). Pages are followed
 * with `NextPageToken` and cached for `cacheTtlMs` because each one is billed; `stats()` counts
 * them. Cost Explorer allows two group keys, dates for daily and monthly rows (ranges at UTC
 * midnights), and no list cost (`listCost` is `null`). Hourly rows need the account's opt-in
 * (`hourly: true`) and whole UTC hours within the last 14 days
 * ({@link COST_EXPLORER_HOURLY_LOOKBACK_DAYS}); older hours are refused before a request is paid for. Days whose billed and effective costs are both zero are left out,
 * as a FOCUS export has no charge for them.
 *
 * @throws `ValidationError` naming the field for bad options (an empty access key is refused: it
 * would replace the SDK's default credential chain).
 */
export function createAwsCostSourceProvider(options: AwsCostSourceProviderOptions = {}): AwsCostSourceProvider {
  parse(awsOptionsSchema, options, { provider: 'aws', operation: 'createAwsCostSourceProvider', path: 'options' });
  const clock = options.clock ?? systemClock;
  const ttl = options.cacheTtlMs ?? 3_600_000;
  const maxPages = options.maxPages ?? 50;
  const cache = new Map<string, { at: number; value: unknown }>();
  let requests = 0;
  let cacheHits = 0;
  let client: Promise<CostExplorerLike> | undefined;

  const getClient = (): Promise<CostExplorerLike> => {
    if (options.client) return Promise.resolve(options.client);
    client ??= loadCostExplorer().then(
      ({ CostExplorer }) =>
        new CostExplorer({
          region: options.region ?? 'us-east-1',
          // One attempt per SDK call: callProvider owns retries, so `stats().requests` counts every request sent.
          maxAttempts: 1,
          // Only what was given: an empty `credentials` would override the default chain.
          ...(options.credentials ? { credentials: typeof options.credentials === 'function' ? options.credentials : { ...options.credentials } } : {}),
          ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        }),
    );
    return client;
  };

  const send = async (operation: 'getCostAndUsage' | 'getCostForecast', input: Record<string, unknown>, signal: AbortSignal | undefined): Promise<unknown> => {
    const key = `${operation}:${JSON.stringify(input)}`;
    const hit = cache.get(key);
    if (hit && clock.now() - hit.at < ttl) {
      cacheHits++;
      return hit.value;
    }
    const sdk = await getClient();
    const value = await callProvider(
      (attemptSignal) => {
        requests++;
        return sdk[operation](input, { abortSignal: attemptSignal });
      },
      { provider: 'aws', operation, idempotent: true, signal, clock, logger: options.logger, mapError: mapCostExplorerError },
    );
    if (ttl > 0) cache.set(key, { at: clock.now(), value });
    return value;
  };

  const hourly = options.hourly ?? false;
  const capabilities: CostSourceCapabilities = Object.freeze({
    hourlyCosts: hourly,
    dailyCosts: true,
    monthlyCosts: true,
    groupByTag: true,
    filterByTag: true,
    forecast: true,
    dimensions: DIMENSIONS,
    maxGroupBy: 2,
  });

  async function query(request: CostSourceRequest): Promise<CostRow[]> {
    checkRange(request, 'query');
    if (request.granularity === 'hourly') {
      // Older hours are not kept: refuse before paying for a request that cannot succeed.
      const oldest = Math.floor((clock.now() - COST_EXPLORER_HOURLY_LOOKBACK_DAYS * DAY_MS) / HOUR_MS) * HOUR_MS;
      if (Date.parse(request.start) < oldest) {
        throw new ValidationError(
          undefined,
          [{ path: 'query.range.start', message: `must be within the last ${COST_EXPLORER_HOURLY_LOOKBACK_DAYS} days for hourly Cost Explorer data (on or after ${new Date(oldest).toISOString()})` }],
          { provider: 'aws', operation: 'query' },
        );
      }
    }
    const filter = costExplorerFilter(request.filter);
    const base: Record<string, unknown> = {
      // End is exclusive in Cost Explorer too.
      TimePeriod: { Start: timePeriodBound(request.start, request.granularity), End: timePeriodBound(request.end, request.granularity) },
      Granularity: GRANULARITY[request.granularity],
      Metrics: [BILLED, EFFECTIVE],
      ...(request.groupBy.length > 0 ? { GroupBy: request.groupBy.map(groupDefinition) } : {}),
      ...(filter ? { Filter: filter } : {}),
    };
    const buckets = new Map<string, { periodStart: string; periodEnd: string; groups: Record<string, string | null>; billedCost: number; effectiveCost: number; currency: string }>();
    const add = (start: string, keys: readonly string[] | undefined, metrics: Record<string, Amount> | undefined) => {
      const billed = metrics?.[BILLED];
      const effective = metrics?.[EFFECTIVE];
      const billedCost = Number(billed?.Amount ?? 0);
      const effectiveCost = Number(effective?.Amount ?? 0);
      if (billedCost === 0 && effectiveCost === 0) return;
      const currency = billed?.Unit ?? effective?.Unit ?? 'USD';
      // Dates for DAILY and MONTHLY, `2024-09-01T13:00:00Z` for HOURLY.
      const startMs = periodStart(Date.parse(start.length === 10 ? `${start}T00:00:00Z` : start), request.granularity);
      const groups: Record<string, string | null> = {};
      request.groupBy.forEach((key, index) => {
        groups[key] = groupValue(key, keys?.[index]);
      });
      const id = JSON.stringify([startMs, request.groupBy.map((key) => groups[key]), currency]);
      const bucket = buckets.get(id);
      if (bucket) {
        bucket.billedCost += billedCost;
        bucket.effectiveCost += effectiveCost;
      } else {
        buckets.set(id, {
          periodStart: new Date(startMs).toISOString(),
          periodEnd: new Date(periodEnd(startMs, request.granularity)).toISOString(),
          groups,
          billedCost,
          effectiveCost,
          currency,
        });
      }
    };
    let token: string | undefined;
    let pages = 0;
    do {
      if (++pages > maxPages) throw new ValidationError(`The query needs more than ${maxPages} Cost Explorer pages (each is billed); narrow it or raise maxPages`, [{ path: 'options.maxPages', message: `is ${maxPages}` }], { provider: 'aws', operation: 'query' });
      const page = (await send('getCostAndUsage', token ? { ...base, NextPageToken: token } : base, request.signal)) as { ResultsByTime?: ResultByTime[] | undefined; NextPageToken?: string | undefined };
      for (const result of page.ResultsByTime ?? []) {
        const start = result.TimePeriod?.Start;
        if (!start) continue;
        if (request.groupBy.length === 0) add(start, [], result.Total);
        else for (const group of result.Groups ?? []) add(start, group.Keys, group.Metrics);
      }
      token = page.NextPageToken || undefined;
    } while (token);
    return [...buckets.values()]
      .map((row) => Object.freeze({ ...row, groups: Object.freeze(row.groups), listCost: null }))
      .sort((a, b) => compareCostRows(a, b, request.groupBy));
  }

  async function forecast(request: CostForecastRequest): Promise<CostSourceForecast> {
    checkRange(request, 'forecast');
    const response = (await send(
      'getCostForecast',
      {
        TimePeriod: { Start: timePeriodBound(request.start, 'daily'), End: timePeriodBound(request.end, 'daily') },
        Metric: 'UNBLENDED_COST',
        Granularity: request.granularity === 'daily' ? 'DAILY' : 'MONTHLY',
        PredictionIntervalLevel: request.predictionIntervalLevel,
      },
      request.signal,
    )) as {
      Total?: Amount | undefined;
      ForecastResultsByTime?: { TimePeriod?: { Start?: string | undefined; End?: string | undefined } | undefined; MeanValue?: string | undefined; PredictionIntervalLowerBound?: string | undefined; PredictionIntervalUpperBound?: string | undefined }[] | undefined;
    };
    const bound = (value: string | undefined) => (value === undefined ? null : Number(value));
    return Object.freeze({
      currency: response.Total?.Unit ?? 'USD',
      total: Number(response.Total?.Amount ?? 0),
      periods: (response.ForecastResultsByTime ?? []).map((period) =>
        Object.freeze({
          periodStart: new Date(`${period.TimePeriod?.Start}T00:00:00Z`).toISOString(),
          periodEnd: new Date(`${period.TimePeriod?.End}T00:00:00Z`).toISOString(),
          mean: Number(period.MeanValue ?? 0),
          lower: bound(period.PredictionIntervalLowerBound),
          upper: bound(period.PredictionIntervalUpperBound),
        }),
      ),
      raw: response,
    });
  }

  return Object.freeze({
    name: 'aws',
    specificationVersion: SPECIFICATION_VERSION,
    capabilities,
    ...(hourly ? {} : { capabilityHints: Object.freeze({ hourlyCosts: 'enable hourly granularity in the Cost Management preferences of the account, then pass hourly: true' }) }),
    query,
    forecast,
    stats: () => Object.freeze({ requests, cacheHits }),
  } satisfies AwsCostSourceProvider);
}
