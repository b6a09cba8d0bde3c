// What the file outbox promises about durability, observed at the file-system calls it makes:
// `append` resolves only after its bytes are written and fsynced (`always`: one write and fsync
// per call; `batch`: one for every append of a turn), a new segment file's directory entry is
// fsynced, acknowledged positions are replaced atomically (temp file written, fsynced, closed,
// renamed, directory fsynced), quarantined messages are fsynced before `quarantine` resolves,
// and no file handle is left open. A crash cannot be staged in a test, so the order of these
// calls is the observable behaviour: a missing fsync would pass every read-back test.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expectAlmanacError } from '@almanac/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CdpMessage } from '../src/index';
import { createFileOutbox } from '../src/index';

// The calls, as "<operation> <file name>" ("." for the outbox directory itself), plus markers
// the tests push (e.g. "resolved 1").
const calls = vi.hoisted(() => ({ log: [] as string[], dir: '', open: 0, failWrite: undefined as Error | undefined, failOpen: undefined as { name: string; error: Error } | undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const { basename: base } = await import('node:path');
  const name = (path: unknown) => (String(path) === calls.dir ? '.' : base(String(path)));
  const tracked = (path: unknown) => calls.dir !== '' && String(path).startsWith(calls.dir);
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const [path, flags] = args;
      if (calls.failOpen !== undefined && tracked(path) && name(path) === calls.failOpen.name) throw calls.failOpen.error;
      const handle = await actual.open(...args);
      if (!tracked(path)) return handle;
      calls.open += 1;
      calls.log.push(`open ${name(path)} ${String(flags)}`);
      const logged =
        (operation: string, fn: (...rest: never[]) => Promise<unknown>) =>
        async (...rest: never[]) => {
          if (operation === 'write' && calls.failWrite) throw calls.failWrite;
          const result = await fn.apply(handle, rest);
          // A read is logged with the file position it starts at.
          calls.log.push(operation === 'read' ? `read ${name(path)} ${String(rest[3])}` : `${operation} ${name(path)}`);
          if (operation === 'close') calls.open -= 1;
          return result;
        };
      return new Proxy(handle, {
        get(target, property) {
          const value = Reflect.get(target, property, target);
          if (property === 'write' || property === 'writeFile' || property === 'sync' || property === 'close' || property === 'read') return logged(property, value as never);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
    rename: async (from: string, to: string) => {
      await actual.rename(from, to);
      if (tracked(to)) calls.log.push(`rename ${name(from)} ${name(to)}`);
    },
    rm: async (path: string, options?: Parameters<typeof actual.rm>[1]) => {
      await actual.rm(path, options);
      if (tracked(path)) calls.log.push(`rm ${name(path)}`);
    },
    truncate: async (path: string, length?: number) => {
      await actual.truncate(path, length);
      if (tracked(path)) calls.log.push(`truncate ${name(path)} ${length}`);
    },
  };
});

const message = (i: number): CdpMessage => ({ type: 'track', messageId: `m-${i}`, timestamp: '2026-12-03T08:00:00.000Z', userId: 'u-1', event: 'E', properties: { i } });
const SEGMENT_1 = 'seg-0000000000000001.log';

beforeEach(async () => {
  calls.dir = await mkdtemp(join(tmpdir(), 'cdp-outbox-durability-'));
  calls.log = [];
  calls.open = 0;
  calls.failWrite = undefined;
  calls.failOpen = undefined;
});
afterEach(async () => {
  const dir = calls.dir;
  calls.dir = '';
  await rm(dir, { recursive: true, force: true });
});

/** The log from the first entry matching `from` on. */
const since = (from: string) => calls.log.slice(calls.log.indexOf(from));

describe('file outbox durability', () => {
  it('always: each append call is written and fsynced on its own before it resolves', async () => {
    const outbox = await createFileOutbox({ dir: calls.dir, fsync: 'always' });
    calls.log = [];
    await Promise.all([1, 2, 3].map((i) => outbox.append([message(i)]).then((seqs) => calls.log.push(`resolved ${seqs.join(',')}`))));
    const io = calls.log.filter((entry) => !entry.startsWith('resolved'));
    expect(io).toEqual([
      `open ${SEGMENT_1} a`,
      // The new segment file's directory entry is made durable.
      'open . r',
      'sync .',
      'close .',
      ...[1, 2, 3].flatMap(() => [`write ${SEGMENT_1}`, `sync ${SEGMENT_1}`]),
    ]);
    // The k-th call resolves after the k-th fsync (one write per call, in call order).
    const syncs = calls.log.flatMap((entry, index) => (entry === `sync ${SEGMENT_1}` ? [index] : []));
    for (const k of [1, 2, 3]) expect(calls.log.indexOf(`resolved ${k}`), `call ${k}`).toBeGreaterThan(syncs[k - 1] as number);
    // In call order.
    expect(calls.log.filter((entry) => entry.startsWith('resolved'))).toEqual(['resolved 1', 'resolved 2', 'resolved 3']);
    await outbox.close();
    expect(calls.open).toBe(0);
  });

  it('batch: every append of one turn shares one write and one fsync, and resolves after it', async () => {
    const outbox = await createFileOutbox({ dir: calls.dir });
    calls.log = [];
    const appends = [outbox.append([message(1)]), outbox.append([message(2), message(3)]), outbox.append([message(4)])];
    for (const [i, append] of appends.entries()) void append.then(() => calls.log.push(`resolved ${i}`));
    expect(await Promise.all(appends)).toEqual([[1], [2, 3], [4]]);
    expect(calls.log).toEqual([`open ${SEGMENT_1} a`, 'open . r', 'sync .', 'close .', `write ${SEGMENT_1}`, `sync ${SEGMENT_1}`, 'resolved 0', 'resolved 1', 'resolved 2']);
    // The next turn's appends are the next group, into the same open segment (no new directory entry).
    calls.log = [];
    expect(await Promise.all([outbox.append([message(5)]), outbox.append([message(6)])])).toEqual([[5], [6]]);
    expect(calls.log).toEqual([`write ${SEGMENT_1}`, `sync ${SEGMENT_1}`]);
    await outbox.close();
    expect(calls.open).toBe(0);
  });

  it('a failed write rejects the appends it carried, and later appends still succeed', async () => {
    for (const fsync of ['always', 'batch'] as const) {
      const dir = join(calls.dir, fsync);
      const outbox = await createFileOutbox({ dir, fsync });
      await outbox.registerConsumers(['c']);
      calls.failWrite = new Error('EIO: disk gone');
      const failed = await Promise.allSettled([outbox.append([message(1)]), outbox.append([message(2)])]);
      expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
      expect(failed.map((result) => (result as PromiseRejectedResult).reason)).toEqual([calls.failWrite, calls.failWrite]);
      calls.failWrite = undefined;
      expect(await outbox.append([message(3)])).toEqual([3]);
      expect((await outbox.read('c', 10)).map((record) => record.message.messageId)).toEqual(['m-3']);
      await outbox.close();
    }
  });

  it('rolls to a new segment past segmentBytes: closes the full one, creates the next durably', async () => {
    const outbox = await createFileOutbox({ dir: calls.dir, fsync: 'always', segmentBytes: 1024 });
    let seq = 0;
    // Each record is ~120 bytes: the first segment fills after about nine.
    while (!calls.log.some((entry) => entry.startsWith('close seg-'))) seq = ((await outbox.append([message(seq + 1)])) as number[])[0] as number;
    const next = `seg-${String(seq).padStart(16, '0')}.log`;
    expect(since(`close ${SEGMENT_1}`)).toEqual([`close ${SEGMENT_1}`, `open ${next} a`, 'open . r', 'sync .', 'close .', `write ${next}`, `sync ${next}`]);
    const size = (await readFile(join(calls.dir, SEGMENT_1))).length;
    expect(size).toBeGreaterThanOrEqual(1024);
    expect(size - 1024).toBeLessThan(130);
    expect(outbox.stats().segments).toBe(2);
    await outbox.close();
    expect(calls.open).toBe(0);
  });

  it('reopening appends to the last segment while it has room, and starts a new one when it is full', async () => {
    const first = await createFileOutbox({ dir: calls.dir, segmentBytes: 1024 });
    await first.append([message(1)]);
    await first.close();
    calls.log = [];
    const second = await createFileOutbox({ dir: calls.dir, segmentBytes: 1024 });
    expect(await second.append([message(2)])).toEqual([2]);
    // The existing file is reused: no new directory entry to fsync.
    expect(calls.log.filter((entry) => !entry.includes('LOCK'))).toEqual([`open ${SEGMENT_1} a`, `write ${SEGMENT_1}`, `sync ${SEGMENT_1}`]);
    // Fill it past the size, then a reopen starts the next file at the next sequence number.
    const seqs = await second.append(Array.from({ length: 12 }, (_, i) => message(3 + i)));
    await second.close();
    calls.log = [];
    const third = await createFileOutbox({ dir: calls.dir, segmentBytes: 1024 });
    expect(await third.append([message(15)])).toEqual([(seqs.at(-1) as number) + 1]);
    const next = `seg-${String((seqs.at(-1) as number) + 1).padStart(16, '0')}.log`;
    expect(calls.log.filter((entry) => !entry.includes('LOCK'))).toEqual([`open ${next} a`, 'open . r', 'sync .', 'close .', `write ${next}`, `sync ${next}`]);
    expect(third.stats().segments).toBe(2);
    await third.close();
    expect(calls.open).toBe(0);
  });

  it('acknowledged positions: temp file written, fsynced and closed, then renamed over, then the directory fsynced', async () => {
    const outbox = await createFileOutbox({ dir: calls.dir });
    calls.log = [];
    await outbox.registerConsumers(['a']);
    const atomic = ['open acks.json.tmp w', 'writeFile acks.json.tmp', 'sync acks.json.tmp', 'close acks.json.tmp', 'rename acks.json.tmp acks.json', 'open . r', 'sync .', 'close .'];
    expect(calls.log).toEqual(atomic);
    await outbox.append([message(1), message(2)]);
    calls.log = [];
    await outbox.ack('a', 1);
    expect(calls.log).toEqual(atomic);
    expect(JSON.parse(await readFile(join(calls.dir, 'acks.json'), 'utf8'))).toEqual({ version: 1, acks: { a: 1 } });
    // Registering a consumer already known writes nothing.
    calls.log = [];
    await outbox.registerConsumers(['a']);
    expect(calls.log).toEqual([]);
    await outbox.close();
    expect(calls.open).toBe(0);
  });

  it('quarantine: written and fsynced before it resolves, and the file closed', async () => {
    const outbox = await createFileOutbox({ dir: calls.dir });
    calls.log = [];
    await outbox.quarantine([{ message: message(1), by: 'sink', reason: '400', atMs: 1 }]);
    expect(calls.log).toEqual(['open quarantine.log a', 'write quarantine.log', 'sync quarantine.log', 'close quarantine.log']);
    await outbox.close();
    expect(calls.open).toBe(0);
  });

  it('reads close every file they open, and close() releases the segment and the lock', async () => {
    const outbox = await createFileOutbox({ dir: calls.dir, segmentBytes: 1024 });
    await outbox.registerConsumers(['a']);
    await outbox.append(Array.from({ length: 30 }, (_, i) => message(i + 1)));
    const open = calls.open;
    expect((await outbox.read('a', 100)).length).toBe(30);
    expect(calls.open).toBe(open);
    await outbox.close();
    expect(calls.open).toBe(0);
    expect(calls.log.at(-1)).toBe('rm LOCK');
    // Closed, the directory can be opened again by this process.
    const again = await createFileOutbox({ dir: calls.dir });
    await again.close();
  });

  it('close() waits for appends in flight: they are durable and readable after a reopen', async () => {
    const outbox = await createFileOutbox({ dir: calls.dir });
    await outbox.registerConsumers(['a']);
    const pending = outbox.append([message(1), message(2)]);
    await outbox.close();
    expect(await pending).toEqual([1, 2]);
    expect(calls.open).toBe(0);
    await expectAlmanacError(() => outbox.append([message(3)]), { code: 'config', message: 'closed' });
    const reopened = await createFileOutbox({ dir: calls.dir });
    expect((await reopened.read('a', 10)).map((record) => record.seq)).toEqual([1, 2]);
    await reopened.close();
  });

  it('a torn tail is truncated on open to the last good record, and an intact file is not touched', async () => {
    const outbox = await createFileOutbox({ dir: calls.dir });
    await outbox.append([message(1), message(2)]);
    await outbox.close();
    const path = join(calls.dir, SEGMENT_1);
    const good = (await readFile(path)).length;
    await writeFile(path, Buffer.concat([await readFile(path), Buffer.from([9, 0, 0])]));
    calls.log = [];
    const reopened = await createFileOutbox({ dir: calls.dir });
    expect(calls.log.filter((entry) => entry.startsWith('truncate'))).toEqual([`truncate ${SEGMENT_1} ${good}`]);
    await reopened.close();
    calls.log = [];
    await (await createFileOutbox({ dir: calls.dir })).close();
    expect(calls.log.filter((entry) => entry.startsWith('truncate'))).toEqual([]);
    expect(basename(path)).toBe(SEGMENT_1);
  });

  it('an empty append, an empty quarantine and an acknowledgement that moves nothing touch no file', async () => {
    const outbox = await createFileOutbox({ dir: calls.dir });
    await outbox.registerConsumers(['a']);
    await outbox.append([message(1), message(2)]);
    await outbox.ack('a', 2);
    calls.log = [];
    expect(await outbox.append([])).toEqual([]);
    await outbox.quarantine([]);
    await outbox.ack('a', 2);
    await outbox.ack('a', 1);
    // Let a scheduled group commit run, if any was (wrongly) started.
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.log).toEqual([]);
    await outbox.close();
  });

  it('after an ack, the next read starts at the end of the acknowledged record, not at the start of its segment', async () => {
    const outbox = await createFileOutbox({ dir: calls.dir });
    await outbox.registerConsumers(['records', 'lines']);
    await outbox.append(Array.from({ length: 10 }, (_, i) => message(i + 1)));
    // Where each record ends in the file (u32 LE length + 4 CRC bytes + payload).
    const bytes = await readFile(join(calls.dir, SEGMENT_1));
    const ends: number[] = [];
    for (let at = 0; at < bytes.length; at += 8 + bytes.readUInt32LE(at)) ends.push(at + 8 + bytes.readUInt32LE(at));
    const reads = () => calls.log.filter((entry) => entry.startsWith('read '));
    for (const consumer of ['records', 'lines'] as const) {
      const read = async (max: number) => {
        if (consumer === 'records') return (await outbox.read(consumer, max)).map((record) => record.seq);
        const batch = await outbox.readEncoded?.(consumer, max);
        return batch === undefined || batch.count === 0 ? [] : Array.from({ length: batch.count }, (_, k) => batch.lastSeq - batch.count + 1 + k);
      };
      calls.log = [];
      expect(await read(4)).toEqual([1, 2, 3, 4]);
      expect(reads()).toEqual([`read ${SEGMENT_1} 0`]);
      await outbox.ack(consumer, 4);
      calls.log = [];
      expect(await read(3)).toEqual([5, 6, 7]);
      expect(reads(), consumer).toEqual([`read ${SEGMENT_1} ${ends[3]}`]);
      await outbox.ack(consumer, 7);
      calls.log = [];
      expect(await read(10)).toEqual([8, 9, 10]);
      expect(reads(), consumer).toEqual([`read ${SEGMENT_1} ${ends[6]}`]);
    }
    await outbox.close();
  });

  it('close() succeeds when the LOCK file was already removed (e.g. by a temp-file cleaner)', async () => {
    const outbox = await createFileOutbox({ dir: calls.dir });
    await rm(join(calls.dir, 'LOCK'));
    await outbox.close();
    expect(calls.open).toBe(0);
  });

  it('appendJson: joins the turn\'s group commit in batch mode, writes each call on its own in always mode, durable before it resolves', async () => {
    for (const fsync of ['batch', 'always'] as const) {
      const dir = join(calls.dir, fsync);
      const outbox = await createFileOutbox({ dir, fsync });
      const appendJson = outbox.appendJson?.bind(outbox);
      if (appendJson === undefined) throw new Error('the file outbox has appendJson');
      await outbox.registerConsumers(['a']);
      await outbox.append([message(1)]);
      calls.log = [];
      const done = [appendJson(JSON.stringify(message(2))), outbox.append([message(3)]), appendJson(JSON.stringify(message(4)))];
      for (const [i, promise] of done.entries()) void promise.then(() => calls.log.push(`resolved ${i}`));
      await Promise.all(done);
      const segment = 'seg-0000000000000001.log';
      const io = calls.log.filter((entry) => !entry.startsWith('resolved'));
      expect(io, fsync).toEqual(fsync === 'batch' ? [`write ${segment}`, `sync ${segment}`] : [1, 2, 3].flatMap(() => [`write ${segment}`, `sync ${segment}`]));
      const lastSync = calls.log.lastIndexOf(`sync ${segment}`);
      const firstSync = calls.log.indexOf(`sync ${segment}`);
      // Each call resolves after an fsync; in always mode the last one only after the last fsync.
      for (const i of [0, 1, 2]) expect(calls.log.indexOf(`resolved ${i}`)).toBeGreaterThan(firstSync);
      expect(calls.log.indexOf('resolved 2')).toBeGreaterThan(lastSync);
      expect((await outbox.read('a', 10)).map((record) => record.message)).toEqual([1, 2, 3, 4].map(message));
      expect(outbox.stats().lastSeq).toBe(4);
      await expectAlmanacError(() => appendJson(`"${'€'.repeat(349_504)}"`), { code: 'validation', field: 'message' });
      expect(outbox.stats().lastSeq).toBe(4);
      await outbox.close();
      await expectAlmanacError(() => appendJson(JSON.stringify(message(5))), { code: 'config' });
      const reopened = await createFileOutbox({ dir });
      expect(reopened.stats().lastSeq).toBe(4);
      await reopened.close();
    }
  });

  it('an I/O error while taking the lock fails the open; it is not taken for a stale lock', async () => {
    const error = Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    calls.failOpen = { name: 'LOCK', error };
    await expect(createFileOutbox({ dir: calls.dir })).rejects.toBe(error);
    expect(calls.log.filter((entry) => entry.includes('LOCK'))).toEqual([]);
  });
});
