// The file outbox's `readEncoded` (messages handed to a sink as JSON lines, never parsed in JS)
// against `read` on the same data: the same messages, in the same order, one per line, the same
// positions for `ack`; and `recordBounds`, the parser-free reader of a record's sequence number
// and message bytes, against records written by hand (any other shape must fall back to parsing).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CdpMessage } from '../src/index';
import { createFileOutbox } from '../src/index';
import { crc32 } from '../src/outbox/crc32';
import { encodeFrame, encodeRecordFrames, recordBounds } from '../src/outbox/frames';

const message = (i: number, pad = 0): CdpMessage => ({
  type: 'track',
  messageId: `m-${i}`,
  timestamp: '2026-12-03T08:00:00.000Z',
  userId: `u-${i % 3}`,
  event: 'E',
  properties: { i, note: 'line\nbreak "quoted" ünï', pad: 'z'.repeat(pad) },
});

type FileOutbox = Awaited<ReturnType<typeof createFileOutbox>>;

/** readEncoded, required (the file outbox has it). */
async function readEncoded(outbox: FileOutbox, consumer: string, max: number) {
  const read = outbox.readEncoded;
  if (read === undefined) throw new Error('the file outbox has readEncoded');
  return read.call(outbox, consumer, max);
}

const parsedLines = (lines: string) => (lines === '' ? [] : lines.split('\n').map((line) => JSON.parse(line) as CdpMessage));

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cdp-outbox-encoded-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readEncoded', () => {
  it('gives the messages read() gives, one JSON line each, with the last sequence number to acknowledge', async () => {
    const outbox = await createFileOutbox({ dir, segmentBytes: 1024 });
    await outbox.registerConsumers(['lines', 'records']);
    // One append per message so the records span several segments.
    for (let i = 1; i <= 25; i++) await outbox.append([message(i)]);
    expect(outbox.stats().segments).toBeGreaterThan(2);
    const seen: CdpMessage[] = [];
    for (const max of [1, 4, 7, 100, 5]) {
      const records = await outbox.read('records', max);
      const batch = await readEncoded(outbox, 'lines', max);
      expect(batch.count, `max ${max}`).toBe(records.length);
      expect(batch.lastSeq).toBe(records.at(-1)?.seq ?? 0);
      expect(parsedLines(batch.lines)).toEqual(records.map((record) => record.message));
      expect(batch.lines.split('\n')).toHaveLength(Math.max(1, records.length));
      seen.push(...parsedLines(batch.lines));
      if (batch.count > 0) {
        await outbox.ack('lines', batch.lastSeq);
        await outbox.ack('records', batch.lastSeq);
      }
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => message(i + 1)));
    expect(await readEncoded(outbox, 'lines', 10)).toEqual({ count: 0, lastSeq: 0, lines: '' });
    await outbox.close();
  });

  it('keeps one message per line when the stored JSON text has line breaks between tokens', async () => {
    const outbox = await createFileOutbox({ dir });
    await outbox.registerConsumers(['a']);
    const messages = [message(1), message(2), message(3)];
    await outbox.append(messages, messages.map((m) => JSON.stringify(m, null, 2)));
    const batch = await readEncoded(outbox, 'a', 10);
    expect(batch.count).toBe(3);
    expect(batch.lines.split('\n')).toHaveLength(3);
    expect(parsedLines(batch.lines)).toEqual(messages);
    await outbox.close();
  });

  it('messages with and without line breaks mixed in one read: every break becomes a space, every message one line', async () => {
    const outbox = await createFileOutbox({ dir });
    await outbox.registerConsumers(['a']);
    const messages = Array.from({ length: 12 }, (_, i) => message(i + 1));
    // Pretty-printed texts at irregular places, plain ones between them.
    const pretty = new Set([2, 3, 6, 10]);
    const texts = messages.map((m, i) => (pretty.has(i) ? JSON.stringify(m, null, 1) : JSON.stringify(m)));
    await outbox.append(messages, texts);
    for (const max of [12, 5]) {
      const batch = await readEncoded(outbox, 'a', max);
      expect(batch.count).toBe(max);
      expect(batch.lines.split('\n')).toHaveLength(max);
      expect(parsedLines(batch.lines)).toEqual(messages.slice(0, max));
      // Plain texts come through byte for byte.
      expect(batch.lines.split('\n')[0]).toBe(texts[0]);
    }
    await outbox.close();
  });

  it('gathers batches larger than its first buffer (64 KiB) intact', async () => {
    const outbox = await createFileOutbox({ dir, segmentBytes: 8 << 20 });
    await outbox.registerConsumers(['a']);
    const messages = Array.from({ length: 400 }, (_, i) => message(i + 1, 300 + (i % 11) * 97));
    await outbox.append(messages);
    const batch = await readEncoded(outbox, 'a', 1000);
    expect(batch.lines.length).toBeGreaterThan(1 << 17);
    expect(batch).toMatchObject({ count: 400, lastSeq: 400 });
    expect(parsedLines(batch.lines)).toEqual(messages);
    await outbox.close();
  });

  it('an acknowledged batch resumes after its last record, across a restart too', async () => {
    const outbox = await createFileOutbox({ dir, segmentBytes: 1024 });
    await outbox.registerConsumers(['a']);
    for (let i = 1; i <= 12; i++) await outbox.append([message(i)]);
    const first = await readEncoded(outbox, 'a', 5);
    expect(first.lastSeq).toBe(5);
    // Not acknowledged: the same batch again.
    expect(await readEncoded(outbox, 'a', 5)).toEqual(first);
    await outbox.ack('a', 5);
    expect(parsedLines((await readEncoded(outbox, 'a', 3)).lines).map((m) => m.messageId)).toEqual(['m-6', 'm-7', 'm-8']);
    // Acknowledging part of a batch resumes inside it.
    await outbox.ack('a', 7);
    expect(parsedLines((await readEncoded(outbox, 'a', 2)).lines).map((m) => m.messageId)).toEqual(['m-8', 'm-9']);
    await outbox.ack('a', 9);
    await outbox.close();
    const reopened = await createFileOutbox({ dir, segmentBytes: 1024 });
    await reopened.registerConsumers(['a']);
    expect(await readEncoded(reopened, 'a', 10)).toMatchObject({ count: 3, lastSeq: 12 });
    await reopened.close();
  });

  it('records in another shape (keys reordered, as an older writer might) are parsed and re-encoded', async () => {
    const outbox = await createFileOutbox({ dir });
    await outbox.append([message(1)]);
    await outbox.close();
    const path = join(dir, 'seg-0000000000000001.log');
    await writeFile(path, Buffer.concat([await readFile(path), encodeFrame({ m: message(2), s: 2 }), encodeFrame({ s: 3, m: message(3) })]));
    const reopened = await createFileOutbox({ dir });
    await reopened.registerConsumers(['a', 'b', 'c']);
    const batch = await readEncoded(reopened, 'a', 10);
    expect(batch).toMatchObject({ count: 3, lastSeq: 3 });
    // Acknowledged up to the reordered record: it is not given again.
    await reopened.ack('c', 2);
    expect(parsedLines((await readEncoded(reopened, 'c', 10)).lines)).toEqual([message(3)]);
    expect(parsedLines(batch.lines)).toEqual([message(1), message(2), message(3)]);
    expect((await reopened.read('b', 10)).map((record) => record.message)).toEqual([message(1), message(2), message(3)]);
    await reopened.close();
  });

  it('skips a record whose checksum is right but whose JSON is not (changed on disk under an open outbox), and gives the records after it', async () => {
    const outbox = await createFileOutbox({ dir });
    await outbox.registerConsumers(['a', 'b', 'c']);
    await outbox.append([message(1), message(2), message(3)]);
    const path = join(dir, 'seg-0000000000000001.log');
    const bytes = await readFile(path);
    // Record 2 replaced in place by a frame of the same length, valid CRC, unparseable payload.
    const at = 8 + bytes.readUInt32LE(0);
    const length = bytes.readUInt32LE(at);
    const broken = Buffer.from(`{"s":2,"m":${'['.repeat(length - 12)}}`, 'utf8');
    expect(broken.length).toBe(length);
    bytes.writeUInt32LE(crc32(broken), at + 4);
    broken.copy(bytes, at + 8);
    await writeFile(path, bytes);
    // read() parses every record; readEncoded's fast path checks the message text without
    // parsing it: neither passes the forged record on, and neither stops at it.
    expect((await outbox.read('b', 10)).map((record) => record.seq)).toEqual([1, 3]);
    expect(await readEncoded(outbox, 'c', 10)).toMatchObject({ count: 2, lastSeq: 3 });
    expect(parsedLines((await readEncoded(outbox, 'c', 10)).lines)).toEqual([message(1), message(3)]);
    // A record the fast path cannot take (keys reordered) is parsed by readEncoded: skipped too.
    const reordered = Buffer.from(`{"m":${'['.repeat(length - 12)},"s":2}`, 'utf8');
    bytes.writeUInt32LE(crc32(reordered), at + 4);
    reordered.copy(bytes, at + 8);
    await writeFile(path, bytes);
    expect(parsedLines((await readEncoded(outbox, 'a', 10)).lines)).toEqual([message(1), message(3)]);
    await outbox.close();
  });
});

describe('recordBounds', () => {
  const bounds = (payload: string) => {
    const bytes = Buffer.from(`xx${payload}yy`, 'utf8');
    const found = recordBounds(bytes, 2, bytes.length - 2);
    return found && { seq: found.seq, message: bytes.toString('utf8', found.messageStart, found.messageEnd) };
  };

  it('finds the sequence number and the message of what encodeRecordFrames writes', () => {
    for (const [seq, json] of [
      [1, '{}'],
      [9, '[1,2]'],
      [1234567890123456, '{"a":"}"}'],
      [42, '"é"'],
      [7, '0'],
    ] as const) {
      const frame = encodeRecordFrames(seq, [json]);
      const found = recordBounds(frame, 8, frame.length);
      expect(found, json).toEqual({ seq, messageStart: 8 + `{"s":${seq},"m":`.length, messageEnd: frame.length - 1 });
    }
    expect(bounds('{"s":0,"m":1}')).toEqual({ seq: 0, message: '1' });
  });

  it('checks every fixed byte of the record shape: any one changed gives undefined', () => {
    const valid = '{"s":12,"m":{}}';
    expect(bounds(valid)).toEqual({ seq: 12, message: '{}' });
    // The fixed bytes: `{"s":` at the start, `,"m":` after the digits, `}` at the end.
    for (const at of [0, 1, 2, 3, 4, 7, 8, 9, 10, 11, valid.length - 1]) {
      const changed = `${valid.slice(0, at)}x${valid.slice(at + 1)}`;
      expect(bounds(changed), changed).toBeUndefined();
    }
  });

  it('gives undefined for any other shape, so the caller parses it', () => {
    for (const payload of [
      '{"m":{},"s":1}',
      '{"s":1,"n":{}}',
      '{"s":,"m":{}}',
      '{"s":"1","m":{}}',
      '{"s":1,"m":',
      '{"s":1}',
      '{"s":12345678901234567,"m":{}}',
      '{"S":1,"m":{}}',
      '{"s":1 ,"m":{}}',
      '',
      '{',
      '[1,2,3,4,5,6,7,8]',
    ]) {
      expect(bounds(payload), payload).toBeUndefined();
    }
  });
});
