import { expectAlmanacError } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../src/adapters/duckdb/index';
import { createCollector, createMemoryOutbox, createWarehouseSink } from '../src/index';
import { describeWarehouseConformance } from '../src/testing/index';

describeWarehouseConformance({ name: 'duckdb (in memory)', create: () => createDuckDbWarehouse(), destroy: (warehouse) => warehouse.close() });

describe('createDuckDbWarehouse', () => {
  it('the warehouse sink loads collected messages once, even when delivered twice', async () => {
    const warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
    const sink = createWarehouseSink(warehouse);
    const collector = await createCollector({ outbox: createMemoryOutbox(), sinks: [sink] });
    const order = await collector.track({ userId: 'u1', event: 'Order Completed', properties: { revenue: 25.5 }, timestamp: '2026-01-02T00:00:00Z' });
    await collector.identify({ userId: 'u1', anonymousId: 'a1', traits: { email: ' Ana@Example.com ', plan: 'pro' } });
    await collector.flush();
    // A redelivery after a crash carries the same messageId.
    const [again] = await warehouse.query({ sql: 'SELECT * FROM events WHERE message_id = $id', params: { id: order.messageId } });
    await sink.deliver(
      [{ type: 'track', messageId: order.messageId, timestamp: '2026-01-02T00:00:00.000Z', userId: 'u1', event: 'Order Completed', properties: { revenue: 25.5 } }],
      { signal: new AbortController().signal },
    );
    const events = await warehouse.query({ sql: 'SELECT type, revenue, ts_ms FROM events ORDER BY ts_ms', params: {} });
    expect(events.map((row) => row['type'])).toEqual(['track', 'identify']);
    expect(again?.['revenue']).toBe(25.5);
    expect(events[0]?.['ts_ms']).toBe(Date.parse('2026-01-02T00:00:00Z'));
    const ids = await warehouse.query({ sql: 'SELECT id_type, id_value FROM identities ORDER BY id_type, id_value', params: {} });
    expect(ids.map((row) => `${row['id_type']}=${row['id_value']}`)).toEqual(['anonymous_id=a1', 'email=ana@example.com', 'user_id=u1']);
    await warehouse.close();
  });

  it('refuses a database at another schema version', async () => {
    const warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
    await warehouse.query({ sql: "UPDATE cdp_meta SET meta_value = '99' WHERE meta_key = 'schema_version'", params: {} });
    await expectAlmanacError(warehouse.ensureSchema(), { code: 'config', message: /schema version 99/ });
    await warehouse.close();
  });

  it('validates queries: parameter names are identifiers, values finite', async () => {
    const warehouse = createDuckDbWarehouse();
    await expectAlmanacError(warehouse.query({ sql: 'SELECT 1', params: { 'a;b': 1 } }), { code: 'validation' });
    await expectAlmanacError(warehouse.query({ sql: 'SELECT $x', params: { x: Number.NaN } }), { code: 'validation', field: 'query.params.x' });
    await expectAlmanacError(warehouse.dryRun({ sql: 'SELECT 1', params: {} }), { code: 'capability' });
    await warehouse.close();
  });
});
