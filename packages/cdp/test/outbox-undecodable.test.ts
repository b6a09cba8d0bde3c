// Records whose checksum is right but whose payload is not a message (written by a bug, by
// another version, or handed to `appendJson` as something else): the CRC only proves the bytes
// are what was written, not that they are a message. Both read paths (`read`, and `readEncoded`,
// which hands JSON text on unparsed) skip such a record with a warning through the injected
// logger, once, and go on with the records after it: never passed on as garbage, never a stop
// that blocks delivery, never a reason for the next open to cut the good records after it.
// `isMessageJson`, the parser-free check of the fast path, agrees with `JSON.parse`.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogFields, Logger } from '@almanac/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CdpMessage, CdpSink, EncodedBatch } from '../src/index';
import { createCollector, createFileOutbox } from '../src/index';
import { encodeJsonFrame, encodeRecordFrames, isMessageJson } from '../src/outbox/frames';

const message = (i: number): CdpMessage => ({ type: 'track', messageId: `m-${i}`, timestamp: '2026-12-03T08:00:00.000Z', userId: 'u-1', event: 'E', properties: { i, note: 'line\nbreak' } });

/** What `JSON.parse` says: an object (not an array) whose `messageId` is a string. */
function parsesAsMessage(text: string): boolean {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { messageId?: unknown }).messageId === 'string';
  } catch {
    return false;
  }
}

/** Message texts that are not messages, each checked against `JSON.parse` below. */
const NOT_MESSAGES = [
  '42',
  '"m-2"',
  'null',
  '[{"messageId":"m-2"}]',
  '{"type":"track"}',
  '{"messageId":7}',
  '{"properties":{"messageId":"nested"}}',
  '{"messageId":"m-2","messageId":null}',
  '{"messageId":"m-2",',
  '{"messageId":"m-2"} {}',
  '{"messageId":"m-2","n":01}',
  '{"messageId":"m-2","s":"\\x"}',
];

function recordingLogger(): Logger & { warnings: Array<{ message: string; fields: LogFields | undefined }> } {
  const warnings: Array<{ message: string; fields: LogFields | undefined }> = [];
  return { warnings, debug() {}, info() {}, warn: (text, fields) => warnings.push({ message: text, fields }), error() {} };
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cdp-outbox-undecodable-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

type FileOutbox = Awaited<ReturnType<typeof createFileOutbox>>;
async function encodedIds(outbox: FileOutbox, consumer: string, max = 1000): Promise<{ ids: string[]; lastSeq: number }> {
  const read = outbox.readEncoded;
  if (read === undefined) throw new Error('the file outbox has readEncoded');
  const batch = await read.call(outbox, consumer, max);
  const lines = batch.lines === '' ? [] : batch.lines.split('\n');
  expect(lines).toHaveLength(batch.count);
  return { ids: lines.map((line) => (JSON.parse(line) as CdpMessage).messageId), lastSeq: batch.lastSeq };
}

/**
 * A segment: good message k at seq 2k−1 and, at seq 2k, the k-th text of NOT_MESSAGES, stored
 * the way the writer stores records (`{"s":…,"m":…}`), then one last good message.
 */
async function writeMixedSegment(): Promise<{ goodIds: string[]; lastSeq: number }> {
  const frames: Buffer[] = [];
  const goodIds: string[] = [];
  let seq = 1;
  for (const text of NOT_MESSAGES) {
    frames.push(encodeRecordFrames(seq, [JSON.stringify(message(seq))]));
    goodIds.push(`m-${seq}`);
    frames.push(encodeRecordFrames(seq + 1, [text]));
    seq += 2;
  }
  // Another writer's shape (keys in the other order), not a message either; then a good one.
  frames.push(encodeJsonFrame(`{"m":{"type":"track"},"s":${seq}}`));
  frames.push(encodeRecordFrames(seq + 1, [JSON.stringify(message(seq + 1))]));
  goodIds.push(`m-${seq + 1}`);
  await writeFile(join(dir, 'seg-0000000000000001.log'), Buffer.concat(frames));
  return { goodIds, lastSeq: seq + 1 };
}

describe('records that pass their checksum but are not messages', () => {
  it('every text used here is one JSON.parse refuses as a message', () => {
    for (const text of NOT_MESSAGES) expect(parsesAsMessage(text), text).toBe(false);
  });

  it('readEncoded and read skip them, warn once each through the logger, and give every message after them', async () => {
    const { goodIds, lastSeq } = await writeMixedSegment();
    const logger = recordingLogger();
    const outbox = await createFileOutbox({ dir, logger });
    await outbox.registerConsumers(['encoded', 'rows']);
    expect(await encodedIds(outbox, 'encoded')).toEqual({ ids: goodIds, lastSeq });
    expect((await outbox.read('rows', 1000)).map((record) => record.message.messageId)).toEqual(goodIds);
    const skipped = NOT_MESSAGES.length + 1;
    expect(logger.warnings).toHaveLength(skipped);
    for (const warning of logger.warnings) {
      expect(warning.message).toMatch(/not a message/);
      expect(warning.fields).toMatchObject({ segment: 'seg-0000000000000001.log', offset: expect.any(Number), reason: expect.any(String) });
      // The payload itself (possibly personal data) is not logged.
      expect(JSON.stringify(warning.fields)).not.toContain('m-2');
    }
    // Reading again warns no more.
    expect(await encodedIds(outbox, 'encoded')).toEqual({ ids: goodIds, lastSeq });
    expect(logger.warnings).toHaveLength(skipped);
    await outbox.close();
  });

  it('in small batches too: each batch ends at a message, and acknowledging them goes past every skipped record (delivery is not blocked)', async () => {
    const { goodIds } = await writeMixedSegment();
    const outbox = await createFileOutbox({ dir });
    await outbox.registerConsumers(['encoded', 'rows']);
    const delivered: string[] = [];
    for (;;) {
      const batch = await encodedIds(outbox, 'encoded', 2);
      if (batch.ids.length === 0) break;
      delivered.push(...batch.ids);
      await outbox.ack('encoded', batch.lastSeq);
    }
    expect(delivered).toEqual(goodIds);
    const rows: string[] = [];
    for (;;) {
      const records = await outbox.read('rows', 3);
      if (records.length === 0) break;
      rows.push(...records.map((record) => record.message.messageId));
      await outbox.ack('rows', (records[records.length - 1] as { seq: number }).seq);
    }
    expect(rows).toEqual(goodIds);
    await outbox.close();
  });

  it('a reopen keeps them and every record after them (they are whole records, not a torn tail), and numbers new appends after them', async () => {
    const { goodIds, lastSeq } = await writeMixedSegment();
    const before = await readFile(join(dir, 'seg-0000000000000001.log'));
    const outbox = await createFileOutbox({ dir });
    expect(outbox.stats()).toMatchObject({ skippedRecords: 0, lastSeq });
    expect(await readFile(join(dir, 'seg-0000000000000001.log'))).toEqual(before);
    await outbox.registerConsumers(['c']);
    expect(await outbox.append([message(100)])).toEqual([lastSeq + 1]);
    expect((await outbox.read('c', 1000)).map((record) => record.message.messageId)).toEqual([...goodIds, 'm-100']);
    await outbox.close();
  });

  it('a text handed to append or appendJson that is not a message is stored but never delivered', async () => {
    const logger = recordingLogger();
    const outbox = await createFileOutbox({ dir, logger });
    await outbox.registerConsumers(['encoded', 'rows']);
    await outbox.append([message(1), message(2)], [JSON.stringify(message(1)), '{"oops":true}']);
    await outbox.appendJson?.('not json at all');
    await outbox.append([message(4)]);
    expect((await encodedIds(outbox, 'encoded')).ids).toEqual(['m-1', 'm-4']);
    expect((await outbox.read('rows', 10)).map((record) => record.message.messageId)).toEqual(['m-1', 'm-4']);
    expect(logger.warnings).toHaveLength(2);
    await outbox.close();
  });
});

describe('through the collector', () => {
  it('a flush delivers every message around them to a JSON-lines sink and a row sink, and the next flush has nothing left (not stuck on them)', async () => {
    const { goodIds } = await writeMixedSegment();
    const outbox = await createFileOutbox({ dir });
    const encoded: string[] = [];
    const rows: string[] = [];
    const lineSink: CdpSink = {
      name: 'lines',
      maxBatchSize: 3,
      deliver: async () => {
        throw new Error('the JSON-lines path is expected');
      },
      deliverEncoded: async (batch: EncodedBatch) => {
        // What a JSON-lines engine does: every line must parse as a message.
        for (const line of batch.lines.split('\n')) encoded.push((JSON.parse(line) as CdpMessage).messageId);
        return { rejected: [] };
      },
    };
    const rowSink: CdpSink = {
      name: 'rows',
      maxBatchSize: 3,
      deliver: async (messages) => {
        for (const item of messages) rows.push(item.messageId);
        return { rejected: [] };
      },
    };
    const collector = await createCollector({ outbox, sinks: [lineSink, rowSink] });
    const report = await collector.flush();
    expect(report.sinks).toEqual([
      { sink: 'lines', delivered: goodIds.length, quarantined: 0 },
      { sink: 'rows', delivered: goodIds.length, quarantined: 0 },
    ]);
    expect(encoded).toEqual(goodIds);
    expect(rows).toEqual(goodIds);
    expect((await collector.flush()).sinks.map((sink) => sink.delivered)).toEqual([0, 0]);
    await collector.close();
    await outbox.close();
  });
});

describe('isMessageJson', () => {
  const check = (text: string) => {
    const bytes = Buffer.from(`xx${text}yy`, 'utf8');
    return isMessageJson(bytes, 2, bytes.length - 2);
  };

  it('agrees with JSON.parse on the texts above and on messages', () => {
    for (const text of NOT_MESSAGES) expect(check(text), text).toBe(false);
    for (const text of [JSON.stringify(message(1)), ' {"messageId" : "a" , "x":[1,-2.5e+3,true,false,null,{}],"y":"\\u00e9\\"\\\\"}\n', '{"messag\\u0065Id":"a"}', '{"messageId":1,"messageId":"a"}']) {
      expect(check(text), text).toBe(true);
      expect(parsesAsMessage(text), text).toBe(true);
    }
  });

  it('agrees with JSON.parse on any JSON value, whole or cut or with a byte changed', () => {
    const messageLike = fc.record({ messageId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }, { requiredKeys: [] });
    const value = fc.oneof(fc.jsonValue(), fc.tuple(messageLike, fc.dictionary(fc.string(), fc.jsonValue())).map(([head, rest]) => ({ ...rest, ...head })));
    fc.assert(
      fc.property(value, fc.nat(), fc.integer({ min: 0, max: 127 }), fc.constantFrom('whole', 'cut', 'changed', 'spaced'), (json, at, byte, how) => {
        let text = JSON.stringify(json) ?? 'null';
        if (how === 'spaced') text = JSON.stringify(json, null, 1) ?? 'null';
        if (how === 'cut') text = text.slice(0, at % (text.length + 1));
        if (how === 'changed') {
          const bytes = Buffer.from(text, 'utf8');
          bytes[at % bytes.length] = byte;
          text = bytes.toString('utf8');
        }
        expect(check(text), text).toBe(parsesAsMessage(text));
      }),
      { numRuns: 3000, seed: 17 },
    );
  });
});
