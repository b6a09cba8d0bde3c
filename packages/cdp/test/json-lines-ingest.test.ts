// The JSON-lines ingest path (file outbox `readEncoded` → warehouse sink `deliverEncoded` →
// DuckDB `loadMessageLines`, where DuckDB parses the messages) must load the same rows as the
// row path (`deliver` → `load`, parsed in JS), deduplicate on messageId, load a batch whole or
// not at all, and hand back to the row path whatever it cannot convert exactly.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DuckDbInstanceLike } from '../src/adapters/duckdb/index';
import { createDuckDbWarehouse, createDuckDbWarehouseProvider } from '../src/adapters/duckdb/index';
import type { CdpMessage, Warehouse } from '../src/index';
import { createCollector, createFileOutbox, createWarehouse, createWarehouseSink } from '../src/index';

const NEVER = new AbortController().signal;
const at = (i: number) => new Date(Date.UTC(2026, 11, 3, 8, 0, i)).toISOString();

// Every message type and the value shapes the row path treats specially.
const MESSAGES: CdpMessage[] = [
  { type: 'track', messageId: 'm01', timestamp: at(1), userId: 'u1', event: 'Order Completed', properties: { revenue: 12.5, sku: 'ünï "q" \\ 😀 </script>', nested: { a: [1, 'two', null, true] } } },
  { type: 'track', messageId: 'm02', timestamp: at(2), userId: 'u1', event: 'Order Completed', properties: { revenue: '12' } },
  { type: 'track', messageId: 'm03', timestamp: at(3), anonymousId: 'a1', event: 'Viewed', properties: { revenue: 0, big: 1e21, small: 1.5e-7, neg: -5, int: 123456789012 } },
  { type: 'track', messageId: 'm04', timestamp: at(4), userId: 'u2', anonymousId: 'a2', event: 'Viewed' },
  { type: 'page', messageId: 'm05', timestamp: at(5), userId: 'u2', name: 'Home', properties: { path: '/' } },
  { type: 'page', messageId: 'm06', timestamp: at(6), anonymousId: 'a3' },
  { type: 'group', messageId: 'm07', timestamp: at(7), userId: 'u3', groupId: 'g1', traits: { revenue: 3, plan: 'pro' } },
  { type: 'identify', messageId: 'm08', timestamp: at(8), userId: 'u3', traits: { email: ' Ann@Example.COM ', twitch: 'ann_tv', discord: '', revenue: 7 } },
  { type: 'identify', messageId: 'm09', timestamp: at(9), anonymousId: 'a4' },
  { type: 'alias', messageId: 'm10', timestamp: at(10), userId: 'u4', previousId: 'a4' },
  { type: 'track', messageId: 'm11', timestamp: at(11), userId: 'u1', event: 'Line\nbreak', properties: { text: 'tab\there\u2028', revenue: -1.25 } },
] as CdpMessage[];

const lines = (messages: readonly CdpMessage[]) => messages.map((message) => JSON.stringify(message)).join('\n');

async function rows(warehouse: Warehouse) {
  const events = await warehouse.query({ sql: 'SELECT * FROM events ORDER BY message_id', params: {} });
  const identities = await warehouse.query({ sql: 'SELECT * FROM identities ORDER BY id_type, id_value, profile_id', params: {} });
  // Properties are JSON text: compared as values (DuckDB and JSON.stringify may space or spell numbers differently).
  return { events: events.map((row) => ({ ...row, properties: JSON.parse(row['properties'] as string) })), identities };
}

async function count(warehouse: Warehouse, table: 'events' | 'identities') {
  const [row] = await warehouse.query({ sql: `SELECT COUNT(*) AS n FROM ${table}`, params: {} });
  return row?.['n'];
}

describe('JSON lines into DuckDB', () => {
  let warehouses: Warehouse[] = [];
  const open = async (options: Parameters<typeof createDuckDbWarehouse>[0] = {}) => {
    const warehouse = createDuckDbWarehouse(options);
    await warehouse.ensureSchema();
    warehouses.push(warehouse);
    return warehouse;
  };
  afterEach(async () => {
    for (const warehouse of warehouses) await warehouse.close();
    warehouses = [];
  });

  it('loads the same events and identities as the row path, for every message type', async () => {
    const viaLines = await open();
    const viaRows = await open();
    const loaded = await viaLines.loadMessageLines?.({ lines: lines(MESSAGES), identities: [] });
    expect(loaded).toBe(true);
    await createWarehouseSink(viaRows).deliver(MESSAGES, { signal: NEVER });
    // Identify and alias messages' other identities come from the sink's scan, so compare through the sink as well.
    const viaSink = await open();
    await createWarehouseSink(viaSink).deliverEncoded?.({ count: MESSAGES.length, lastSeq: MESSAGES.length, lines: lines(MESSAGES) }, { signal: NEVER });
    const expected = await rows(viaRows);
    expect(expected.events).toHaveLength(MESSAGES.length);
    expect((await rows(viaLines)).events).toEqual(expected.events);
    expect(await rows(viaSink)).toEqual(expected);
    expect(expected.identities).toContainEqual({ profile_id: 'u3', id_type: 'email', id_value: 'ann@example.com' });
  });

  it('deduplicates on messageId: a redelivered batch adds nothing, a messageId twice in a batch is one row', async () => {
    const warehouse = await open();
    const first = MESSAGES.slice(0, 4);
    expect(await warehouse.loadMessageLines?.({ lines: lines(first), identities: [] })).toBe(true);
    expect(await warehouse.loadMessageLines?.({ lines: lines(first), identities: [] })).toBe(true);
    expect(await count(warehouse, 'events')).toBe(4);
    const withRepeat = [MESSAGES[4], MESSAGES[5], MESSAGES[4], MESSAGES[0]] as CdpMessage[];
    expect(await warehouse.loadMessageLines?.({ lines: lines(withRepeat), identities: [] })).toBe(true);
    expect(await count(warehouse, 'events')).toBe(6);
    const ids = await warehouse.query({ sql: "SELECT id_value FROM identities WHERE id_type = 'anonymous_id' ORDER BY id_value", params: {} });
    expect(ids.map((row) => row['id_value'])).toEqual(['a1', 'a2', 'a3']);
  });

  it('a failure in the middle of a batch leaves nothing of it; the redelivery loads it whole', async () => {
    const real = await DuckDBInstance.create(':memory:');
    let failIdentities = true;
    // Wraps the real connection so the identities statement (after the events one) fails.
    const instance: DuckDbInstanceLike = {
      async connect() {
        const connection = (await real.connect()) as unknown as { run(sql: string, values?: Record<string, unknown>): Promise<unknown> };
        const run = connection.run.bind(connection);
        connection.run = (sql, values) => (failIdentities && /^INSERT (OR IGNORE )?INTO identities/.test(sql.trimStart()) ? Promise.reject(new Error('disk full')) : run(sql, values));
        return connection as unknown as Awaited<ReturnType<DuckDbInstanceLike['connect']>>;
      },
      closeSync: () => real.closeSync(),
    };
    const warehouse = await open({ instance });
    const sink = createWarehouseSink(warehouse);
    const batch = { count: MESSAGES.length, lastSeq: MESSAGES.length, lines: lines(MESSAGES) };
    await expect(sink.deliverEncoded?.(batch, { signal: NEVER })).rejects.toThrow(/disk full/);
    expect(await count(warehouse, 'events')).toBe(0);
    expect(await count(warehouse, 'identities')).toBe(0);
    failIdentities = false;
    await sink.deliverEncoded?.(batch, { signal: NEVER });
    expect(await count(warehouse, 'events')).toBe(MESSAGES.length);
    real.closeSync();
  });

  it('a sink over a warehouse without loadMessageLines (BigQuery) takes JSON lines through the row path', async () => {
    const operations: string[] = [];
    const { loadMessageLines: _dropped, ...rowsOnly } = createDuckDbWarehouseProvider();
    const warehouse = createWarehouse(rowsOnly, { onAudit: (event) => operations.push(event.operation) });
    warehouses.push(warehouse);
    await warehouse.ensureSchema();
    await createWarehouseSink(warehouse).deliverEncoded?.({ count: MESSAGES.length, lastSeq: MESSAGES.length, lines: lines(MESSAGES) }, { signal: NEVER });
    expect(operations).toEqual(['ensureSchema', 'load']);
    expect(await count(warehouse, 'events')).toBe(MESSAGES.length);
  });

  it('refuses (loading nothing) what it cannot convert exactly; the sink then loads it through the row path', async () => {
    const warehouse = await open();
    // Not the collector's toISOString form: Date.parse reads it, DuckDB is not asked to guess.
    const odd = [{ ...MESSAGES[0], messageId: 'odd-ts', timestamp: '2026-12-03T08:00:00Z' }] as CdpMessage[];
    expect(await warehouse.loadMessageLines?.({ lines: lines(odd), identities: [] })).toBe(false);
    expect(await count(warehouse, 'events')).toBe(0);
    // An identify message whose text does not carry the literal the sink scans for.
    const spaced = JSON.stringify(MESSAGES[7]).replace('"type":"identify"', '"type": "identify"');
    expect(await warehouse.loadMessageLines?.({ lines: spaced, identities: [] })).toBe(false);
    expect(await count(warehouse, 'events')).toBe(0);

    const sink = createWarehouseSink(warehouse);
    await sink.deliverEncoded?.({ count: 2, lastSeq: 2, lines: `${lines(odd)}\n${spaced}` }, { signal: NEVER });
    const loaded = await warehouse.query({ sql: 'SELECT message_id, ts_ms FROM events ORDER BY message_id', params: {} });
    expect(loaded).toEqual([
      { message_id: 'm08', ts_ms: Date.parse(at(8)) },
      { message_id: 'odd-ts', ts_ms: Date.parse('2026-12-03T08:00:00Z') },
    ]);
    const emails = await warehouse.query({ sql: "SELECT id_value FROM identities WHERE id_type = 'email'", params: {} });
    expect(emails).toEqual([{ id_value: 'ann@example.com' }]);
  });
});

describe('collector over the file outbox and the warehouse sink', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cdp-lines-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appendJson appends one message from its text, durable when it resolves, refusing oversized texts and a closed outbox', async () => {
    const outbox = await createFileOutbox({ dir });
    await outbox.registerConsumers(['w']);
    const texts = MESSAGES.slice(0, 3).map((message) => JSON.stringify(message));
    await Promise.all(texts.map((text) => outbox.appendJson?.(text)));
    await outbox.append([MESSAGES[3] as CdpMessage]);
    expect((await outbox.read('w', 10)).map((record) => [record.seq, record.message])).toEqual(MESSAGES.slice(0, 4).map((message, i) => [i + 1, message]));
    await expect(outbox.appendJson?.(JSON.stringify({ ...MESSAGES[0], properties: { pad: 'x'.repeat(1 << 20) } }))).rejects.toMatchObject({ code: 'validation' });
    await outbox.close();
    // Reopened: what resolved is on disk.
    const reopened = await createFileOutbox({ dir });
    await reopened.registerConsumers(['w']);
    expect(reopened.stats().lastSeq).toBe(4);
    await reopened.close();
    await expect(reopened.appendJson?.(texts[0] as string)).rejects.toMatchObject({ code: 'config' });
  });

  it('readEncoded keeps one message per line when a stored JSON text has line breaks between tokens', async () => {
    const outbox = await createFileOutbox({ dir });
    await outbox.registerConsumers(['w']);
    const messages = MESSAGES.slice(0, 6);
    // Pretty-printed texts (as a caller of append may supply) next to compact ones.
    await outbox.append(messages, messages.map((message, i) => (i % 2 === 0 ? JSON.stringify(message, null, 2) : JSON.stringify(message))));
    const batch = await outbox.readEncoded?.('w', 100);
    expect(batch?.count).toBe(6);
    expect(batch?.lastSeq).toBe(6);
    const split = batch?.lines.split('\n') ?? [];
    expect(split).toHaveLength(6);
    expect(split.map((line) => JSON.parse(line))).toEqual(messages);
    await outbox.close();
  });

  it('delivers as JSON lines (no row load) and the warehouse holds every message once', async () => {
    const operations: string[] = [];
    const warehouse = createDuckDbWarehouse({ onAudit: (event) => operations.push(event.operation) });
    await warehouse.ensureSchema();
    const outbox = await createFileOutbox({ dir });
    const collector = await createCollector({ outbox, sinks: [createWarehouseSink(warehouse, { maxBatchSize: 4 })], batchSize: 4 });
    await Promise.all([
      collector.track({ userId: 'u1', event: 'A', properties: { revenue: 2 } }),
      collector.identify({ userId: 'u1', traits: { email: 'U1@Example.com' } }),
      collector.alias({ userId: 'u1', previousId: 'anon-1' }),
      ...Array.from({ length: 7 }, (_, i) => collector.page({ anonymousId: `anon-${i}`, name: `p${i}` })),
    ]);
    const report = await collector.flush();
    expect(report.sinks[0]).toMatchObject({ delivered: 10, quarantined: 0 });
    expect(report.sinks[0]?.error).toBeUndefined();
    expect(operations.filter((operation) => operation === 'loadMessageLines')).toHaveLength(3); // 4 + 4 + 2
    expect(operations).not.toContain('load');
    expect(await count(warehouse, 'events')).toBe(10);
    const emails = await warehouse.query({ sql: "SELECT profile_id, id_value FROM identities WHERE id_type = 'email'", params: {} });
    expect(emails).toEqual([{ profile_id: 'u1', id_value: 'u1@example.com' }]);
    expect(outbox.stats().pending).toBe(0);
    await collector.close();
    await warehouse.close();
  });
});
