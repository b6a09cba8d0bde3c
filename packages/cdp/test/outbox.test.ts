import { appendFile, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAlmanacError } from '@almanac/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CdpMessage } from '../src/index';
import { createFileOutbox, createMemoryOutbox } from '../src/index';
import type { Outbox } from '../src/index';

const message = (i: number): CdpMessage => ({
  type: 'track',
  messageId: `m-${i}`,
  timestamp: '2026-12-03T08:00:00.000Z',
  userId: `u-${i % 7}`,
  event: 'Order Completed',
  properties: { revenue: i },
});

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cdp-outbox-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ids = (records: readonly { message: CdpMessage }[]) => records.map((record) => record.message.messageId);

describe.each([
  ['memory', async () => createMemoryOutbox()],
  ['file (batch)', async () => createFileOutbox({ dir, fsync: 'batch' })],
  ['file (always)', async () => createFileOutbox({ dir, fsync: 'always' })],
] as const)('%s outbox', (_name, make) => {
  it('gives each consumer its own position and removes nothing another consumer still needs', async () => {
    const outbox: Outbox = await make();
    await outbox.registerConsumers(['a', 'b']);
    const seqs = await outbox.append([message(1), message(2), message(3)]);
    expect(seqs).toEqual([1, 2, 3]);
    expect(ids(await outbox.read('a', 2))).toEqual(['m-1', 'm-2']);
    await outbox.ack('a', 2);
    expect(ids(await outbox.read('a', 10))).toEqual(['m-3']);
    expect(ids(await outbox.read('b', 10))).toEqual(['m-1', 'm-2', 'm-3']);
    expect(outbox.stats().pending).toBe(3);
    await outbox.ack('b', 3);
    await outbox.ack('a', 3);
    expect(outbox.stats().pending).toBe(0);
    expect(await outbox.read('a', 10)).toEqual([]);
    await outbox.close();
    await expectAlmanacError(outbox.append([message(4)]), { code: 'config' });
  });

  it('concurrent appends all become readable, in sequence order', async () => {
    const outbox = await make();
    await outbox.registerConsumers(['a']);
    await Promise.all(Array.from({ length: 50 }, (_, i) => outbox.append([message(i)])));
    const records = await outbox.read('a', 100);
    expect(records.map((record) => record.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(ids(records)).size).toBe(50);
    await outbox.close();
  });
});

describe('file outbox', () => {
  it('keeps unacknowledged messages and positions across a restart', async () => {
    const first = await createFileOutbox({ dir });
    await first.registerConsumers(['sink']);
    await first.append([message(1), message(2), message(3)]);
    await first.ack('sink', 1);
    await first.close();
    const second = await createFileOutbox({ dir });
    await second.registerConsumers(['sink']);
    expect(ids(await second.read('sink', 10))).toEqual(['m-2', 'm-3']);
    expect(await second.append([message(4)])).toEqual([4]);
    expect(ids(await second.read('sink', 10))).toEqual(['m-2', 'm-3', 'm-4']);
    await second.close();
  });

  it('detects a torn tail record on restart, skips it, and appends after the good data', async () => {
    const first = await createFileOutbox({ dir });
    await first.registerConsumers(['sink']);
    await first.append([message(1), message(2)]);
    await first.close();
    const [segment] = (await readdir(dir)).filter((name) => name.startsWith('seg-'));
    const path = join(dir, segment as string);
    const size = (await readFile(path)).length;
    // A crash in the middle of writing the third record: its header and half its payload.
    const torn = Buffer.alloc(40);
    torn.writeUInt32LE(200, 0);
    await appendFile(path, torn);
    const second = await createFileOutbox({ dir });
    await second.registerConsumers(['sink']);
    expect(second.stats().skippedRecords).toBe(1);
    expect((await readFile(path)).length).toBe(size);
    await second.append([message(3)]);
    expect(ids(await second.read('sink', 10))).toEqual(['m-1', 'm-2', 'm-3']);
    await second.close();
  });

  it('a record whose checksum fails is never delivered as garbage', async () => {
    const first = await createFileOutbox({ dir });
    await first.registerConsumers(['sink']);
    await first.append([message(1), message(2)]);
    await first.close();
    const [segment] = (await readdir(dir)).filter((name) => name.startsWith('seg-'));
    const path = join(dir, segment as string);
    const bytes = await readFile(path);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] as number) ^ 0xff; // flip a byte of the last payload
    await writeFile(path, bytes);
    const second = await createFileOutbox({ dir });
    await second.registerConsumers(['sink']);
    expect(second.stats().skippedRecords).toBe(1);
    expect(ids(await second.read('sink', 10))).toEqual(['m-1']);
    await second.close();
  });

  it('deletes segments once every consumer has acknowledged them', async () => {
    const outbox = await createFileOutbox({ dir, segmentBytes: 1024 });
    await outbox.registerConsumers(['a', 'b']);
    for (let i = 0; i < 40; i++) await outbox.append([message(i)]);
    const before = outbox.stats().segments;
    expect(before).toBeGreaterThan(3);
    let records = await outbox.read('a', 100);
    expect(records).toHaveLength(40);
    await outbox.ack('a', 40);
    expect(outbox.stats().segments).toBe(before); // b still needs them
    records = await outbox.read('b', 100);
    await outbox.ack('b', 40);
    expect(outbox.stats().segments).toBe(1);
    expect((await readdir(dir)).filter((name) => name.startsWith('seg-'))).toHaveLength(1);
    await outbox.close();
  });

  it('reads across segments in chunks and resumes from the acknowledged record', async () => {
    const outbox = await createFileOutbox({ dir, segmentBytes: 2048 });
    await outbox.registerConsumers(['a']);
    await outbox.append(Array.from({ length: 100 }, (_, i) => message(i)));
    const seen: string[] = [];
    for (;;) {
      const records = await outbox.read('a', 7);
      if (records.length === 0) break;
      seen.push(...ids(records));
      await outbox.ack('a', (records[records.length - 1] as { seq: number }).seq);
    }
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => `m-${i}`));
    await outbox.close();
  });

  it('stores quarantined messages durably with their reason', async () => {
    const outbox = await createFileOutbox({ dir });
    await outbox.quarantine([{ message: message(9), by: 'segment', reason: 'segment 400: too large', atMs: 5 }]);
    await outbox.close();
    const reopened = await createFileOutbox({ dir });
    expect(await reopened.listQuarantined()).toEqual([{ message: message(9), by: 'segment', reason: 'segment 400: too large', atMs: 5 }]);
    await reopened.close();
  });

  it('one outbox per directory: a second open is refused while the first is open, and a dead holder\'s lock is taken over', async () => {
    const first = await createFileOutbox({ dir });
    await expectAlmanacError(createFileOutbox({ dir }), { code: 'config', field: 'options.dir' });
    await first.close();
    const second = await createFileOutbox({ dir });
    await second.close();
    // A lock left by a process that no longer exists (a crash) does not block a restart.
    await writeFile(join(dir, 'LOCK'), '2147483646');
    const third = await createFileOutbox({ dir });
    await third.close();
    expect((await readdir(dir)).includes('LOCK')).toBe(false);
  });

  it('validates its options, naming the field', async () => {
    await expectAlmanacError(createFileOutbox({ dir, fsync: 'sometimes' as 'always' }), { code: 'validation', field: 'options.fsync' });
  });

  it('an acks file torn mid-write is never read: positions are replaced atomically', async () => {
    const outbox = await createFileOutbox({ dir });
    await outbox.registerConsumers(['a']);
    await outbox.append([message(1), message(2)]);
    await outbox.ack('a', 1);
    await outbox.close();
    // A crash while writing the next position leaves only the temp file half written.
    await writeFile(join(dir, 'acks.json.tmp'), '{"version":1,"acks":{"a":');
    const reopened = await createFileOutbox({ dir });
    await reopened.registerConsumers(['a']);
    expect(ids(await reopened.read('a', 10))).toEqual(['m-2']);
    await reopened.close();
    await truncate(join(dir, 'acks.json.tmp'), 0);
  });
});
