import { SPECIFICATION_VERSION } from '@almanac/core/kit';
import { checkCapabilityTable, describeConformance, expectAlmanacError } from '@almanac/core/testing';
import type { ConformanceOptions } from '@almanac/core/testing';
import { expect } from 'vitest';
import { collectCosts, createCostSource } from '../facade/create-cost-source';
import type { CostSource } from '../facade/types';
import { aggregateFocusRows } from '../model/aggregate';
import { parseFocusRow } from '../model/focus-row';
import { COST_SOURCE_CAPABILITY_METHODS } from '../spec';
import type { CostGroupKey, CostQuery, CostRow, CostSourceCapability, CostSourceProvider } from '../spec';
import { COST_SOURCE_FIXTURE } from './fixture';
import type { CostSourceFixture } from './fixture';

/**
 * Options of {@link describeCostSourceConformance}: core's one conformance shape, where `create`
 * gets the fixture and returns a facade over a source holding exactly its charges.
 */
export interface CostSourceConformanceOptions extends ConformanceOptions<CostSource, CostSourceFixture> {
  /** Fixture to seed; {@link COST_SOURCE_FIXTURE} by default. */
  readonly fixture?: CostSourceFixture | undefined;
  /** `false` for a source that never gives `ListCost` (its rows must then say `null`); default `true`. */
  readonly reportsListCost?: boolean | undefined;
  /** `true` for a source whose effective cost is its billed cost (e.g. a net cost); default `false`. */
  readonly effectiveIsBilled?: boolean | undefined;
}

const FLAGS = Object.keys(COST_SOURCE_CAPABILITY_METHODS) as CostSourceCapability[];

interface Semantics {
  readonly reportsListCost: boolean;
  readonly effectiveIsBilled: boolean;
}

// Amounts are sums of doubles in an engine-specific order: equal to 1e-9.
function expectRows(actual: readonly CostRow[], reference: readonly CostRow[], semantics: Semantics): void {
  const expected = reference.map((r) => ({
    ...r,
    effectiveCost: semantics.effectiveIsBilled ? r.billedCost : r.effectiveCost,
    listCost: semantics.reportsListCost ? r.listCost : null,
  }));
  const strip = (rows: readonly CostRow[]) => rows.map((r) => ({ ...r, groups: { ...r.groups }, billedCost: 0, effectiveCost: 0, listCost: r.listCost === null ? null : 0 }));
  expect(strip(actual)).toEqual(strip(expected));
  actual.forEach((row, i) => {
    const want = expected[i]!;
    expect(row.billedCost, `rows.${i}.billedCost`).toBeCloseTo(want.billedCost, 9);
    expect(row.effectiveCost, `rows.${i}.effectiveCost`).toBeCloseTo(want.effectiveCost, 9);
    if (want.listCost !== null) expect(row.listCost, `rows.${i}.listCost`).toBeCloseTo(want.listCost, 9);
  });
}

const INJECTION_VALUES = ["x' OR '1'='1", "'; DROP TABLE src; --", '" OR ""="', '\\\'; SELECT 1; --', '$p0', '@start', '`x`', ') OR (1=1'];
const INJECTION_KEYS = ["team') OR 1=1 --", 'team"', "te'am", 'a\\b', 'x;DROP', ''];

/**
 * Registers the cost source conformance suite for one adapter (call it at the top level of a
 * test file). Results are compared with the JavaScript reference aggregation of the same
 * charges and with totals computed by hand; tests of optional features are gated by the
 * capabilities the source declares.
 */
export function describeCostSourceConformance(options: CostSourceConformanceOptions): void {
  const fixture = options.fixture ?? COST_SOURCE_FIXTURE;
  const semantics: Semantics = { reportsListCost: options.reportsListCost ?? true, effectiveIsBilled: options.effectiveIsBilled ?? false };
  const charges = fixture.rows.map((row, index) => parseFocusRow(row, { path: `fixture.rows.${index}` }));
  const reference = (query: CostQuery): CostRow[] =>
    aggregateFocusRows(charges, {
      start: new Date(Date.parse(query.range.start)).toISOString(),
      end: new Date(Date.parse(query.range.end)).toISOString(),
      granularity: query.granularity,
      groupBy: query.groupBy,
      filter: query.filter ?? {},
    });
  const daily = (groupBy: CostGroupKey[] = [], filter?: CostQuery['filter']): CostQuery => ({ range: fixture.range, granularity: 'daily', groupBy, filter });
  // The first day of the fixture's range, by the hour.
  const firstDay = Date.parse(fixture.range.start);
  const hourly = (groupBy: CostGroupKey[] = []): CostQuery => ({ range: { start: new Date(firstDay).toISOString(), end: new Date(firstDay + 86_400_000).toISOString() }, granularity: 'hourly', groupBy });

  describeConformance<CostSource, CostSourceFixture>(
    'aetherium',
    options,
    (suite) => {
      suite.group('contract', () => {
        suite.test(
          'declares a name, specificationVersion v1, boolean capability flags and its limits',
          (subject) => {
            const provider = subject.provider;
            expect(provider.name.length).toBeGreaterThan(0);
            expect(provider.specificationVersion).toBe(SPECIFICATION_VERSION);
            // hourlyCosts came later and may be left out (it then counts as false).
            for (const flag of FLAGS) expect(flag === 'hourlyCosts' ? ['boolean', 'undefined'] : ['boolean'], `capabilities.${flag}`).toContain(typeof provider.capabilities[flag]);
            expect(Array.isArray(provider.capabilities.dimensions)).toBe(true);
            expect(provider.capabilities.maxGroupBy).toBeGreaterThanOrEqual(1);
          },
          { id: 'contract' },
        );

        suite.test(
          'every declared capability has its methods; every other one is refused before the provider is called',
          (subject) =>
            checkCapabilityTable<CostSourceProvider, CostSource>({
              provider: subject.provider,
              capabilityMethods: COST_SOURCE_CAPABILITY_METHODS,
              facade: (provider) => createCostSource(provider),
              calls: {
                hourlyCosts: async (facade) => collectCosts(facade.query(hourly())),
                dailyCosts: async (facade) => collectCosts(facade.query(daily())),
                monthlyCosts: async (facade) => collectCosts(facade.query({ ...daily(), granularity: 'monthly' })),
                groupByTag: async (facade) => collectCosts(facade.query(daily(['Tag:team']))),
                filterByTag: async (facade) => collectCosts(facade.query(daily([], { tags: { team: ['core'] } }))),
                forecast: (facade) => facade.forecast({ range: { start: '2024-10-01', end: '2024-10-08' } }),
              },
            }),
          { id: 'capability-table' },
        );
      });

      suite.group('query', () => {
        suite.test(
          'daily totals per currency: by ChargePeriodStart, end exclusive, currencies never summed',
          async (subject) => {
            const rows = await collectCosts(subject.query(daily()));
            const pick = (day: string, currency: string) => rows.find((r) => r.periodStart === `${day}T00:00:00.000Z` && r.currency === currency)?.billedCost;
            expect(pick('2024-09-01', 'USD')).toBeCloseTo(17, 9);
            expect(pick('2024-09-01', 'EUR')).toBeCloseTo(3, 9);
            expect(pick('2024-09-02', 'USD')).toBeCloseTo(2, 9);
            expect(pick('2024-09-03', 'USD')).toBeCloseTo(1, 9);
            expect(pick('2024-09-30', 'USD')).toBeCloseTo(6, 9);
            expect(rows.some((r) => r.periodStart < '2024-09-01' || r.periodStart >= '2024-10-01')).toBe(false);
            expect(rows[0]?.periodEnd).toBe('2024-09-02T00:00:00.000Z');
            expectRows(rows, reference(daily()), semantics);
          },
          { id: 'daily', needs: ['dailyCosts'] },
        );

        suite.test(
          'hourly totals: each charge in the UTC hour of its ChargePeriodStart, periodEnd one hour later',
          async (subject) => {
            const query = hourly(['ServiceName']);
            const rows = await collectCosts(subject.query(query));
            expect(rows.length).toBeGreaterThan(0);
            for (const row of rows) {
              expect(Date.parse(row.periodStart) % 3_600_000, row.periodStart).toBe(0);
              expect(Date.parse(row.periodEnd) - Date.parse(row.periodStart)).toBe(3_600_000);
              expect(row.periodStart >= query.range.start && row.periodStart < query.range.end).toBe(true);
            }
            if (fixture === COST_SOURCE_FIXTURE) {
              expect(rows.map((r) => [r.periodStart.slice(11, 13), r.groups['ServiceName'], r.currency, r.billedCost])).toEqual([
                ['00', 'Compute', 'USD', 10],
                ['05', 'Compute', 'USD', 5],
                ['10', 'Storage', 'EUR', 3],
                ['10', 'Storage', 'USD', 2],
              ]);
            }
            expectRows(rows, reference(query), semantics);
          },
          { id: 'hourly', needs: ['hourlyCosts'] },
        );

        suite.test(
          'monthly totals: one row per month and currency, periodEnd the next month',
          async (subject) => {
            const query: CostQuery = { ...daily(), granularity: 'monthly' };
            const rows = await collectCosts(subject.query(query));
            expect(rows.map((r) => [r.periodStart, r.periodEnd, r.currency])).toEqual([
              ['2024-09-01T00:00:00.000Z', '2024-10-01T00:00:00.000Z', 'EUR'],
              ['2024-09-01T00:00:00.000Z', '2024-10-01T00:00:00.000Z', 'USD'],
            ]);
            expect(rows[1]?.billedCost).toBeCloseTo(26, 9);
            expectRows(rows, reference(query), semantics);
          },
          { id: 'monthly', needs: ['monthlyCosts'] },
        );

        suite.test(
          'groups by ServiceName: null-free groups, effective and list costs (list null when a charge lacks it)',
          async (subject) => {
            const rows = await collectCosts(subject.query(daily(['ServiceName'])));
            const first = rows.find((r) => r.periodStart.startsWith('2024-09-01') && r.groups['ServiceName'] === 'Compute' && r.currency === 'USD');
            expect(first?.effectiveCost).toBeCloseTo(semantics.effectiveIsBilled ? 15 : 13, 9);
            expect(first?.listCost).toBeNull();
            expectRows(rows, reference(daily(['ServiceName'])), semantics);
          },
          { id: 'group-service', needs: ['dailyCosts'] },
        );

        suite.test(
          'groups by a tag key: charges without the tag are in a null group',
          async (subject) => {
            const rows = await collectCosts(subject.query(daily(['Tag:team'])));
            const sept1 = rows.filter((r) => r.periodStart.startsWith('2024-09-01') && r.currency === 'USD');
            expect(sept1.map((r) => [r.groups['Tag:team'], r.billedCost])).toEqual([
              [null, 2],
              ['core', 10],
              ['data', 5],
            ]);
            expectRows(rows, reference(daily(['Tag:team'])), semantics);
          },
          { id: 'group-tag', needs: ['dailyCosts', 'groupByTag'] },
        );

        suite.test(
          'filters by a dimension (values are alternatives)',
          async (subject) => {
            const query = daily(['ServiceName'], { ServiceName: ['Storage', 'Nothing'] });
            const rows = await collectCosts(subject.query(query));
            expect(new Set(rows.map((r) => r.groups['ServiceName']))).toEqual(new Set(['Storage']));
            expectRows(rows, reference(query), semantics);
          },
          { id: 'filter-dimension', needs: ['dailyCosts'] },
        );

        suite.test(
          'filters by a tag value',
          async (subject) => {
            const query = daily([], { tags: { team: ['core'] } });
            const rows = await collectCosts(subject.query(query));
            expect(rows.filter((r) => r.currency === 'USD').reduce((sum, r) => sum + r.billedCost, 0)).toBeCloseTo(14, 9);
            expectRows(rows, reference(query), semantics);
          },
          { id: 'filter-tag', needs: ['dailyCosts', 'filterByTag'] },
        );

        suite.test(
          'SQL injection payloads as filter values are inert (no rows, no error)',
          async (subject) => {
            for (const value of INJECTION_VALUES) {
              expect(await collectCosts(subject.query(daily([], { ServiceName: [value] }))), value).toEqual([]);
            }
          },
          { id: 'injection-values', needs: ['dailyCosts'] },
        );

        suite.test(
          'SQL injection payloads as tag keys and group keys are refused with ValidationError',
          async (subject) => {
            for (const key of INJECTION_KEYS) {
              await expectAlmanacError(async () => collectCosts(subject.query(daily([`Tag:${key}` as CostGroupKey]))), { code: 'validation', field: 'query.groupBy.0' });
              await expectAlmanacError(async () => collectCosts(subject.query(daily([], { tags: { [key]: ['x'] } }))), { code: 'validation' });
            }
            await expectAlmanacError(async () => collectCosts(subject.query(daily(['ServiceName; DROP TABLE src' as CostGroupKey]))), { code: 'validation', field: 'query.groupBy.0' });
          },
          { id: 'injection-keys' },
        );

        suite.test(
          'refuses a bad range, granularity or key with ValidationError naming the field',
          async (subject) => {
            await expectAlmanacError(async () => collectCosts(subject.query({ ...daily(), range: { start: '2024-09-02', end: '2024-09-01' } })), { code: 'validation', field: 'query.range.end' });
            await expectAlmanacError(async () => collectCosts(subject.query({ ...daily(), range: { start: 'yesterday', end: '2024-09-01' } })), { code: 'validation', field: 'query.range.start' });
            await expectAlmanacError(async () => collectCosts(subject.query({ ...daily(), granularity: 'weekly' as never })), { code: 'validation', field: 'query.granularity' });
            await expectAlmanacError(async () => collectCosts(subject.query(daily(['ResourceId' as CostGroupKey]))), { code: 'validation', field: 'query.groupBy.0' });
          },
          { id: 'invalid' },
        );

        suite.test(
          'fails with AbortedError when the caller aborts',
          (subject) => expectAlmanacError(collectCosts(subject.query(daily(), { signal: AbortSignal.abort() })), { code: 'aborted' }),
          { id: 'aborted', needs: ['dailyCosts'] },
        );
      });
    },
    { fixture, supports: (subject, capability) => subject.supports(capability as CostSourceCapability) },
  );
}
