import { SPECIFICATION_VERSION } from '@almanac/core/kit';
import { checkCapabilityTable, describeConformance } from '@almanac/core/testing';
import type { ConformanceOptions } from '@almanac/core/testing';
import { expect } from 'vitest';
import { WAREHOUSE_CAPABILITY_METHODS } from '../spec';
import type { EventRow, WarehouseProvider } from '../spec';
import { createWarehouse } from '../warehouse/facade';
import type { Warehouse } from '../warehouse/facade';

/** Options of {@link describeWarehouseConformance}: core's conformance shape; `create` returns a fresh, empty warehouse. */
export type WarehouseConformanceOptions = ConformanceOptions<Warehouse>;

const event = (id: string, profile: string, ts: number, revenue: number | null): EventRow => ({
  messageId: id,
  type: 'track',
  event: 'Order Completed',
  profileId: profile,
  userId: profile,
  anonymousId: null,
  timestampMs: ts,
  revenue,
  properties: JSON.stringify({ revenue }),
});

/**
 * Registers the warehouse conformance suite for one adapter: contract and capability table,
 * idempotent schema creation, loads deduplicated on their keys (a redelivered batch is a no-op),
 * newest profile wins, and parameters bound as values, never as SQL.
 */
export function describeWarehouseConformance(options: WarehouseConformanceOptions): void {
  describeConformance<Warehouse>(
    'cdp warehouse',
    options,
    (suite) => {
      suite.test('declares name, specificationVersion v1 and a dialect', (warehouse) => {
        expect(warehouse.provider.name.length).toBeGreaterThan(0);
        expect(warehouse.provider.specificationVersion).toBe(SPECIFICATION_VERSION);
        expect(['duckdb', 'bigquery']).toContain(warehouse.dialect);
      });
      suite.test('every declared capability has its methods; others are refused before the provider is called', (warehouse) =>
        checkCapabilityTable<WarehouseProvider, Warehouse>({
          provider: warehouse.provider,
          capabilityMethods: WAREHOUSE_CAPABILITY_METHODS,
          facade: (provider) => createWarehouse(provider),
          calls: { dryRun: (facade) => facade.dryRun({ sql: 'SELECT 1', params: {} }) },
        }),
      );
      suite.test('loads are idempotent: a redelivered batch adds nothing', async (warehouse) => {
        await warehouse.ensureSchema();
        await warehouse.ensureSchema();
        const rows = [event('e1', 'p1', 1000, 10), event('e2', 'p1', 2000, null), event('e1', 'p1', 1000, 10)];
        await warehouse.load({ events: rows });
        await warehouse.load({ events: rows });
        const counted = await warehouse.query({ sql: `SELECT COUNT(*) AS n, SUM(revenue) AS total FROM ${warehouse.qualify('events')}`, params: {} });
        expect(counted.map((row) => [Number(row['n']), Number(row['total'])])).toEqual([[2, 10]]);
      });
      suite.test('the newest profile row wins', async (warehouse) => {
        await warehouse.ensureSchema();
        await warehouse.load({ profiles: [{ profileId: 'p1', traits: '{"plan":"free"}', updatedMs: 1 }] });
        await warehouse.load({
          profiles: [
            { profileId: 'p1', traits: '{"plan":"pro"}', updatedMs: 3 },
            { profileId: 'p1', traits: '{"plan":"team"}', updatedMs: 2 },
          ],
        });
        const rows = await warehouse.query({ sql: `SELECT traits FROM ${warehouse.qualify('profiles')} WHERE profile_id = ${warehouse.dialect === 'duckdb' ? '$id' : '@id'}`, params: { id: 'p1' } });
        expect(rows.map((row) => row['traits'])).toEqual(['{"plan":"pro"}']);
      });
      suite.test('parameters are values, never SQL', async (warehouse) => {
        await warehouse.ensureSchema();
        const payload = "x' OR 1=1; DROP TABLE events; --";
        await warehouse.load({ events: [event('e9', payload, 5, 1)] });
        const p = warehouse.dialect === 'duckdb' ? '$id' : '@id';
        const rows = await warehouse.query({ sql: `SELECT profile_id FROM ${warehouse.qualify('events')} WHERE profile_id = ${p}`, params: { id: payload } });
        expect(rows.map((row) => row['profile_id'])).toEqual([payload]);
        const none = await warehouse.query({ sql: `SELECT COUNT(*) AS n FROM ${warehouse.qualify('events')} WHERE profile_id = ${p}`, params: { id: "' OR '1'='1" } });
        expect(Number(none[0]?.['n'])).toBe(0);
      });
    },
    { scope: 'test' },
  );
}
