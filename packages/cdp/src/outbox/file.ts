import { mkdir, open, readdir, readFile, rename, rm, stat, truncate } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ConfigError, ProviderError, ValidationError, parse, silentLogger, systemClock } from '@almanac/core';
import type { Clock, Logger } from '@almanac/core';
import * as z from '@almanac/core/schema';
import type { CdpMessage } from '../messages/types';
import type { Outbox, OutboxRecord, OutboxStats, QuarantinedMessage } from '../spec';
import { decodeFrame, encodeFrame, encodeRecordFrames, frameBounds, isMessageJson, MAX_PAYLOAD_BYTES, recordMessageStart, recordSeq } from './frames';

/** Options of {@link createFileOutbox}. */
export interface FileOutboxOptions {
  /** Directory of the segment files (created when missing). One outbox at a time may use it: a `LOCK` file holds the owner's pid, and a lock left by a dead process is taken over. */
  readonly dir: string;
  /**
   * When appends are fsynced; in both modes `append` resolves only after its data is on disk.
   * `always`: each `append` call is written and fsynced on its own. `batch`: appends that arrive
   * while a write is in flight are combined into one write and one fsync (group commit), which
   * is much faster under concurrency. Default `batch`.
   */
  readonly fsync?: 'always' | 'batch' | undefined;
  /** A segment is closed and a new one started past this size, in bytes. Default 8 MiB. */
  readonly segmentBytes?: number | undefined;
  /** Clock of quarantine timestamps. */
  readonly clock?: Clock | undefined;
  /**
   * Where a warning goes when a record is skipped because its checksum is right but its payload
   * is not a message (written by a bug or another version): it is never delivered, and the
   * records after it are. Default: silent.
   */
  readonly logger?: Logger | undefined;
}

const optionsSchema = z.object({
  dir: z.string().min(1, 'must not be empty'),
  fsync: z.enum(['always', 'batch']).optional(),
  segmentBytes: z.number().int().min(1024).max(1 << 30).optional(),
  clock: z.custom<Clock>((value) => typeof value === 'object' && value !== null && typeof (value as Clock).now === 'function').optional(),
  logger: z.custom<Logger>((value) => typeof value === 'object' && value !== null && typeof (value as Logger).warn === 'function', 'must be a Logger').optional(),
});

interface Segment {
  readonly startSeq: number;
  readonly path: string;
  /** Highest sequence number in it (startSeq − 1 when empty). */
  lastSeq: number;
  /** Bytes written and fsynced: readers never look past it. */
  durableSize: number;
}

interface Cursor {
  /** Every record up to this seq has been acknowledged. */
  readonly seq: number;
  /** Segment start seq and byte offset of the first record after `seq`, when known. */
  readonly segmentStart: number;
  readonly offset: number;
}

/** Records waiting for one write: consecutive sequence numbers, their JSON texts, one promise. */
interface PendingWrite {
  readonly firstSeq: number;
  lastSeq: number;
  readonly jsons: string[];
  readonly done: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function pendingWrite(firstSeq: number): PendingWrite {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A group nobody awaits any more (every caller failed earlier) must not be an unhandled rejection.
  done.catch(() => undefined);
  return { firstSeq, lastSeq: firstSeq - 1, jsons: [], done, resolve, reject };
}

/** JSON texts gathered into one growing buffer, `\n` between them (one string at the end, not one per record). */
class LineBuffer {
  count = 0;
  lastSeq = 0;
  segmentStart = 0;
  offset = 0;
  private bytes = Buffer.allocUnsafe(1 << 16);
  private length = 0;

  /** Adds `source[start, end)` as one line; `mayBreak` when it may hold a line break (turned into a space). */
  add(source: Buffer, start: number, end = source.length, mayBreak = true): void {
    const need = this.length + (end - start) + 1;
    if (need > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    if (this.count > 0) this.bytes[this.length++] = 0x0a;
    const from = this.length;
    this.length += source.copy(this.bytes, from, start, end);
    // A line break inside JSON text can only be whitespace between tokens (strings escape it): a space keeps one message per line.
    if (mayBreak) {
      for (let at = from; at < this.length; at++) if (this.bytes[at] === 0x0a) this.bytes[at] = 0x20;
    }
    this.count += 1;
  }

  text(): string {
    return this.bytes.toString('utf8', 0, this.length);
  }
}

/** Positions of the records of one read: sequence number, segment, end offset. */
interface Positions {
  readonly seqs: number[];
  readonly segmentStarts: number[];
  readonly offsets: number[];
}

const SEGMENT_FILE = /^seg-(\d{16})\.log$/;
const LOCK_FILE = 'LOCK';
// Directories opened by this process (a second open in the same process is refused too).
const openDirs = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string | undefined }).code === 'EPERM';
  }
}

/** Takes the directory's lock: refused while another live process (or this one) holds it; a dead holder's lock is taken over. */
async function lockDir(dir: string): Promise<void> {
  const path = join(dir, LOCK_FILE);
  if (openDirs.has(path)) throw new ConfigError(`outbox directory ${dir} is already open in this process`, [{ path: 'options.dir', message: 'in use' }]);
  let created = false;
  try {
    const handle = await open(path, 'wx');
    created = true;
    try {
      await handle.writeFile(String(process.pid));
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as { code?: string | undefined }).code !== 'EEXIST') {
      // A LOCK file this call created but could not fill would refuse every later open: removed
      // (best effort: the original error is the one worth reporting).
      if (created) await rm(path, { force: true }).catch(() => undefined);
      throw error;
    }
    const holder = Number((await readFile(path, 'utf8')).trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
      throw new ConfigError(`outbox directory ${dir} is in use by process ${holder}`, [{ path: 'options.dir', message: 'in use' }]);
    }
    await writeAtomically(dir, LOCK_FILE, String(process.pid)); // stale: its holder died (e.g. a crash)
  }
  openDirs.add(path);
}
const ACKS_FILE = 'acks.json';
const QUARANTINE_FILE = 'quarantine.log';
const READ_CHUNK = 1 << 20;
const segmentName = (startSeq: number) => `seg-${String(startSeq).padStart(16, '0')}.log`;
const acksSchema = z.object({ version: z.literal(1), acks: z.record(z.string(), z.number().int().min(0)) });

async function fsyncDir(dir: string): Promise<void> {
  // Makes a created, renamed or removed entry durable. Some platforms cannot open directories.
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported here (e.g. Windows): the rename itself is still atomic.
  } finally {
    await handle?.close();
  }
}

/** Writes all of `bytes` at the end of the file: a write may store fewer bytes than asked without failing. */
async function writeFully(handle: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
    if (bytesWritten <= 0) throw Object.assign(new Error(`write stored no bytes (${written} of ${bytes.length} written)`), { code: 'EIO' });
    written += bytesWritten;
  }
}

async function writeAtomically(dir: string, name: string, content: string): Promise<void> {
  const tmp = join(dir, `${name}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, join(dir, name));
  await fsyncDir(dir);
}

/** Reads every valid frame of a file; stops at the first torn or corrupt one. */
async function scanFile(path: string): Promise<{ values: unknown[]; validBytes: number; size: number; bad: boolean }> {
  const bytes = await readFile(path);
  const values: unknown[] = [];
  let offset = 0;
  for (;;) {
    const frame = decodeFrame(bytes, offset, bytes.length);
    if (frame.kind !== 'ok') return { values, validBytes: offset, size: bytes.length, bad: offset < bytes.length };
    values.push(frame.value);
    offset = frame.next;
  }
}

/** A stored record's sequence number: a positive safe integer, else undefined. */
const seqOf = (value: unknown): number | undefined => (Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : undefined);

/** Why a parsed record payload is not a deliverable record, or undefined when it is one. */
function recordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the record is not an object';
  const { s, m } = value as { s?: unknown; m?: unknown };
  if (seqOf(s) === undefined) return 'its sequence number is not a positive integer';
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'the message is not an object';
  if (typeof (m as { messageId?: unknown }).messageId !== 'string') return 'the message has no string messageId';
  return undefined;
}

/**
 * Scans a segment file at open: how many bytes hold whole frames whose checksum is right (a
 * record that is not a message still ends where its length says: not a torn tail), and the
 * highest sequence number in it (so new appends are numbered after every stored record).
 */
async function scanSegment(path: string): Promise<{ validBytes: number; lastSeq: number; bad: boolean }> {
  const bytes = await readFile(path);
  let offset = 0;
  let lastSeq = 0;
  for (;;) {
    const frame = frameBounds(bytes, offset, bytes.length);
    if (frame.kind !== 'ok') return { validBytes: offset, lastSeq, bad: offset < bytes.length };
    const messageStart = recordMessageStart(bytes, frame.start, frame.next);
    let seq: number | undefined;
    if (messageStart >= 0) seq = recordSeq(bytes, frame.start, messageStart);
    else {
      try {
        seq = seqOf((JSON.parse(bytes.toString('utf8', frame.start, frame.next)) as { s?: unknown } | null)?.s);
      } catch {
        seq = undefined; // not JSON: no number to keep clear of
      }
    }
    if (seq !== undefined) lastSeq = Math.max(lastSeq, seq);
    offset = frame.next;
  }
}

/**
 * The embedded, crash-safe outbox: append-only segment files of length-prefixed records, each
 * with a CRC-32, so a record torn by a crash (or corrupted on disk) is detected on the next open
 * and skipped instead of being delivered as garbage; the torn tail is truncated so new records
 * follow good data. Acknowledged positions are written atomically (temp file, fsync, rename), and
 * a segment is deleted once every registered consumer has acknowledged all of it.
 *
 * A failed or partial write (or fsync) rejects the appends it carried and is cut back to the last
 * durable size before anything else is written, so appends that resolve later survive a restart.
 *
 * @throws `ValidationError` for bad options; file-system errors when `dir` cannot be used (the
 * directory's lock is released again, so a later open can succeed). Appends reject with
 * `ProviderError` once a failed write could not be cut back, until the outbox is reopened.
 */
export async function createFileOutbox(options: FileOutboxOptions): Promise<Outbox> {
  const opts = parse(optionsSchema, options, { path: 'options', operation: 'createFileOutbox' });
  const dir = opts.dir;
  const mode = opts.fsync ?? 'batch';
  const segmentBytes = opts.segmentBytes ?? 8 << 20;
  const clock = opts.clock ?? systemClock;
  await mkdir(dir, { recursive: true });
  await lockDir(dir);
  try {
    return await openLocked(dir, mode, segmentBytes, clock, opts.logger ?? silentLogger);
  } catch (error) {
    // Release the lock (this process's entry and the LOCK file), so a retry after the cause is
    // repaired (e.g. a damaged acks.json) is not refused until a restart. Cleanup failures must
    // not hide the error that stopped the open.
    openDirs.delete(join(dir, LOCK_FILE));
    await rm(join(dir, LOCK_FILE), { force: true }).catch(() => undefined);
    throw error;
  }
}

/** The rest of {@link createFileOutbox}, once the directory's lock is held; opens no handle it does not close on failure. */
async function openLocked(dir: string, mode: 'always' | 'batch', segmentBytes: number, clock: Clock, logger: Logger): Promise<Outbox> {
  // Recover: scan every segment, truncate a torn or corrupt tail.
  let skippedRecords = 0;
  const segments: Segment[] = [];
  const names = (await readdir(dir)).filter((name) => SEGMENT_FILE.test(name)).sort();
  let lastSeq = 0;
  for (const name of names) {
    const path = join(dir, name);
    const startSeq = Number((SEGMENT_FILE.exec(name) as RegExpExecArray)[1]);
    const scan = await scanSegment(path);
    if (scan.bad) {
      skippedRecords += 1;
      await truncate(path, scan.validBytes);
    }
    const segLast = Math.max(startSeq - 1, scan.lastSeq);
    segments.push({ startSeq, path, lastSeq: segLast, durableSize: scan.validBytes });
    lastSeq = Math.max(lastSeq, segLast);
  }

  // A crash in the middle of a quarantine leaves a torn entry at the end of its log: cut, like a
  // segment's torn tail, or every entry quarantined after it would be hidden behind it.
  try {
    // Whole frames with a right checksum are kept, whatever they hold: only a torn or corrupt tail goes.
    const quarantined = await scanSegment(join(dir, QUARANTINE_FILE));
    if (quarantined.bad) await truncate(join(dir, QUARANTINE_FILE), quarantined.validBytes);
  } catch (error) {
    if ((error as { code?: string | undefined }).code !== 'ENOENT') throw error;
  }

  let acks: Record<string, number> = {};
  try {
    const text = await readFile(join(dir, ACKS_FILE), 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // Named, so the user knows which file to repair (a bare SyntaxError names none).
      throw new ValidationError(
        `${ACKS_FILE} in ${dir} is not valid JSON: repair it, or remove it to deliver again from the oldest stored record (sinks deduplicate on messageId)`,
        [{ path: ACKS_FILE, message: 'not valid JSON' }],
        { operation: 'createFileOutbox', cause: error },
      );
    }
    acks = parse(acksSchema, value, { path: ACKS_FILE }).acks;
  } catch (error) {
    if ((error as { code?: string | undefined }).code !== 'ENOENT') throw error;
  }
  const consumers = new Set<string>();
  const cursors = new Map<string, Cursor>();
  // Where each record of a consumer's last read ends, as parallel number arrays (one object
  // per record would be thousands of allocations per read), so `ack` can resume there.
  const lastReads = new Map<string, Positions>();

  let active: { segment: Segment; handle: FileHandle } | undefined;
  let closed = false;
  let queue: PendingWrite[] = [];
  let writing = false;
  let drainScheduled = false;
  // Set when a failed write could not be undone: torn bytes may end the active segment, and a
  // record written after them would be cut away with them by the next open's recovery.
  let poisoned: ProviderError | undefined;
  // Records skipped as not messages, by segment and end offset: each is warned about once.
  const warnedRecords = new Set<string>();

  /** Skips a record that passed its checksum but is not a message: a warning (never the payload), once. */
  function skipRecord(segment: Segment, endPosition: number, reason: string): void {
    const key = `${segment.startSeq}:${endPosition}`;
    if (warnedRecords.has(key)) return;
    warnedRecords.add(key);
    logger.warn('cdp outbox skipped a stored record that is not a message', { segment: basename(segment.path), offset: endPosition, reason });
  }

  const ensureOpen = () => {
    if (closed) throw new ConfigError('the outbox is closed', [{ path: 'outbox', message: 'closed' }]);
  };

  async function activeSegment(firstSeq: number): Promise<{ segment: Segment; handle: FileHandle }> {
    if (active && active.segment.durableSize < segmentBytes) return active;
    if (active) {
      await active.handle.close();
      active = undefined;
    }
    const last = segments[segments.length - 1];
    const reuse = last !== undefined && last.durableSize < segmentBytes;
    const segment: Segment = reuse ? last : { startSeq: firstSeq, path: join(dir, segmentName(firstSeq)), lastSeq: firstSeq - 1, durableSize: 0 };
    const handle = await open(segment.path, 'a');
    // Listed once its file exists (a failed open leaves no segment readers would try to open).
    if (!reuse) segments.push(segment);
    if (segment.durableSize === 0) await fsyncDir(dir);
    active = { segment, handle };
    return active;
  }

  async function drain(): Promise<void> {
    if (writing) return;
    writing = true;
    try {
      while (queue.length > 0) {
        // `always` takes one append call at a time; `batch` takes everything waiting.
        const taken = mode === 'always' ? [queue.shift() as PendingWrite] : queue;
        if (mode === 'batch') queue = [];
        if (poisoned) {
          for (const write of taken) write.reject(poisoned);
          continue;
        }
        let target: { segment: Segment; handle: FileHandle } | undefined;
        try {
          target = await activeSegment((taken[0] as PendingWrite).firstSeq);
          const { segment, handle } = target;
          // Groups are consecutive (appends take sequence numbers in order), so one buffer frames them all.
          const jsons = taken.length === 1 ? (taken[0] as PendingWrite).jsons : taken.flatMap((write) => write.jsons);
          const bytes = encodeRecordFrames((taken[0] as PendingWrite).firstSeq, jsons);
          // The texts are in `bytes` now: released before the write and fsync wait, so they die
          // young instead of being copied into the old generation by the collections meanwhile.
          for (const write of taken) write.jsons.length = 0;
          await writeFully(handle, bytes);
          await handle.sync();
          segment.durableSize += bytes.length;
          segment.lastSeq = Math.max(segment.lastSeq, (taken[taken.length - 1] as PendingWrite).lastSeq);
          for (const write of taken) write.resolve();
        } catch (error) {
          for (const write of taken) write.reject(error);
          // Part of the bytes (or all of them, unsynced) may be in the file: cut back to the last
          // durable size before anything else is appended.
          if (target) await undoWrite(target);
        }
      }
    } finally {
      writing = false;
    }
  }

  /**
   * Truncates the segment back to its durable size after a failed write or fsync, so the next
   * record follows good data (a record after torn bytes would be lost at the next open, which
   * truncates at the first bad record) and a rejected record does not come back whole. When even
   * that fails, the outbox takes no more appends until it is reopened (whose recovery cuts the tail).
   */
  async function undoWrite(target: { segment: Segment; handle: FileHandle }): Promise<void> {
    try {
      await target.handle.truncate(target.segment.durableSize);
      await target.handle.sync();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      poisoned = new ProviderError(`the file outbox takes no more appends: a failed write to ${basename(target.segment.path)} could not be undone (${reason}); close and reopen it to recover`, {
        provider: 'file-outbox',
        operation: 'append',
        cause: error,
      });
      if (active === target) active = undefined;
      await target.handle.close().catch(() => undefined);
    }
  }

  function checkedText(text: string): string {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: only long texts need an exact count.
    if (text.length * 3 > MAX_PAYLOAD_BYTES - 64 && Buffer.byteLength(text) > MAX_PAYLOAD_BYTES - 64) {
      throw new ValidationError(undefined, [{ path: 'message', message: `must encode to at most ${MAX_PAYLOAD_BYTES - 64} bytes` }]);
    }
    return text;
  }

  /**
   * The group an append joins. `batch` adds to the group that has not been taken for writing yet
   * (one write, one fsync and one promise for every append of the turn); `always` writes each
   * call on its own.
   */
  function openWrite(): PendingWrite {
    let write = mode === 'batch' ? queue[queue.length - 1] : undefined;
    if (!write) {
      write = pendingWrite(lastSeq + 1);
      queue.push(write);
      if (mode === 'always') void drain();
      else if (!drainScheduled) {
        // Waits for the current turn of the event loop, so every append issued in it shares
        // the write (one wake-up per turn, not per call).
        drainScheduled = true;
        setImmediate(() => {
          drainScheduled = false;
          void drain();
        });
      }
    }
    return write;
  }

  // Acknowledgements are written one at a time: two writes of the same temp file at once (the
  // collector delivers to its sinks in parallel) would interleave it or rename it from under
  // each other. Each write takes the positions as they are when it starts, so it holds every
  // acknowledgement made before it was asked for.
  let acksWritten: Promise<void> = Promise.resolve();
  function persistAcks(): Promise<void> {
    const write = acksWritten.then(() => writeAtomically(dir, ACKS_FILE, JSON.stringify({ version: 1, acks })));
    acksWritten = write.catch(() => undefined);
    return write;
  }

  async function compact(): Promise<void> {
    if (consumers.size === 0) return;
    const floor = Math.min(...[...consumers].map((name) => acks[name] ?? 0));
    // Never delete the segment being appended to; older ones go once fully acknowledged.
    while (segments.length > 1 && (segments[0] as Segment).lastSeq <= floor && segments[0] !== active?.segment) {
      const done = segments.shift() as Segment;
      await rm(done.path, { force: true });
    }
  }

  /**
   * Visits the checked frames of one segment from `offset` up to its durable size, in order,
   * until `visit` returns false; `visit` gets the payload bounds and the frame's end in the file.
   */
  /**
   * Parses a stored record whose checksum is right; `undefined` (after a warning) when it is not
   * JSON or not a record of a message: a whole record a bug wrote, not a torn one, skipped so it
   * neither reaches a sink nor stops the records after it.
   */
  function parseRecord(segment: Segment, bytes: Buffer, start: number, next: number, endPosition: number): { s: number; m: CdpMessage } | undefined {
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8', start, next));
    } catch {
      skipRecord(segment, endPosition, 'the record is not JSON');
      return undefined;
    }
    const problem = recordProblem(value);
    if (problem !== undefined) {
      skipRecord(segment, endPosition, problem);
      return undefined;
    }
    return value as { s: number; m: CdpMessage };
  }

  async function forEachFrame(segment: Segment, offset: number, visit: (bytes: Buffer, start: number, next: number, endPosition: number) => boolean): Promise<void> {
    const handle = await open(segment.path, 'r');
    try {
      // `buffer` holds the file bytes [bufferStart, bufferStart + buffer.length); `position` is the next frame.
      let position = offset;
      let buffer = Buffer.alloc(0);
      let bufferStart = offset;
      while (position < segment.durableSize) {
        const frame = frameBounds(buffer, position - bufferStart, buffer.length);
        if (frame.kind === 'short') {
          const loaded = bufferStart + buffer.length;
          if (loaded >= segment.durableSize) break;
          const want = Math.min(READ_CHUNK, segment.durableSize - loaded);
          const chunk = Buffer.allocUnsafe(want);
          const { bytesRead } = await handle.read(chunk, 0, want, loaded);
          if (bytesRead === 0) break;
          buffer = Buffer.concat([buffer.subarray(position - bufferStart), chunk.subarray(0, bytesRead)]);
          bufferStart = position;
          continue;
        }
        if (frame.kind === 'bad') break; // below durableSize only if the file changed under us
        position = bufferStart + frame.next;
        if (!visit(buffer, frame.start, frame.next, position)) break;
      }
    } finally {
      await handle.close();
    }
  }

  /** Reads records of one segment from `offset`, parsed, into `out`. */
  async function readSegment(segment: Segment, offset: number, afterSeq: number, max: number, out: OutboxRecord[], positions: Positions): Promise<void> {
    if (out.length >= max) return;
    await forEachFrame(segment, offset, (bytes, start, next, endPosition) => {
      const value = parseRecord(segment, bytes, start, next, endPosition);
      if (value === undefined) return true;
      if (value.s > afterSeq) {
        out.push({ seq: value.s, message: value.m });
        positions.seqs.push(value.s);
        positions.segmentStarts.push(segment.startSeq);
        positions.offsets.push(endPosition);
      }
      return out.length < max;
    });
  }

  /** Reads records of one segment from `offset` as JSON lines into `lines` (no message is parsed). */
  async function readSegmentEncoded(segment: Segment, offset: number, afterSeq: number, max: number, lines: LineBuffer): Promise<void> {
    if (lines.count >= max) return;
    // The next line break at or after the current frame in the current buffer (JSON.stringify
    // writes none, so usually one search per chunk finds none at all).
    let scanned: Buffer | undefined;
    let lineBreak = -1;
    await forEachFrame(segment, offset, (bytes, start, next, endPosition) => {
      const messageStart = recordMessageStart(bytes, start, next);
      let seq: number;
      if (messageStart >= 0) {
        seq = recordSeq(bytes, start, messageStart);
        if (seq > afterSeq) {
          // The text goes on unparsed: checked byte by byte (no value built) to be a JSON object
          // with a string messageId, as a sink's engine will parse it.
          if (!isMessageJson(bytes, messageStart, next - 1)) {
            skipRecord(segment, endPosition, 'the message is not a JSON object with a string messageId');
            return true;
          }
          if (bytes !== scanned || (lineBreak >= 0 && lineBreak < messageStart)) {
            scanned = bytes;
            lineBreak = bytes.indexOf(0x0a, messageStart);
          }
          lines.add(bytes, messageStart, next - 1, lineBreak >= 0 && lineBreak < next);
        }
      } else {
        // Not the shape encodeRecordFrames writes: parse it and encode the message again.
        const value = parseRecord(segment, bytes, start, next, endPosition);
        if (value === undefined) return true;
        seq = value.s;
        if (seq > afterSeq) lines.add(Buffer.from(JSON.stringify(value.m), 'utf8'), 0, undefined, false);
      }
      if (seq > afterSeq) {
        lines.lastSeq = seq;
        lines.segmentStart = segment.startSeq;
        lines.offset = endPosition;
      }
      return lines.count < max;
    });
  }

  const outbox: Outbox = {
    kind: 'file',
    async registerConsumers(list) {
      ensureOpen();
      let changed = false;
      for (const name of list) {
        consumers.add(name);
        if (acks[name] === undefined) {
          // A new consumer starts at what is still on disk.
          acks[name] = segments.length > 0 ? (segments[0] as Segment).startSeq - 1 : lastSeq;
          changed = true;
        }
      }
      if (changed) await persistAcks();
    },

    append(messages: readonly CdpMessage[], json?: readonly string[]) {
      try {
        ensureOpen();
        if (poisoned) return Promise.reject(poisoned);
        if (messages.length === 0) return Promise.resolve([]);
        const texts = messages.map((message, i) => checkedText(json?.[i] ?? JSON.stringify(message)));
        const write = openWrite();
        const seqs: number[] = [];
        for (const text of texts) {
          lastSeq += 1;
          seqs.push(lastSeq);
          write.jsons.push(text);
        }
        write.lastSeq = lastSeq;
        return write.done.then(() => seqs);
      } catch (error) {
        return Promise.reject(error);
      }
    },

    appendJson(json: string) {
      try {
        ensureOpen();
        if (poisoned) return Promise.reject(poisoned);
        const text = checkedText(json);
        const write = openWrite();
        lastSeq += 1;
        write.jsons.push(text);
        write.lastSeq = lastSeq;
        // The group's own promise: nothing is allocated per call.
        return write.done;
      } catch (error) {
        return Promise.reject(error);
      }
    },

    async read(consumer, max) {
      ensureOpen();
      const afterSeq = acks[consumer] ?? 0;
      const out: OutboxRecord[] = [];
      const positions: Positions = { seqs: [], segmentStarts: [], offsets: [] };
      const cursor = cursors.get(consumer);
      for (const segment of segments) {
        if (out.length >= max) break;
        if (segment.lastSeq <= afterSeq) continue;
        const offset = cursor && cursor.seq === afterSeq && cursor.segmentStart === segment.startSeq ? cursor.offset : 0;
        await readSegment(segment, offset, afterSeq, max, out, positions);
      }
      lastReads.set(consumer, positions);
      return out;
    },

    async readEncoded(consumer, max) {
      ensureOpen();
      const afterSeq = acks[consumer] ?? 0;
      const lines = new LineBuffer();
      const cursor = cursors.get(consumer);
      for (const segment of segments) {
        if (lines.count >= max) break;
        if (segment.lastSeq <= afterSeq) continue;
        const offset = cursor && cursor.seq === afterSeq && cursor.segmentStart === segment.startSeq ? cursor.offset : 0;
        await readSegmentEncoded(segment, offset, afterSeq, max, lines);
      }
      // Only the last position matters: `ack` of the batch resumes after it.
      lastReads.set(consumer, lines.count === 0 ? { seqs: [], segmentStarts: [], offsets: [] } : { seqs: [lines.lastSeq], segmentStarts: [lines.segmentStart], offsets: [lines.offset] });
      return { count: lines.count, lastSeq: lines.lastSeq, lines: lines.text() };
    },

    async ack(consumer, seq) {
      ensureOpen();
      if (seq <= (acks[consumer] ?? 0)) return;
      acks[consumer] = seq;
      const read = lastReads.get(consumer);
      const index = read ? read.seqs.lastIndexOf(seq) : -1;
      if (read && index >= 0) cursors.set(consumer, { seq, segmentStart: read.segmentStarts[index] as number, offset: read.offsets[index] as number });
      else cursors.delete(consumer);
      await persistAcks();
      await compact();
    },

    async quarantine(entries: readonly QuarantinedMessage[]) {
      ensureOpen();
      if (entries.length === 0) return;
      const handle = await open(join(dir, QUARANTINE_FILE), 'a');
      try {
        const { size } = await handle.stat();
        try {
          await writeFully(handle, Buffer.concat(entries.map((entry) => encodeFrame({ ...entry, atMs: entry.atMs ?? clock.now() }))));
          await handle.sync();
        } catch (error) {
          // Torn bytes would hide every entry quarantined after them from `listQuarantined`
          // (which stops at the first bad frame): cut back, best effort; the write's error is the one reported.
          await handle
            .truncate(size)
            .then(() => handle.sync())
            .catch(() => undefined);
          throw error;
        }
      } finally {
        await handle.close();
      }
    },

    async listQuarantined() {
      try {
        await stat(join(dir, QUARANTINE_FILE));
      } catch {
        return [];
      }
      return (await scanFile(join(dir, QUARANTINE_FILE))).values as QuarantinedMessage[];
    },

    stats(): OutboxStats {
      const floor = consumers.size === 0 ? 0 : Math.min(...[...consumers].map((name) => acks[name] ?? 0));
      return {
        pending: Math.max(0, lastSeq - floor),
        lastSeq,
        acked: { ...acks },
        skippedRecords,
        segments: segments.length,
      };
    },

    async close() {
      if (closed) return;
      while (writing || queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
      closed = true;
      await active?.handle.close();
      active = undefined;
      openDirs.delete(join(dir, LOCK_FILE));
      await rm(join(dir, LOCK_FILE), { force: true });
    },
  };
  return outbox;
}
