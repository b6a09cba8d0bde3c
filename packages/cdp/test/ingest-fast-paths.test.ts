import * as zlib from 'node:zlib';
import { expectAlmanacError } from '@almanac/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../src/adapters/duckdb/index';
import type { CdpMessage } from '../src/index';
import { createWarehouseSink } from '../src/index';
import { crc32, crc32Table, nativeCrc32 } from '../src/outbox/crc32';
import { decodeFrame, encodeJsonFrame, encodeRecordFrames } from '../src/outbox/frames';

// The ingest path's shortcuts (native CRC, one buffer per group commit, appending events
// straight into DuckDB, the sink's memory of loaded identities) must give the same bytes and
// the same rows as the plain paths they replace.

describe('outbox framing fast paths', () => {
  it('the CRC-32 in use equals the table-driven reference on any bytes and any slice (and is native on this Node)', () => {
    expect(nativeCrc32).toBe(typeof (zlib as { crc32?: unknown }).crc32 === 'function');
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926); // the standard check value
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
        const end = start + (bytes.length - start === 0 ? 0 : b % (bytes.length - start + 1));
        expect(crc32(bytes, start, end)).toBe(crc32Table(bytes, start, end));
      }),
    );
  });

  it('a group of records framed in one buffer is byte for byte the records framed one by one', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.array(fc.jsonValue(), { maxLength: 8 }), (firstSeq, values) => {
        const jsons = values.map((value) => JSON.stringify({ v: value }));
        const joined = encodeRecordFrames(firstSeq + 1, jsons);
        const oneByOne = Buffer.concat(jsons.map((json, i) => encodeJsonFrame(`{"s":${firstSeq + 1 + i},"m":${json}}`)));
        expect(joined.equals(oneByOne)).toBe(true);
        let offset = 0;
        for (let i = 0; i < jsons.length; i++) {
          const frame = decodeFrame(joined, offset, joined.length);
          if (frame.kind !== 'ok') throw new Error(`frame ${i}: ${frame.kind}`);
          expect(frame.value).toEqual({ s: firstSeq + 1 + i, m: JSON.parse(jsons[i] as string) });
          offset = frame.next;
        }
      }),
    );
  });
});

const track = (id: string, userId: string, revenue: number): CdpMessage => ({
  type: 'track',
  messageId: id,
  timestamp: '2026-01-02T00:00:00.000Z',
  userId,
  event: 'Order Completed',
  properties: { revenue },
});
const signal = new AbortController().signal;

describe('warehouse loads', () => {
  it('a batch mixing new events with ones already loaded (or repeated inside it) keeps one row per messageId and loses none', async () => {
    const warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
    await warehouse.load({ events: [track('m1', 'u1', 1), track('m2', 'u1', 2)].map((m) => ({ messageId: m.messageId, type: 'track', event: 'Order Completed', profileId: 'u1', userId: 'u1', anonymousId: null, timestampMs: 1, revenue: 1, properties: '{}' })) });
    const sink = createWarehouseSink(warehouse);
    // m2 is already there and m3 comes twice: the direct append fails and the staged path takes over.
    await sink.deliver([track('m2', 'u1', 2), track('m3', 'u2', 3), track('m3', 'u2', 3), track('m4', 'u2', 4)], { signal });
    // All new: the direct append.
    await sink.deliver([track('m5', 'u3', 5), track('m6', 'u3', 6)], { signal });
    const rows = await warehouse.query({ sql: 'SELECT message_id, revenue FROM events ORDER BY message_id', params: {} });
    expect(rows.map((row) => row['message_id'])).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(rows.map((row) => row['revenue'])).toEqual([1, 1, 3, 4, 5, 6]);
    await warehouse.close();
  });

  it('the sink loads an identity observation once while it remembers it, and again once it is forgotten', async () => {
    const loads: number[] = [];
    const warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
    const counting = { ...warehouse, load: (rows: Parameters<typeof warehouse.load>[0], options?: Parameters<typeof warehouse.load>[1]) => {
      loads.push(rows.identities?.length ?? 0);
      return warehouse.load(rows, options);
    } };
    const sink = createWarehouseSink(counting, { rememberIdentities: 2 });
    await sink.deliver([track('a1', 'u1', 1), track('a2', 'u2', 1)], { signal }); // u1, u2 loaded and remembered
    await sink.deliver([track('a3', 'u1', 1), track('a4', 'u2', 1)], { signal }); // both remembered: nothing to load
    await sink.deliver([track('a5', 'u3', 1)], { signal }); // u3 loaded; u1 (the oldest) forgotten
    await sink.deliver([track('a6', 'u1', 1), track('a7', 'u2', 1)], { signal }); // u1 again; u2 still remembered
    expect(loads).toEqual([2, 0, 1, 1]);
    const ids = await warehouse.query({ sql: 'SELECT id_value FROM identities ORDER BY id_value', params: {} });
    expect(ids.map((row) => row['id_value'])).toEqual(['u1', 'u2', 'u3']);
    await warehouse.close();
  });

  it('validates its options, naming the field', async () => {
    const warehouse = createDuckDbWarehouse();
    await expectAlmanacError(() => createWarehouseSink(warehouse, { rememberIdentities: -1 }), { code: 'validation', field: 'options.rememberIdentities' });
    await warehouse.close();
  });

  it('a failed load is not remembered: the redelivery loads the identities', async () => {
    const loads: number[] = [];
    const warehouse = createDuckDbWarehouse();
    await warehouse.ensureSchema();
    let fail = true;
    const flaky = { ...warehouse, load: (rows: Parameters<typeof warehouse.load>[0], options?: Parameters<typeof warehouse.load>[1]) => {
      loads.push(rows.identities?.length ?? 0);
      if (fail) return Promise.reject(new Error('outage'));
      return warehouse.load(rows, options);
    } };
    const sink = createWarehouseSink(flaky);
    await expect(sink.deliver([track('b1', 'u1', 1)], { signal })).rejects.toThrow('outage');
    fail = false;
    await sink.deliver([track('b1', 'u1', 1)], { signal });
    expect(loads).toEqual([1, 1]);
    expect((await warehouse.query({ sql: 'SELECT count(*) AS n FROM identities', params: {} }))[0]?.['n']).toBe(1);
    await warehouse.close();
  });
});
