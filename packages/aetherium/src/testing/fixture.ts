import type { CostRange } from '../spec';

/** What every cost source under test is seeded with. */
export interface CostSourceFixture {
  /** FOCUS charges as an export holds them: strings, with `NULL` literals for missing values. */
  readonly rows: readonly Readonly<Record<string, string>>[];
  /** The month the assertions query, `[2024-09-01, 2024-10-01)`. */
  readonly range: CostRange;
}

const COLUMNS = ['ChargePeriodStart', 'ChargePeriodEnd', 'ServiceName', 'ServiceCategory', 'SubAccountId', 'RegionId', 'ChargeCategory', 'BilledCost', 'EffectiveCost', 'ListCost', 'BillingCurrency', 'Tags'] as const;

const row = (values: readonly string[]): Readonly<Record<string, string>> =>
  Object.freeze(Object.fromEntries(COLUMNS.map((column, index) => [column, values[index] ?? 'NULL'])));

/**
 * Ten charges built to catch the usual aggregation mistakes: a charge before the range and one
 * exactly at its (exclusive) end, a charge that starts at 23:00 and ends the next day (it
 * belongs to its start day), USD and EUR charges of the same service and day (never summed), a
 * credit, a tax row, a charge without `ListCost` (`NULL`) and rows without tags.
 *
 * Expected, by hand: daily USD totals of billed cost are 17 (Sept 1), 2 (Sept 2: 4 − 2 credit),
 * 1 (Sept 3) and 6 (Sept 30); EUR 3 on Sept 1; the September USD total is 26.
 */
export const COST_SOURCE_FIXTURE: CostSourceFixture = Object.freeze({
  range: Object.freeze({ start: '2024-09-01', end: '2024-10-01' }),
  rows: Object.freeze([
    row(['2024-08-31 23:00:00', '2024-09-01 00:00:00', 'Compute', 'Compute', 'acct-a', 'us-east-1', 'Usage', '100', '100', '100', 'USD', 'NULL']),
    row(['2024-09-01 00:00:00', '2024-09-01 01:00:00', 'Compute', 'Compute', 'acct-a', 'us-east-1', 'Usage', '10', '8', '12', 'USD', '{"team": "core", "env": "prod"}']),
    row(['2024-09-01 05:00:00', '2024-09-01 06:00:00', 'Compute', 'Compute', 'acct-b', 'eu-west-1', 'Usage', '5', '5', 'NULL', 'USD', '{"team": "data"}']),
    row(['2024-09-01 10:00:00', '2024-09-01 11:00:00', 'Storage', 'Storage', 'acct-a', 'us-east-1', 'Usage', '2', '2', '2', 'USD', 'NULL']),
    row(['2024-09-01 10:00:00', '2024-09-01 11:00:00', 'Storage', 'Storage', 'acct-a', 'eu-west-1', 'Usage', '3', '3', '3', 'EUR', '{"team": "core"}']),
    row(['2024-09-02 23:00:00', '2024-09-03 01:00:00', 'Compute', 'Compute', 'acct-a', 'us-east-1', 'Usage', '4', '4', '4', 'USD', '{"team": "core"}']),
    row(['2024-09-02 12:00:00', '2024-09-02 13:00:00', 'Compute', 'Compute', 'acct-a', 'us-east-1', 'Credit', '-2', '-2', 'NULL', 'USD', 'NULL']),
    row(['2024-09-03 00:00:00', '2024-09-04 00:00:00', 'Compute', 'Compute', 'acct-a', 'us-east-1', 'Tax', '1', '1', '1', 'USD', 'NULL']),
    row(['2024-09-30 23:00:00', '2024-10-01 00:00:00', 'Storage', 'Storage', 'acct-b', 'us-east-1', 'Usage', '6', '6', '6', 'USD', '{"team": "data"}']),
    row(['2024-10-01 00:00:00', '2024-10-01 01:00:00', 'Storage', 'Storage', 'acct-b', 'us-east-1', 'Usage', '7', '7', '7', 'USD', 'NULL']),
  ]),
});

/** The fixture as FOCUS CSV text (header row, quoted fields, `NULL` literals unquoted). */
export function fixtureToCsv(fixture: CostSourceFixture = COST_SOURCE_FIXTURE): string {
  const quote = (value: string) => (value === 'NULL' ? 'NULL' : `"${value.replace(/"/g, '""')}"`);
  const header = Object.keys(fixture.rows[0] ?? {});
  return [header.join(','), ...fixture.rows.map((r) => header.map((column) => quote(r[column] ?? 'NULL')).join(','))].join('\n') + '\n';
}
