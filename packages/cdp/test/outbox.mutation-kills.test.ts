// The file outbox's framing checked byte by byte against values computed here independently:
// CRC-32 against its published check value and a bitwise (table-free) implementation, frame
// layout (u32 LE length, u32 LE CRC, payload), and the decoder at every boundary of a frame
// (one byte short of the header, of the payload, exactly complete), so a torn tail is "short"
// and never "bad" and corruption is "bad" and never delivered.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAlmanacError } from '@almanac/core/testing';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CdpMessage } from '../src/index';
import { createFileOutbox } from '../src/index';
import { crc32, crc32Table } from '../src/outbox/crc32';
import { HEADER_BYTES, MAX_PAYLOAD_BYTES, decodeFrame, encodeFrame, encodeJsonFrame, encodeRecordFrames } from '../src/outbox/frames';

/** CRC-32 (reflected, polynomial 0xEDB88320) one bit at a time: no table, no zlib. */
function bitwiseCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

describe('crc32', () => {
  it('gives the published check value of "123456789" (0xCBF43926) and 0 for no bytes', () => {
    for (const fn of [crc32, crc32Table]) {
      expect(fn(ascii('123456789'))).toBe(0xcbf43926);
      expect(fn(new Uint8Array(0))).toBe(0);
    }
    // zlib.crc32 of "The quick brown fox jumps over the lazy dog" (RFC 1952 CRC).
    expect(crc32Table(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('agrees with a bitwise implementation on any bytes and any sub-range, unsigned', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 600 }), fc.nat(), fc.nat(), (bytes, x, y) => {
        const a = bytes.length === 0 ? 0 : x % (bytes.length + 1);
        const b = bytes.length === 0 ? 0 : y % (bytes.length + 1);
        const [start, end] = a <= b ? [a, b] : [b, a];
        const expected = bitwiseCrc32(bytes.subarray(start, end));
        expect(crc32Table(bytes, start, end)).toBe(expected);
        expect(crc32(bytes, start, end)).toBe(expected);
        expect(crc32Table(bytes)).toBe(bitwiseCrc32(bytes));
        expect(crc32(bytes)).toBe(bitwiseCrc32(bytes));
        expect(crc32Table(bytes, start)).toBe(bitwiseCrc32(bytes.subarray(start)));
      }),
      { numRuns: 200 },
    );
    // High-bit results stay positive (the check value above has its top bit set too).
    expect(crc32Table(Uint8Array.of(0xff))).toBe(bitwiseCrc32(Uint8Array.of(0xff)));
    expect(crc32Table(Uint8Array.of(0xff))).toBeGreaterThan(0x7fffffff);
  });
});

/** A frame built by hand: u32 LE length, u32 LE CRC-32, UTF-8 payload. */
function handFrame(json: string): Buffer {
  const payload = Buffer.from(json, 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(bitwiseCrc32(payload), 4);
  return Buffer.concat([header, payload]);
}

describe('frames', () => {
  it('encodes length, checksum and payload in that layout', () => {
    expect(HEADER_BYTES).toBe(8);
    expect(MAX_PAYLOAD_BYTES).toBe(1 << 20);
    const value = { s: 7, m: { event: 'Order Completed', note: 'ünï' } };
    expect(encodeFrame(value)).toEqual(handFrame(JSON.stringify(value)));
    expect(encodeJsonFrame('"é"')).toEqual(handFrame('"é"'));
    expect(encodeJsonFrame('"é"').readUInt32LE(0)).toBe(4);
  });

  it('frames consecutive records into one buffer, byte-identical to one frame each', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 0, maxLength: 30 }), (first, values) => {
        const jsons = values.map((value) => JSON.stringify(value) ?? 'null');
        const expected = Buffer.concat(jsons.map((json, i) => handFrame(`{"s":${first + i},"m":${json}}`)));
        expect(encodeRecordFrames(first, jsons)).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('decodes a frame at an offset and gives the offset after it', () => {
    const a = handFrame('{"a":1}');
    const b = handFrame('[1,"two"]');
    const bytes = Buffer.concat([Buffer.from('xyz'), a, b]);
    const first = decodeFrame(bytes, 3, bytes.length);
    expect(first).toEqual({ kind: 'ok', value: { a: 1 }, next: 3 + a.length });
    expect(decodeFrame(bytes, 3 + a.length, bytes.length)).toEqual({ kind: 'ok', value: [1, 'two'], next: bytes.length });
    // An empty payload is a frame (of invalid JSON: bad, not short).
    expect(decodeFrame(handFrame(''), 0, 8)).toEqual({ kind: 'bad' });
  });

  it('a torn frame is short at every cut, and complete exactly at its last byte', () => {
    const frame = handFrame('{"seq":12345,"m":"payload"}');
    for (let cut = 0; cut < frame.length; cut++) {
      expect(decodeFrame(frame, 0, cut), `cut at ${cut}`).toEqual({ kind: 'short' });
      // The bytes past `end` are not read even when the buffer holds them.
      expect(decodeFrame(Buffer.concat([frame.subarray(0, cut), Buffer.alloc(frame.length)]), 0, cut), `padded cut at ${cut}`).toEqual({ kind: 'short' });
    }
    expect(decodeFrame(frame, 0, frame.length)).toMatchObject({ kind: 'ok', next: frame.length });
  });

  it('a flipped bit anywhere, an oversized length or unparseable JSON is bad, never a value', () => {
    const frame = handFrame('{"seq":1}');
    for (let i = 4; i < frame.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = Buffer.from(frame);
        copy[i] = (copy[i] as number) ^ (1 << bit);
        expect(decodeFrame(copy, 0, copy.length), `byte ${i} bit ${bit}`).toEqual({ kind: 'bad' });
      }
    }
    const huge = Buffer.alloc(16);
    huge.writeUInt32LE(MAX_PAYLOAD_BYTES + 1, 0);
    expect(decodeFrame(huge, 0, huge.length)).toEqual({ kind: 'bad' });
    // Exactly the maximum is a length to wait for, not corruption.
    const max = Buffer.alloc(16);
    max.writeUInt32LE(MAX_PAYLOAD_BYTES, 0);
    expect(decodeFrame(max, 0, max.length)).toEqual({ kind: 'short' });
    expect(decodeFrame(handFrame('{"a":'), 0, handFrame('{"a":').length)).toEqual({ kind: 'bad' });
  });
});

// ---- the file outbox against a model ---------------------------------------------------------

const message = (i: number): CdpMessage => ({ type: 'track', messageId: `m-${i}`, timestamp: '2026-12-03T08:00:00.000Z', userId: `u-${i % 3}`, event: 'E', properties: { i, pad: 'x'.repeat(i % 50) } });

/** The records of a directory's segment files, read with the hand-written frame layout. */
async function onDisk(dir: string): Promise<Array<{ file: string; seqs: number[] }>> {
  const files = (await readdir(dir)).filter((name) => /^seg-\d{16}\.log$/.test(name)).sort();
  const out: Array<{ file: string; seqs: number[] }> = [];
  for (const file of files) {
    const bytes = await readFile(join(dir, file));
    const seqs: number[] = [];
    let at = 0;
    while (at + 8 <= bytes.length) {
      const length = bytes.readUInt32LE(at);
      const payload = bytes.subarray(at + 8, at + 8 + length);
      expect(bitwiseCrc32(payload)).toBe(bytes.readUInt32LE(at + 4));
      seqs.push((JSON.parse(payload.toString('utf8')) as { s: number }).s);
      at += 8 + length;
    }
    expect(at, file).toBe(bytes.length);
    out.push({ file, seqs });
  }
  return out;
}

/** A seeded generator (tests must be reproducible). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('file outbox against a model', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cdp-outbox-kills-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['batch', 'always'] as const)('random appends, reads, acks and restarts agree with the model (%s)', async (fsync) => {
    const random = lcg(fsync === 'batch' ? 7 : 11);
    const consumers = ['a', 'b'];
    let outbox = await createFileOutbox({ dir, fsync, segmentBytes: 1024 });
    await outbox.registerConsumers(consumers);
    let last = 0;
    const acked: Record<string, number> = { a: 0, b: 0 };
    let mostSegments = 0;
    let compacted = false;
    for (let step = 0; step < 60; step++) {
      const roll = random();
      if (roll < 0.45) {
        // Several appends in one turn (they share a write in batch mode).
        const calls = 1 + Math.floor(random() * 3);
        const sizes = Array.from({ length: calls }, () => Math.floor(random() * 6));
        const starts = sizes.map((_, i) => last + 1 + sizes.slice(0, i).reduce((x, y) => x + y, 0));
        const results = await Promise.all(sizes.map((size, i) => outbox.append(Array.from({ length: size }, (_, k) => message((starts[i] as number) + k)))));
        expect(results).toEqual(sizes.map((size, i) => Array.from({ length: size }, (_, k) => (starts[i] as number) + k)));
        last += sizes.reduce((x, y) => x + y, 0);
      } else if (roll < 0.75) {
        const consumer = consumers[Math.floor(random() * 2)] as string;
        const max = 1 + Math.floor(random() * 8);
        const records = await outbox.read(consumer, max);
        const from = (acked[consumer] as number) + 1;
        const expected = Array.from({ length: Math.max(0, Math.min(max, last - from + 1)) }, (_, k) => from + k);
        expect(records.map((r) => r.seq), `step ${step} read ${consumer}`).toEqual(expected);
        expect(records.map((r) => r.message)).toEqual(expected.map(message));
        if (records.length > 0 && random() < 0.8) {
          const upTo = records[Math.floor(random() * records.length)]?.seq as number;
          await outbox.ack(consumer, upTo);
          acked[consumer] = upTo;
          // Acknowledging less than before changes nothing.
          await outbox.ack(consumer, upTo - 1);
        }
      } else if (roll < 0.85) {
        await outbox.close();
        outbox = await createFileOutbox({ dir, fsync, segmentBytes: 1024 });
        await outbox.registerConsumers(consumers);
      }
      const floor = Math.min(acked['a'] as number, acked['b'] as number);
      const stats = outbox.stats();
      expect(stats).toMatchObject({ lastSeq: last, pending: last - floor, acked, skippedRecords: 0 });
      const files = await onDisk(dir);
      expect(stats.segments, `step ${step}`).toBe(files.length);
      compacted ||= files.length < mostSegments;
      mostSegments = Math.max(mostSegments, files.length);
      // Everything not yet acknowledged by both consumers is still on disk, in order, once each.
      const stored = files.flatMap((file) => file.seqs);
      expect(stored).toEqual(Array.from({ length: stored.length }, (_, k) => (stored[0] as number) + k));
      if (last > floor) expect(stored).toContain(floor + 1);
      if (stored.length > 0) expect(stored.at(-1)).toBe(last);
      // A segment file is named after its first sequence number; only the newest one may pass the size.
      for (const file of files) if (file.seqs.length > 0) expect(file.file).toBe(`seg-${String(file.seqs[0]).padStart(16, '0')}.log`);
      // Fully acknowledged segments are removed, except the one being appended to.
      for (const file of files.slice(0, -1)) expect(file.seqs.at(-1) as number, `step ${step} ${file.file}`).toBeGreaterThan(floor);
    }
    // The run did roll segments and delete acknowledged ones (else it proved little).
    expect(mostSegments).toBeGreaterThan(2);
    expect(compacted).toBe(true);
    await outbox.close();
  });

  it('a new consumer starts at the oldest record still on disk', async () => {
    const outbox = await createFileOutbox({ dir, segmentBytes: 1024 });
    expect(outbox.stats()).toMatchObject({ lastSeq: 0, pending: 0, segments: 0 });
    await outbox.registerConsumers(['a']);
    for (let i = 1; i <= 40; i++) await outbox.append([message(i)]);
    await outbox.ack('a', 40);
    const remaining = (await onDisk(dir)).flatMap((file) => file.seqs);
    await outbox.registerConsumers(['late']);
    expect(outbox.stats().acked['late']).toBe((remaining[0] as number) - 1);
    expect((await outbox.read('late', 100)).map((r) => r.seq)).toEqual(remaining);
    await outbox.close();
    // Registered on an empty directory, a consumer starts after the last sequence number.
    const empty = join(dir, 'fresh');
    const fresh = await createFileOutbox({ dir: empty });
    await fresh.registerConsumers(['x']);
    expect(fresh.stats().acked).toEqual({ x: 0 });
    expect(JSON.parse(await readFile(join(empty, 'acks.json'), 'utf8'))).toEqual({ version: 1, acks: { x: 0 } });
    await fresh.close();
  });

  it('recovers a torn tail in the middle of a frame at every cut: keeps the good records, truncates, continues', async () => {
    const first = await createFileOutbox({ dir });
    await first.append([message(1), message(2), message(3)]);
    await first.close();
    const [segment = ''] = (await readdir(dir)).filter((name) => name.startsWith('seg-'));
    const path = join(dir, segment);
    const whole = await readFile(path);
    const third = handFrame(`{"s":3,"m":${JSON.stringify(message(3))}}`);
    const good = whole.length - third.length;
    for (const cut of [1, 7, 8, 9, third.length - 1]) {
      await writeFile(path, whole.subarray(0, good + cut));
      const outbox = await createFileOutbox({ dir });
      await outbox.registerConsumers(['c']);
      expect(outbox.stats(), `cut ${cut}`).toMatchObject({ skippedRecords: 1, lastSeq: 2 });
      expect((await readFile(path)).length).toBe(good);
      expect(await outbox.append([message(9)])).toEqual([3]);
      expect((await outbox.read('c', 10)).map((r) => r.message.messageId)).toEqual(['m-1', 'm-2', 'm-9']);
      await outbox.close();
      await rm(join(dir, 'acks.json'), { force: true });
    }
    // An intact file is not touched and counts nothing.
    await writeFile(path, whole);
    const intact = await createFileOutbox({ dir });
    expect(intact.stats()).toMatchObject({ skippedRecords: 0, lastSeq: 3 });
    await intact.close();
  });

  it('validates options naming the field, at the segment size bounds', async () => {
    for (const [options, path] of [
      [{ dir: '' }, 'options.dir'],
      [{ dir, segmentBytes: 1023 }, 'options.segmentBytes'],
      [{ dir, segmentBytes: 2 ** 30 + 1 }, 'options.segmentBytes'],
      [{ dir, segmentBytes: 2048.5 }, 'options.segmentBytes'],
      [{ dir, fsync: 'never' }, 'options.fsync'],
      [{ dir, clock: {} }, 'options.clock'],
      [{ dir, clock: null }, 'options.clock'],
      [{ dir, clock: { now: 5 } }, 'options.clock'],
      [{ dir, logger: {} }, 'options.logger'],
      [{ dir, logger: console.log }, 'options.logger'],
    ] as const) {
      await expectAlmanacError(() => createFileOutbox(options as never), { code: 'validation', field: path, operation: 'createFileOutbox' });
    }
    const smallest = await createFileOutbox({ dir, segmentBytes: 1024 });
    expect(smallest.kind).toBe('file');
    await smallest.close();
    const largest = await createFileOutbox({ dir, segmentBytes: 2 ** 30 });
    await largest.close();
  });

  it('refuses a message over the frame limit, accepts an empty append, and refuses use after close', async () => {
    const outbox = await createFileOutbox({ dir });
    expect(await outbox.append([])).toEqual([]);
    const limit = MAX_PAYLOAD_BYTES - 64;
    const track = (p: string): CdpMessage => ({ type: 'track', messageId: 'm-0', timestamp: '2026-12-03T08:00:00.000Z', userId: 'u-0', event: 'E', properties: { p } });
    const sized = (bytes: number): CdpMessage => {
      const overhead = Buffer.byteLength(JSON.stringify(track('')));
      return track('é'.repeat(Math.floor((bytes - overhead) / 2)) + 'x'.repeat((bytes - overhead) % 2));
    };
    expect(Buffer.byteLength(JSON.stringify(sized(limit)))).toBe(limit);
    expect(await outbox.append([sized(limit)])).toEqual([1]);
    await expectAlmanacError(() => outbox.append([sized(limit + 1)]), { code: 'validation', field: 'message' });
    const refused = await expectAlmanacError(() => outbox.append([sized(limit + 1)]), { code: 'validation' });
    expect(JSON.stringify(refused.issues)).toContain(`must encode to at most ${limit} bytes`);
    // Three-byte characters (one UTF-16 unit, three UTF-8 bytes) just over the limit: refused too.
    const euros = (count: number) => `"${'€'.repeat(count)}"`;
    const over = Math.ceil((limit - 1) / 3);
    expect(Buffer.byteLength(euros(over))).toBeGreaterThan(limit);
    await expectAlmanacError(() => outbox.append([message(0)], [euros(over)]), { code: 'validation', field: 'message' });
    expect(Buffer.byteLength(euros(over - 1))).toBeLessThanOrEqual(limit);
    expect(outbox.stats().lastSeq).toBe(1);
    await outbox.close();
    await outbox.close();
    const closed = await expectAlmanacError(() => outbox.append([message(1)]), { code: 'config', field: 'outbox', message: 'the outbox is closed' });
    expect(closed.issues).toEqual([{ path: 'outbox', message: 'closed' }]);
    await expectAlmanacError(() => outbox.read('c', 1), { code: 'config' });
    await expectAlmanacError(() => outbox.ack('c', 1), { code: 'config' });
    await expectAlmanacError(() => outbox.registerConsumers(['c']), { code: 'config' });
    await expectAlmanacError(() => outbox.quarantine([]), { code: 'config' });
    expect((await readdir(dir)).includes('LOCK')).toBe(false);
  });

  it('quarantines with the clock time when none is given, durably, in order', async () => {
    const outbox = await createFileOutbox({ dir, clock: { now: () => 1234, sleep: async () => undefined } });
    expect(await outbox.listQuarantined()).toEqual([]);
    await outbox.quarantine([]);
    expect(await outbox.listQuarantined()).toEqual([]);
    await outbox.quarantine([{ message: message(1), by: 'collector', reason: 'plan', atMs: 99 }, { message: message(2), by: 'sink', reason: '400' } as never]);
    await outbox.close();
    const reopened = await createFileOutbox({ dir });
    expect(await reopened.listQuarantined()).toEqual([
      { message: message(1), by: 'collector', reason: 'plan', atMs: 99 },
      { message: message(2), by: 'sink', reason: '400', atMs: 1234 },
    ]);
    await reopened.close();
  });
});

describe('file outbox directory lock', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cdp-outbox-lock-'));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds the pid in LOCK while open; a second open in this process is refused, naming why', async () => {
    const outbox = await createFileOutbox({ dir });
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(String(process.pid));
    const again = await expectAlmanacError(() => createFileOutbox({ dir }), { code: 'config', field: 'options.dir', message: 'already open in this process' });
    expect(again.issues).toEqual([{ path: 'options.dir', message: 'in use' }]);
    await outbox.close();
  });

  it('refuses a directory locked by another live process, naming it, and leaves its lock alone', async () => {
    await writeFile(join(dir, 'LOCK'), `${process.ppid}\n`);
    const refused = await expectAlmanacError(() => createFileOutbox({ dir }), { code: 'config', field: 'options.dir', message: `in use by process ${process.ppid}` });
    expect(refused.issues).toEqual([{ path: 'options.dir', message: 'in use' }]);
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(`${process.ppid}\n`);
    expect((await readdir(dir)).filter((name) => name.startsWith('seg-') || name === 'acks.json')).toEqual([]);
  });

  it('a holder that exists but belongs to another user (EPERM on signal 0) is alive: refused', async () => {
    await writeFile(join(dir, 'LOCK'), '4242');
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => {
      throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
    });
    await expectAlmanacError(() => createFileOutbox({ dir }), { code: 'config', field: 'options.dir', message: 'in use by process 4242' });
    expect(kill).toHaveBeenCalledWith(4242, 0);
  });

  it.each([
    ['a dead process', '2147483646'],
    ['this very pid (a restarted container reuses it)', String(process.pid)],
    ['pid 0', '0'],
    ['garbage', 'not a pid'],
    ['an empty file (a crash before the pid was written)', ''],
  ])('takes over a lock left by %s, and writes its own pid into it', async (_why, content) => {
    await writeFile(join(dir, 'LOCK'), content);
    const outbox = await createFileOutbox({ dir });
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(String(process.pid));
    await outbox.close();
    expect((await readdir(dir)).includes('LOCK')).toBe(false);
  });
});

describe('file outbox: nothing lost, nothing redelivered', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cdp-outbox-lost-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const seqsOf = async (outbox: Awaited<ReturnType<typeof createFileOutbox>>, consumer: string) => (await outbox.read(consumer, 1000)).map((r) => r.seq);

  it('acknowledging everything after a restart keeps the sequence going: the next append is neither lost nor renumbered', async () => {
    for (const segmentBytes of [1024, 8 << 20]) {
      const path = join(dir, String(segmentBytes));
      const first = await createFileOutbox({ dir: path, segmentBytes });
      await first.registerConsumers(['a']);
      // One append per record: a segment rolls only between writes.
      for (let i = 1; i <= 30; i++) await first.append([message(i)]);
      expect(first.stats().segments).toBe(segmentBytes === 1024 ? 5 : 1);
      await first.close();
      // Reopened, nothing appended yet (no segment open for appending), then all acknowledged.
      const second = await createFileOutbox({ dir: path, segmentBytes });
      await second.registerConsumers(['a']);
      // In order across the segment files (named by first sequence number, read oldest first).
      expect(await seqsOf(second, 'a')).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      await second.ack('a', 30);
      // The newest segment stays: it carries the last sequence number across the next restart.
      expect(second.stats().segments).toBe(1);
      await second.close();
      const third = await createFileOutbox({ dir: path, segmentBytes });
      await third.registerConsumers(['a']);
      expect(third.stats()).toMatchObject({ lastSeq: 30, pending: 0 });
      expect(await third.append([message(31)])).toEqual([31]);
      expect(await seqsOf(third, 'a')).toEqual([31]);
      await third.close();
    }
  });

  it('without registered consumers nothing is deleted and everything is pending', async () => {
    const outbox = await createFileOutbox({ dir, segmentBytes: 1024 });
    for (let i = 1; i <= 30; i++) await outbox.append([message(i)]);
    const files = (await onDisk(dir)).length;
    expect(files).toBeGreaterThan(2);
    expect(outbox.stats()).toMatchObject({ pending: 30, lastSeq: 30 });
    // An acknowledgement by a name nobody registered gates nothing: no segment goes.
    await outbox.ack('stranger', 30);
    expect((await onDisk(dir)).length).toBe(files);
    expect(outbox.stats()).toMatchObject({ pending: 30, segments: files });
    await outbox.registerConsumers(['late']);
    expect(await seqsOf(outbox, 'late')).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    await outbox.close();
  });

  it('pending is never negative, even when a consumer acknowledges past the end', async () => {
    const outbox = await createFileOutbox({ dir });
    await outbox.registerConsumers(['a']);
    await outbox.append([message(1)]);
    await outbox.ack('a', 5);
    expect(outbox.stats()).toMatchObject({ pending: 0, lastSeq: 1, acked: { a: 5 } });
    await outbox.close();
  });

  it('a segment holding exactly segmentBytes is full; one byte less still takes the next record', async () => {
    // A record frame is 8 header bytes + `{"s":1,"m":` + the message JSON + `}`.
    const sized = (frameBytes: number): CdpMessage => {
      const base: CdpMessage = { type: 'track', messageId: 'm-1', timestamp: '2026-12-03T08:00:00.000Z', userId: 'u', event: 'E', properties: { pad: '' } };
      return { ...base, properties: { pad: 'x'.repeat(frameBytes - 20 - JSON.stringify(base).length) } };
    };
    for (const [frameBytes, files] of [
      [1024, ['seg-0000000000000001.log', 'seg-0000000000000002.log']],
      [1023, ['seg-0000000000000001.log']],
    ] as const) {
      for (const restart of [false, true]) {
        const path = join(dir, `${frameBytes}-${restart}`);
        let outbox = await createFileOutbox({ dir: path, segmentBytes: 1024 });
        await outbox.registerConsumers(['a']);
        await outbox.append([sized(frameBytes)]);
        expect((await readFile(join(path, 'seg-0000000000000001.log'))).length).toBe(frameBytes);
        if (restart) {
          await outbox.close();
          outbox = await createFileOutbox({ dir: path, segmentBytes: 1024 });
          await outbox.registerConsumers(['a']);
        }
        expect(await outbox.append([message(2)])).toEqual([2]);
        expect((await readdir(path)).filter((name) => name.startsWith('seg-')).sort(), `${frameBytes} bytes, restart ${restart}`).toEqual(files);
        expect(await seqsOf(outbox, 'a')).toEqual([1, 2]);
        // A segment whose only record is acknowledged goes as soon as a newer one exists.
        await outbox.ack('a', 1);
        expect((await readdir(path)).filter((name) => name.startsWith('seg-')).sort()).toEqual(files.slice(-1));
        await outbox.close();
      }
    }
  });

  it('reads a segment larger than the read chunk (1 MiB) with frames across chunk boundaries, and resumes mid-file after an ack', async () => {
    const outbox = await createFileOutbox({ dir, segmentBytes: 8 << 20 });
    await outbox.registerConsumers(['a', 'b']);
    const big = (i: number): CdpMessage => ({ type: 'track', messageId: `m-${i}`, timestamp: '2026-12-03T08:00:00.000Z', userId: 'u', event: 'E', properties: { i, pad: 'y'.repeat(900 + (i % 37)) } });
    const count = 2600;
    await outbox.append(Array.from({ length: count }, (_, i) => big(i + 1)));
    expect((await readFile(join(dir, 'seg-0000000000000001.log'))).length).toBeGreaterThan(2 << 20);
    const all = await outbox.read('a', 5000);
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(all.every((r) => JSON.stringify(r.message) === JSON.stringify(big(r.seq)))).toBe(true);
    // Reading in pieces that end near the first chunk boundary, acknowledging each.
    let next = 1;
    for (const max of [1100, 7, 1, 1300, 500]) {
      const records = await outbox.read('b', max);
      const expected = Array.from({ length: Math.min(max, count - next + 1) }, (_, k) => next + k);
      expect(records.map((r) => r.seq), `read ${max} from ${next}`).toEqual(expected);
      expect(records.map((r) => r.message.messageId)).toEqual(expected.map((i) => `m-${i}`));
      if (records.length > 0) await outbox.ack('b', records.at(-1)?.seq as number);
      next += records.length;
    }
    expect(next).toBe(count + 1);
    await outbox.close();
  });

  // The segment changed under an open outbox, after record 1 (which ends at `firstEnd`): reads
  // give what is intact before the damage and return.
  it.each([
    ['a record corrupted on disk while the outbox is open is never delivered (and reads stop before it)', (bytes: Buffer, firstEnd: number) => {
      const damaged = Buffer.from(bytes);
      damaged[firstEnd + 12] = (damaged[firstEnd + 12] as number) ^ 0x01;
      return damaged;
    }],
    ['a segment cut short under an open outbox: reads give what is intact and return (no hang)', (bytes: Buffer, firstEnd: number) => bytes.subarray(0, firstEnd + 10)],
  ] as const)('%s', async (_title, damage) => {
    const outbox = await createFileOutbox({ dir });
    await outbox.registerConsumers(['a']);
    await outbox.append([message(1), message(2), message(3)]);
    const path = join(dir, 'seg-0000000000000001.log');
    const bytes = await readFile(path);
    const firstEnd = 8 + bytes.readUInt32LE(0);
    await writeFile(path, damage(bytes, firstEnd));
    expect(await seqsOf(outbox, 'a')).toEqual([1]);
    await outbox.close();
  });

  it('a damaged acks file stops the open instead of silently redelivering or skipping', async () => {
    const outbox = await createFileOutbox({ dir });
    await outbox.registerConsumers(['a']);
    await outbox.close();
    await writeFile(join(dir, 'acks.json'), JSON.stringify({ version: 1, acks: { a: -1 } }));
    await expectAlmanacError(() => createFileOutbox({ dir: join(dir) }), { code: 'validation', field: 'acks.json.acks.a' });
  });

  it('an empty segment file (a crash after creating it, before its first write) does not move the sequence', async () => {
    const first = await createFileOutbox({ dir });
    await first.registerConsumers(['a']);
    await first.append([message(1), message(2), message(3)]);
    await first.close();
    await writeFile(join(dir, 'seg-0000000000000004.log'), '');
    const second = await createFileOutbox({ dir });
    expect(second.stats()).toMatchObject({ lastSeq: 3, skippedRecords: 0, segments: 2 });
    expect(await second.append([message(4)])).toEqual([4]);
    expect(await seqsOf(second, 'a')).toEqual([1, 2, 3, 4]);
    await second.close();
  });

  it('stores the JSON text given with the messages (computed once by the collector) and reads it back as the message', async () => {
    const outbox = await createFileOutbox({ dir });
    await outbox.registerConsumers(['a']);
    const messages = [message(1), message(2)];
    // Same value, different spacing than JSON.stringify: the given text is what is stored.
    const texts = messages.map((m) => JSON.stringify(m, null, 1));
    expect(await outbox.append(messages, texts)).toEqual([1, 2]);
    const payload = (await readFile(join(dir, 'seg-0000000000000001.log'))).toString('utf8');
    expect(payload).toContain(texts[0] as string);
    expect((await outbox.read('a', 10)).map((r) => r.message)).toEqual(messages);
    await outbox.close();
  });
});
