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

// ---- checking a stored message without parsing it ---------------------------------------------

/** Deepest nesting accepted (a message is a few levels deep; this only bounds the stack). */
const MAX_DEPTH = 512;
/** `"messageId"`, with its quotes. */
const MESSAGE_ID_KEY = Buffer.from('"messageId"', 'latin1');
/** Open containers of the current check: 1 object, 2 array (one check at a time: JS is single-threaded and the check never yields). */
const containers = new Uint8Array(MAX_DEPTH + 1);
/** Whether the last string {@link scanString} passed held an escape. */
let stringEscaped = false;

function skipSpace(bytes: Buffer, at: number, end: number): number {
  while (at < end) {
    const byte = bytes[at];
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) break;
    at++;
  }
  return at;
}

const isHex = (byte: number | undefined) => byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));

/** Passes the string whose opening quote is at `at`; the position after it, or -1 when it is not valid JSON. */
function scanString(bytes: Buffer, at: number, end: number): number {
  stringEscaped = false;
  at++;
  while (at < end) {
    const byte = bytes[at] as number;
    if (byte === 0x22) return at + 1;
    if (byte < 0x20) return -1;
    if (byte === 0x5c) {
      stringEscaped = true;
      const next = bytes[at + 1];
      if (next === 0x75) {
        if (at + 6 > end || !isHex(bytes[at + 2]) || !isHex(bytes[at + 3]) || !isHex(bytes[at + 4]) || !isHex(bytes[at + 5])) return -1;
        at += 6;
        continue;
      }
      if (at + 2 > end || (next !== 0x22 && next !== 0x5c && next !== 0x2f && next !== 0x62 && next !== 0x66 && next !== 0x6e && next !== 0x72 && next !== 0x74)) return -1;
      at += 2;
      continue;
    }
    at++;
  }
  return -1;
}

function scanDigits(bytes: Buffer, at: number, end: number): number {
  while (at < end && (bytes[at] as number) >= 0x30 && (bytes[at] as number) <= 0x39) at++;
  return at;
}

/** Passes the number at `at`; the position after it, or -1. */
function scanNumber(bytes: Buffer, at: number, end: number): number {
  if (bytes[at] === 0x2d) at++;
  if (at < end && bytes[at] === 0x30) at++;
  else {
    const after = scanDigits(bytes, at, end);
    if (after === at) return -1;
    at = after;
  }
  if (at < end && bytes[at] === 0x2e) {
    const after = scanDigits(bytes, at + 1, end);
    if (after === at + 1) return -1;
    at = after;
  }
  if (at < end && (bytes[at] === 0x65 || bytes[at] === 0x45)) {
    at++;
    if (at < end && (bytes[at] === 0x2b || bytes[at] === 0x2d)) at++;
    const after = scanDigits(bytes, at, end);
    if (after === at) return -1;
    at = after;
  }
  return at;
}

/** Passes the literal `text` at `at`; the position after it, or -1. */
function scanLiteral(bytes: Buffer, at: number, end: number, text: string): number {
  if (at + text.length > end) return -1;
  for (let k = 0; k < text.length; k++) if (bytes[at + k] !== text.charCodeAt(k)) return -1;
  return at + text.length;
}

/**
 * Whether `bytes[start, end)` is JSON text of an object with a string `messageId` (what every
 * stored message is), checked byte by byte without building the value (about half the time of
 * `JSON.parse`): the read path that hands JSON text on unparsed uses it so a record whose
 * checksum is right but whose text is not a message (written by a bug or another version) is
 * never passed on. Agrees with `JSON.parse` (a `messageId` given twice counts as the last one, as
 * `JSON.parse` keeps it), except that nesting deeper than 512 levels is refused.
 */
export function isMessageJson(bytes: Buffer, start: number, end: number): boolean {
  let at = skipSpace(bytes, start, end);
  if (at >= end || bytes[at] !== 0x7b) return false;
  let depth = 0;
  let messageId = false;
  // Whether the member of the top object being read is `messageId`.
  let memberIsMessageId = false;
  // Whether an object member's key (and its colon) comes before the next value.
  let expectKey = false;
  for (;;) {
    if (expectKey) {
      if (at >= end || bytes[at] !== 0x22) return false;
      const keyStart = at;
      at = scanString(bytes, at, end);
      if (at < 0) return false;
      if (depth === 1) memberIsMessageId = isMessageIdKey(bytes, keyStart, at);
      at = skipSpace(bytes, at, end);
      if (at >= end || bytes[at] !== 0x3a) return false;
      at = skipSpace(bytes, at + 1, end);
      expectKey = false;
    }
    // A value starts at `at` (whitespace skipped).
    let first = bytes[at];
    if (at >= end) return false;
    if (first === 0x7b || first === 0x5b) {
      const close = first === 0x7b ? 0x7d : 0x5d;
      at = skipSpace(bytes, at + 1, end);
      if (at < end && bytes[at] === close) {
        at++;
      } else {
        if (depth === MAX_DEPTH) return false;
        containers[++depth] = first === 0x7b ? 1 : 2;
        expectKey = first === 0x7b; // the object's first key
        continue;
      }
    } else if (first === 0x22) {
      at = scanString(bytes, at, end);
    } else if (first === 0x74) at = scanLiteral(bytes, at, end, 'true');
    else if (first === 0x66) at = scanLiteral(bytes, at, end, 'false');
    else if (first === 0x6e) at = scanLiteral(bytes, at, end, 'null');
    else if (first === 0x2d || (first !== undefined && first >= 0x30 && first <= 0x39)) at = scanNumber(bytes, at, end);
    else return false;
    if (at < 0) return false;
    // A value ended at `at`; close every container that ends here.
    for (;;) {
      if (depth === 1 && memberIsMessageId) messageId = first === 0x22;
      if (depth === 0) return skipSpace(bytes, at, end) === end && messageId;
      at = skipSpace(bytes, at, end);
      if (at >= end) return false;
      const byte = bytes[at];
      const kind = containers[depth];
      if (byte === 0x2c) {
        at = skipSpace(bytes, at + 1, end);
        expectKey = kind === 1;
        break; // the next member or element
      }
      if ((kind === 1 && byte === 0x7d) || (kind === 2 && byte === 0x5d)) {
        // The container is a value of the one around it: not a string.
        at++;
        depth--;
        first = kind === 1 ? 0x7b : 0x5b;
        continue;
      }
      return false;
    }
  }
}

/** Whether the key string `bytes[start, end)` (quotes included) is `messageId`. */
function isMessageIdKey(bytes: Buffer, start: number, end: number): boolean {
  if (stringEscaped) return JSON.parse(bytes.toString('utf8', start, end)) === 'messageId';
  return end - start === MESSAGE_ID_KEY.length && bytes.compare(MESSAGE_ID_KEY, 0, MESSAGE_ID_KEY.length, start, end) === 0;
}
