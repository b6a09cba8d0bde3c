import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectAlmanacError } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemoryCostSource } from '../src/adapters/memory/index';
import { collectCosts } from '../src/facade/index';
import { checkBudgets, combineSources, detectCostAnomalies, forecast, recommendSavings, renderCostReport } from '../src/index';
import { parseFocusCsv } from '../src/model/csv';
import { COST_SOURCE_FIXTURE } from '../src/testing/index';

/** 8 weeks of daily charges: Compute steady at 100 with a weekly dip, Storage at 20, and a spike on one day. */
function synthetic(spikeDay = '2024-10-23', spike = 400, currency = 'USD') {
  const rows: Record<string, string>[] = [];
  const start = Date.UTC(2024, 8, 1);
  for (let d = 0; d < 56; d++) {
    const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    const weekend = new Date(start + d * 86_400_000).getUTCDay() % 6 === 0;
    const compute = (weekend ? 60 : 100) + (d % 3) + (day === spikeDay ? spike : 0);
    rows.push({ ChargePeriodStart: `${day} 00:00:00`, ChargePeriodEnd: `${day} 23:59:59`, ServiceName: 'Compute', BilledCost: String(compute), EffectiveCost: String(compute), BillingCurrency: currency });
    rows.push({ ChargePeriodStart: `${day} 00:00:00`, ChargePeriodEnd: `${day} 23:59:59`, ServiceName: 'Storage', BilledCost: String(20 + (d % 2)), EffectiveCost: String(20 + (d % 2)), BillingCurrency: currency });
  }
  return rows;
}

describe('combineSources', () => {
  it('adds rows of the same period, group and currency, keeps currencies apart, and intersects capabilities', async () => {
    const a = createMemoryCostSource({ rows: COST_SOURCE_FIXTURE.rows, name: 'a' });
    const b = createMemoryCostSource({ rows: COST_SOURCE_FIXTURE.rows, name: 'b', capabilities: { groupByTag: false } });
    const both = combineSources([a, b]);
    const query = { range: COST_SOURCE_FIXTURE.range, granularity: 'monthly' as const, groupBy: [] };
    const single = await collectCosts(a.query(query));
    const combined = await collectCosts(both.query(query));
    expect(combined.map((r) => [r.currency, r.billedCost])).toEqual(single.map((r) => [r.currency, 2 * r.billedCost]));
    expect(both.supports('groupByTag')).toBe(false);
    await expectAlmanacError(async () => collectCosts(both.query({ ...query, groupBy: ['Tag:team'] })), { code: 'capability' });
    expect(() => combineSources([])).toThrow(/sources/);
  });
});

describe('detectCostAnomalies', () => {
  it('finds the spike with its expected cost and impact, and nothing on the steady service', async () => {
    const source = createMemoryCostSource({ rows: synthetic() });
    const { anomalies, series } = await detectCostAnomalies(source, { range: { start: '2024-09-01', end: '2024-10-27' } });
    expect(anomalies.map((a) => [a.date, a.group, a.currency])).toEqual([['2024-10-23', 'Compute', 'USD']]);
    expect(anomalies[0]!.impact).toBeGreaterThan(350);
    expect(anomalies[0]!.expected).toBeGreaterThan(95);
    expect(series['USD']?.['Storage']).toHaveLength(56);
  });
});

describe('forecast', () => {
  it('forecasts each currency with an interval around the recent level', async () => {
    const source = createMemoryCostSource({ rows: [...synthetic('2000-01-01', 0), ...synthetic('2000-01-01', 0, 'EUR').slice(0, 20)] });
    const results = await forecast(source, { horizonDays: 14, asOf: '2024-10-27' });
    expect(results.map((r) => r.currency)).toEqual(['EUR', 'USD']);
    const usd = results[1]!;
    expect(usd.total.dates[0]).toBe('2024-10-27');
    expect(usd.total.dates).toHaveLength(14);
    const meanDaily = usd.expectedTotal / 14;
    expect(meanDaily).toBeGreaterThan(90);
    expect(meanDaily).toBeLessThan(130);
    usd.total.forecast.forEach((value, i) => {
      expect(usd.total.lower[i]).toBeLessThanOrEqual(value);
      expect(usd.total.upper[i]).toBeGreaterThanOrEqual(value);
    });
    expect(await forecast(source, { horizonDays: 14, asOf: '2024-10-27' })).toEqual(results);
    await expectAlmanacError(() => forecast(source, { horizonDays: 0 }), { code: 'validation', field: 'options.horizonDays' });
  });
});

describe('checkBudgets', () => {
  it('warns from the forecast before the budget is spent, and reports an exceeded one', async () => {
    const source = createMemoryCostSource({ rows: synthetic('2000-01-01', 0) });
    // October to the 20th: about 20 × 112 spent; the month will end near 3,400.
    const [roomy, tight, spent] = await checkBudgets(
      source,
      [
        { name: 'roomy', amount: 10_000, currency: 'USD' },
        { name: 'tight', amount: 3_000, currency: 'USD' },
        { name: 'spent', amount: 1_000, currency: 'USD' },
      ],
      { asOf: '2024-10-21' },
    );
    expect(roomy?.state).toBe('ok');
    expect(tight?.actual).toBeLessThan(3_000);
    expect(tight?.state).toBe('forecast-exceeds');
    expect(tight?.crossed).toEqual([]);
    expect(tight?.forecastToCross).toEqual([0.8, 1]);
    expect(tight?.daysRemaining).toBe(11);
    expect(spent?.state).toBe('exceeded');
    expect(spent?.crossed).toEqual([0.8, 1]);
    await expectAlmanacError(() => checkBudgets(source, [{ name: 'x', amount: -1, currency: 'usd' }]), { code: 'validation', field: 'budgets.0.amount' });
  });
});

describe('recommendSavings', () => {
  const sizes = [
    { name: 'large', vcpu: 4, memoryGiB: 16, monthlyPrice: 120 },
    { name: 'medium', vcpu: 2, memoryGiB: 8, monthlyPrice: 60 },
    { name: 'small', vcpu: 1, memoryGiB: 4, monthlyPrice: 30 },
  ];
  const examples = new URL('../../../datasets/focus/spec_v1.2_examples/', import.meta.url).pathname;

  it('rightsizes, flags idle compute, tiers cold storage and reads commitment utilisation from FOCUS rows, deterministically', () => {
    const costs = parseFocusCsv(readFileSync(join(examples, 'commitment_discount_flexibility__zero_percent_utilization_without_commitment_discount_flexibility.csv'), 'utf8'), { defaultCurrency: 'USD' });
    const input = {
      costs,
      compute: [
        { resourceId: 'i-busy', currentSize: 'large', sizes, cpuPercentiles: { p95: 0.9 }, memoryPercentiles: { p95: 3 } },
        { resourceId: 'i-idle', currentSize: 'medium', sizes, cpuPercentiles: { p95: 0.01 }, memoryPercentiles: { p95: 0.5 } },
      ],
      storage: [{ resourceId: 's3://archive-logs', provider: 'aws' as const, object: { sizeBytes: 5 * 2 ** 40, ageDays: 400, currentClass: 'STANDARD', daysSinceLastAccess: 380, readsPerMonth: 0, bytesReadPerMonth: 0 } }],
    };
    const found = recommendSavings(input);
    const kinds = found.map((r) => [r.kind, r.resourceId]);
    expect(kinds).toContainEqual(['rightsize', 'i-busy']);
    expect(kinds).toContainEqual(['idle', 'i-idle']);
    expect(kinds).toContainEqual(['storage-tier', 's3://archive-logs']);
    expect(kinds).toContainEqual(['commitment-utilization', '<my-commitment-discount-id>']);
    expect(found.find((r) => r.kind === 'rightsize')).toMatchObject({ monthlySaving: 60, evidence: { to: 'medium' } }); // 0.9 vCPU × 1.2 headroom needs 2 vCPU
    expect(found.find((r) => r.kind === 'idle')?.monthlySaving).toBe(60);
    const commitment = found.find((r) => r.kind === 'commitment-utilization')!;
    expect(commitment.evidence['utilization']).toBe(0);
    // 1.50 unused in one hour, over a month.
    expect(commitment.monthlySaving).toBeCloseTo(1.5 * 24 * 30.4375, 1);
    for (let i = 1; i < found.length; i++) expect(found[i - 1]!.monthlySaving).toBeGreaterThanOrEqual(found[i]!.monthlySaving);
    expect(recommendSavings(input)).toEqual(found);
  });

  it('names the bad field', async () => {
    await expectAlmanacError(() => recommendSavings({ compute: [{ resourceId: 'x', currentSize: 'huge', sizes, cpuPercentiles: { p95: 1 }, memoryPercentiles: { p95: 1 } }] }), { code: 'validation', field: 'compute.0.currentSize' });
  });
});

describe('renderCostReport', () => {
  it('is self-contained HTML with the two SVG charts, escaped text, marked anomalies and the savings table', async () => {
    const rows = synthetic();
    rows.push({ ...rows[0]!, ServiceName: '<script>alert(1)</script>' });
    const source = createMemoryCostSource({ rows });
    const range = { start: '2024-09-01', end: '2024-10-27' };
    const daily = await collectCosts(source.query({ range, granularity: 'daily', groupBy: ['ServiceName'] }));
    const { anomalies } = await detectCostAnomalies(source, { range });
    const [usd] = await forecast(source, { horizonDays: 14, asOf: '2024-10-27' });
    const html = renderCostReport({ currency: 'USD', daily, anomalies, forecast: usd, savings: [{ kind: 'idle', resourceId: 'i-1', title: 'Stop <i-1>', monthlySaving: 60, currency: 'USD', evidence: {} }] });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<svg id="chart-daily"');
    expect(html).toContain('<svg id="chart-forecast"');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Stop &lt;i-1&gt;');
    expect(html.match(/<circle /g)).toHaveLength(anomalies.length);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(renderCostReport({ currency: 'USD', daily, anomalies, forecast: usd })).toBe(renderCostReport({ currency: 'USD', daily, anomalies, forecast: usd }));
  });
});
