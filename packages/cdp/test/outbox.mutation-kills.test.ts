// The file outbox's framing checked byte by byte against values computed here independently:
// CRC-32 against its published check value and a bitwise (table-free) implementation, frame
// layout (u32 LE length, u32 LE CRC, payload), and the decoder at every boundary of a frame
// (one byte short of the header, of the payload, exactly complete), so a torn tail is "short"
// and never "bad" and corruption is "bad" and never delivered.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
