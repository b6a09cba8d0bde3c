import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rfmSummary } from '../src/churn';

describe('rfmSummary', () => {
  const transactions = [
    { customerId: 'a', at: '2024-01-01', value: 10 },
    { customerId: 'b', at: '2024-01-05T12:00:00Z', value: 7 },
    { customerId: 'a', at: '2024-01-01T18:30:00Z', value: 5 },
    { customerId: 'a', at: new Date('2024-01-15T09:00:00Z'), value: 20 },
    { customerId: 'a', at: '2024-01-29', value: 40 },
    { customerId: 'a', at: '2024-03-01', value: 999 },
    { customerId: 'c', at: '2024-02-01', value: 3 },
  ];

  it('aggregates same-day purchases and measures recency and T from the first purchase', () => {
    const rows = rfmSummary(transactions, { calibrationEnd: '2024-01-31', timeUnit: 'days' });
    expect(rows).toEqual([
      { customerId: 'a', frequency: 2, recency: 28, T: 30, monetaryValue: 30 },
      { customerId: 'b', frequency: 0, recency: 0, T: 26, monetaryValue: 0 },
    ]);
  });

  it('expresses durations in weeks as days / 7 and includes the calibration end day', () => {
    const rows = rfmSummary(transactions, { calibrationEnd: '2024-02-01', timeUnit: 'weeks' });
    expect(rows.map((r) => r.customerId)).toEqual(['a', 'b', 'c']);
    expect(rows[0]?.recency).toBeCloseTo(4, 12);
    expect(rows[0]?.T).toBeCloseTo(31 / 7, 12);
    expect(rows[2]).toEqual({ customerId: 'c', frequency: 0, recency: 0, T: 0, monetaryValue: 0 });
  });

  it('ignores transactions before observationStart', () => {
    const rows = rfmSummary(transactions, { calibrationEnd: '2024-01-31', timeUnit: 'days', observationStart: '2024-01-10' });
    expect(rows).toEqual([{ customerId: 'a', frequency: 1, recency: 14, T: 16, monetaryValue: 40 }]);
  });

  it('keeps numeric ids', () => {
    const rows = rfmSummary([{ customerId: 7, at: '2024-01-01', value: 1 }], { calibrationEnd: '2024-01-02', timeUnit: 'days' });
    expect(rows[0]?.customerId).toBe(7);
  });

  it('produces valid customers for any transaction log', () => {
    const tx = fc.record({
      customerId: fc.constantFrom('x', 'y', 'z'),
      at: fc.integer({ min: 0, max: 400 }).map((d) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000)),
      value: fc.double({ min: 0, max: 100, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(tx, { minLength: 1, maxLength: 40 }), (list) => {
        const rows = rfmSummary(list, { calibrationEnd: '2024-10-01', timeUnit: 'weeks' });
        for (const r of rows) {
          const own = list.filter((t) => t.customerId === r.customerId && t.at.getTime() <= Date.UTC(2024, 9, 1));
          expect(Number.isInteger(r.frequency)).toBe(true);
          expect(r.frequency).toBeLessThan(own.length);
          expect(r.recency).toBeLessThanOrEqual(r.T);
          expect(r.recency === 0).toBe(r.frequency === 0);
          expect(r.monetaryValue).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});
