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
  for (const json of jsons) total += HEADER_BYTES + 32 + Buffer.byteLength(json, 'utf8'); // 32 ≥ the wrapper's 11 bytes + a seq's 16 digits at most
  const buffer = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < jsons.length; i++) {
    const start = at + HEADER_BYTES;
    let end = start + buffer.write(`{"s":${firstSeq + i},"m":`, start, 'latin1');
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

/** Decodes the frame at `offset` of `bytes` (which ends at `end`). */
export function decodeFrame(bytes: Buffer, offset: number, end: number): FrameResult {
  if (end - offset < HEADER_BYTES) return { kind: 'short' };
  const length = bytes.readUInt32LE(offset);
  if (length > MAX_PAYLOAD_BYTES) return { kind: 'bad' };
  const start = offset + HEADER_BYTES;
  if (end - start < length) return { kind: 'short' };
  if (crc32(bytes, start, start + length) !== bytes.readUInt32LE(offset + 4)) return { kind: 'bad' };
  try {
    return { kind: 'ok', value: JSON.parse(bytes.toString('utf8', start, start + length)), next: start + length };
  } catch {
    return { kind: 'bad' };
  }
}
