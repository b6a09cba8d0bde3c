import { expectAlmanacError } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords, parseFocusCsv } from '../src/model/csv';
import { parseFocusRow } from '../src/model/focus-row';

const base = { BilledCost: '1.5', EffectiveCost: '1', BillingCurrency: 'USD', ChargePeriodStart: '2024-09-18 22:00:00', ChargePeriodEnd: '2024-09-18T23:00:00Z' };

describe('parseFocusRow', () => {
  it('maps NULL literals and empty fields to null, dates to UTC instants, Tags to an object, and keeps other columns in extra', () => {
    const row = parseFocusRow({ ...base, ListCost: 'NULL', RegionId: '', Tags: '{"team": "core", "n": 3}', Id: '42', x_Discount: 'NULL' });
    expect(row.BilledCost).toBe(1.5);
    expect(row.ListCost).toBeNull();
    expect(row.RegionId).toBeNull();
    expect(row.ChargePeriodStart).toBe('2024-09-18T22:00:00.000Z');
    expect(row.ChargePeriodEnd).toBe('2024-09-18T23:00:00.000Z');
    expect(row.Tags).toEqual({ team: 'core', n: '3' });
    expect(row.extra).toEqual({ Id: '42', x_Discount: null });
    expect(row.CommitmentDiscountStatus).toBeNull();
  });

  it('reads a zone offset', () => {
    expect(parseFocusRow({ ...base, ChargePeriodStart: '2024-09-19T00:30:00+02:00' }).ChargePeriodStart).toBe('2024-09-18T22:30:00.000Z');
  });

  it('names every bad field', async () => {
    const error = await expectAlmanacError(() => parseFocusRow({ ...base, BilledCost: '$10.00', BillingCurrency: 'dollars', Tags: '[1]', EffectiveCost: 'NULL' }, { path: 'rows.3' }), { code: 'validation' });
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['rows.3.BilledCost', 'rows.3.BillingCurrency', 'rows.3.EffectiveCost', 'rows.3.Tags']);
  });

  it('refuses an end before the start and an impossible date', async () => {
    await expectAlmanacError(() => parseFocusRow({ ...base, ChargePeriodEnd: '2024-09-18 21:00:00' }), { code: 'validation', field: 'ChargePeriodEnd' });
    await expectAlmanacError(() => parseFocusRow({ ...base, ChargePeriodStart: '2024-02-31 00:00:00' }), { code: 'validation', field: 'ChargePeriodStart' });
  });
});

describe('CSV', () => {
  it('handles quotes, doubled quotes, commas and line breaks in fields, a BOM and blank lines', () => {
    expect(parseCsvRecords('\ufeffa,b\r\n"x, ""y""","line\nbreak"\n\n1,2\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', 'line\nbreak'],
      ['1', '2'],
    ]);
  });

  it('parseFocusCsv names the row of a bad field', async () => {
    const text = 'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd\n1,1,USD,2024-09-01,2024-09-02\nx,1,USD,2024-09-01,2024-09-02\n';
    await expectAlmanacError(() => parseFocusCsv(text), { code: 'validation', field: 'rows.1.BilledCost' });
    expect(parseFocusCsv(text.split('\n').slice(0, 2).join('\n'))).toHaveLength(1);
  });
});
