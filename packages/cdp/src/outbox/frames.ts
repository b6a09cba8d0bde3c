import { crc32 } from './crc32';

/** Bytes before each payload: u32 LE payload length, u32 LE CRC-32 of the payload. */
export const HEADER_BYTES = 8;
/** Largest payload accepted; a longer length field can only be corruption. */
export const MAX_PAYLOAD_BYTES = 1 << 20;

/** Frames one JSON-encodable value. */
export function encodeFrame(value: unknown): Buffer {
  return encodeJsonFrame(JSON.stringify(value));
}

/** Frames JSON text that is already encoded. */
export function encodeJsonFrame(json: string): Buffer {
  // Stryker disable next-line StringLiteral: Buffer treats an empty encoding name as 'utf8' (and the wrapper text is ASCII, the same bytes in latin1 and utf8)
  const payload = Buffer.from(json, 'utf8');
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, HEADER_BYTES);
  return frame;
}

/**
 * Frames outbox records `{"s":<seq>,"m":<json>}` for consecutive sequence numbers starting at
 * `firstSeq`, all into one buffer: the same bytes as `encodeJsonFrame` of each record text,
 * without a buffer and a copy per record (a group commit writes thousands at once).
 */
export function encodeRecordFrames(firstSeq: number, jsons: readonly string[]): Buffer {
  let total = 0;
  // Stryker disable next-line StringLiteral: Buffer treats an empty encoding name as 'utf8' (and the wrapper text is ASCII, the same bytes in latin1 and utf8)
  for (const json of jsons) total += HEADER_BYTES + 32 + Buffer.byteLength(json, 'utf8'); // 32 ≥ the wrapper's 11 bytes + a seq's 16 digits at most
  const buffer = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < jsons.length; i++) {
    const start = at + HEADER_BYTES;
    // Stryker disable next-line StringLiteral: Buffer treats an empty encoding name as 'utf8' (and the wrapper text is ASCII, the same bytes in latin1 and utf8)
    let end = start + buffer.write(`{"s":${firstSeq + i},"m":`, start, 'latin1');
    // Stryker disable next-line StringLiteral: Buffer treats an empty encoding name as 'utf8' (and the wrapper text is ASCII, the same bytes in latin1 and utf8)
    end += buffer.write(jsons[i] as string, end, 'utf8');
    buffer[end++] = 0x7d; // }
    buffer.writeUInt32LE(end - start, at);
    buffer.writeUInt32LE(crc32(buffer, start, end), at + 4);
    at = end;
  }
  return buffer.subarray(0, at);
}

/** Result of decoding the frame at an offset. */
export type FrameResult =
  | { readonly kind: 'ok'; readonly value: unknown; readonly next: number }
  /** Fewer bytes than the frame needs: a torn tail, or a chunk boundary when reading in chunks. */
  | { readonly kind: 'short' }
  /** The checksum, the length or the JSON is wrong: corruption. */
  | { readonly kind: 'bad' };

/** Where the payload of the frame at an offset lies, checked (length and CRC) but not parsed. */
export type FrameBounds =
  | { readonly kind: 'ok'; readonly start: number; readonly next: number }
  | { readonly kind: 'short' }
  | { readonly kind: 'bad' };

/** Finds and checks the frame at `offset` of `bytes` (which ends at `end`); the payload is `[start, next)`. */
export function frameBounds(bytes: Buffer, offset: number, end: number): FrameBounds {
  if (end - offset < HEADER_BYTES) return { kind: 'short' };
  const length = bytes.readUInt32LE(offset);
  if (length > MAX_PAYLOAD_BYTES) return { kind: 'bad' };
  const start = offset + HEADER_BYTES;
  if (end - start < length) return { kind: 'short' };
  if (crc32(bytes, start, start + length) !== bytes.readUInt32LE(offset + 4)) return { kind: 'bad' };
  return { kind: 'ok', start, next: start + length };
}

/** Decodes the frame at `offset` of `bytes` (which ends at `end`). */
export function decodeFrame(bytes: Buffer, offset: number, end: number): FrameResult {
  const bounds = frameBounds(bytes, offset, end);
  if (bounds.kind !== 'ok') return bounds;
  try {
    return { kind: 'ok', value: JSON.parse(bytes.toString('utf8', bounds.start, bounds.next)), next: bounds.next };
  } catch {
    return { kind: 'bad' };
  }
}

/**
 * Where the message of a record payload `{"s":<seq>,"m":<json>}` as `encodeRecordFrames` writes
 * it starts (its sequence number is then `seqOf`), read without parsing the message; -1 for any
 * other shape (the caller then parses the record). The message ends one byte before `next`.
 */
export function recordMessageStart(bytes: Buffer, start: number, next: number): number {
  // {"s":  then digits, then ,"m":  and a closing } at the end
  if (next - start < 12 || bytes[next - 1] !== 0x7d || bytes[start] !== 0x7b || bytes[start + 1] !== 0x22 || bytes[start + 2] !== 0x73 || bytes[start + 3] !== 0x22 || bytes[start + 4] !== 0x3a) return -1;
  let at = start + 5;
  while (at < next && at - start < 21 && (bytes[at] as number) >= 0x30 && (bytes[at] as number) <= 0x39) at++;
  if (at === start + 5 || at + 5 > next || bytes[at] !== 0x2c || bytes[at + 1] !== 0x22 || bytes[at + 2] !== 0x6d || bytes[at + 3] !== 0x22 || bytes[at + 4] !== 0x3a) return -1;
  return at + 5;
}

/** The sequence number of a record whose message starts at `messageStart` (see {@link recordMessageStart}). */
export function recordSeq(bytes: Buffer, start: number, messageStart: number): number {
  let seq = 0;
  for (let at = start + 5; at < messageStart - 5; at++) seq = seq * 10 + ((bytes[at] as number) - 0x30);
  return seq;
}

/**
 * The sequence number and message bounds of a record payload `{"s":<seq>,"m":<json>}` as
 * `encodeRecordFrames` writes it, read without parsing the message; undefined for any other
 * shape (the caller then parses the record).
 */
export function recordBounds(bytes: Buffer, start: number, next: number): { readonly seq: number; readonly messageStart: number; readonly messageEnd: number } | undefined {
  const messageStart = recordMessageStart(bytes, start, next);
  if (messageStart < 0) return undefined;
  return { seq: recordSeq(bytes, start, messageStart), messageStart, messageEnd: next - 1 };
}
