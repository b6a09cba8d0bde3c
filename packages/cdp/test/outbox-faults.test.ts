// The file outbox under file-system faults, injected at the `node:fs/promises` calls it makes (as
// outbox-durability.test.ts observes them): a failed open releases everything it took, so a retry
// in the same process works once the cause is repaired; a torn or failed write or a failed fsync
// never leaves bytes that a later, acknowledged append would follow (a restart's recovery cuts at
// the first bad record, so good records after torn bytes would be lost). What resolved must be
// read back after a reopen, in order; what rejected must not appear, neither whole nor garbled.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectAlmanacError } from '@almanac/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CdpMessage, Outbox } from '../src/index';
import { createFileOutbox } from '../src/index';
import { decodeFrame } from '../src/outbox/frames';

/** One-shot faults on segment files (`seg-*.log`); `truncate` fails every truncate while set. */
const faults = vi.hoisted(() => ({
  dir: '',
  /** The next write to a segment (or `file`) stores only `keep` bytes, then throws `error` (or, without one, reports the short count). */
  write: undefined as { keep: number; error?: Error | undefined; file?: string | undefined } | undefined,
  /** The next segment fsync throws this (after the bytes reached the file). */
  sync: undefined as Error | undefined,
  truncate: undefined as Error | undefined,
  /** Every rm of the LOCK file fails with this while set. */
  rmLock: undefined as Error | undefined,
  /** Handles open on files of the directory. */
  open: 0,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const { basename: base } = await import('node:path');
  const tracked = (path: unknown) => faults.dir !== '' && String(path).startsWith(faults.dir);
  const segment = (path: unknown) => tracked(path) && /^seg-\d{16}\.log$/.test(base(String(path)));
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      if (!tracked(args[0])) return handle;
      faults.open += 1;
      const isSegment = segment(args[0]);
      const file = base(String(args[0]));
      return new Proxy(handle, {
        get(target, property) {
          const value = Reflect.get(target, property, target);
          if (property === 'close') {
            return async () => {
              await target.close();
              faults.open -= 1;
            };
          }
          if (property === 'write') {
            return async (buffer: Buffer, offset = 0, length = buffer.length - offset, position?: number | null) => {
              const fault = faults.write;
              if (fault === undefined || (fault.file === undefined ? !isSegment : fault.file !== file)) return target.write(buffer, offset, length, position);
              faults.write = undefined;
              const { bytesWritten } = await target.write(buffer, offset, Math.min(fault.keep, length), position);
              if (fault.error) throw fault.error;
              return { bytesWritten, buffer };
            };
          }
          if (isSegment && property === 'sync') {
            return async () => {
              const error = faults.sync;
              faults.sync = undefined;
              if (error) throw error;
              return target.sync();
            };
          }
          if (property === 'truncate') {
            return async (length?: number) => {
              if (faults.truncate) throw faults.truncate;
              return target.truncate(length);
            };
          }
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
    rm: async (path: string, options?: Parameters<typeof actual.rm>[1]) => {
      if (faults.rmLock && tracked(path) && base(String(path)) === 'LOCK') throw faults.rmLock;
      return actual.rm(path, options);
    },
    truncate: async (path: string, length?: number) => {
      if (faults.truncate && tracked(path)) throw faults.truncate;
      return actual.truncate(path, length);
    },
  };
});

const message = (i: number): CdpMessage => ({ type: 'track', messageId: `m-${i}`, timestamp: '2026-12-03T08:00:00.000Z', userId: 'u-1', event: 'E', properties: { i, pad: 'x'.repeat(40) } });
const eio = () => Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });

beforeEach(async () => {
  faults.dir = await mkdtemp(join(tmpdir(), 'cdp-outbox-faults-'));
  faults.write = undefined;
  faults.sync = undefined;
  faults.truncate = undefined;
  faults.rmLock = undefined;
  faults.open = 0;
});
afterEach(async () => {
  const dir = faults.dir;
  faults.dir = '';
  await rm(dir, { recursive: true, force: true });
});

const ids = async (outbox: Outbox, consumer = 'c') => (await outbox.read(consumer, 1000)).map((record) => record.message.messageId);

/** Every segment file is whole frames of valid records and nothing else (no torn bytes left). */
async function expectWholeFrames(dir: string): Promise<void> {
  for (const name of (await readdir(dir)).filter((entry) => entry.startsWith('seg-'))) {
    const bytes = await readFile(join(dir, name));
    let at = 0;
    while (at < bytes.length) {
      const frame = decodeFrame(bytes, at, bytes.length);
      expect(frame.kind, `${name} at byte ${at}`).toBe('ok');
      if (frame.kind !== 'ok') return;
      at = frame.next;
    }
  }
}

describe('a failed open releases what it took', () => {
  it('a damaged acks.json rejects the open naming it; once repaired, the same process opens the directory and sees the records', async () => {
    const dir = faults.dir;
    const first = await createFileOutbox({ dir });
    await first.registerConsumers(['c']);
    await first.append([message(1), message(2)]);
    await first.close();
    const good = await readFile(join(dir, 'acks.json'), 'utf8');
    await writeFile(join(dir, 'acks.json'), '{"version":1,"acks":{"c":');
    const damaged = await expectAlmanacError(() => createFileOutbox({ dir }), { code: 'validation', field: 'acks.json', message: 'acks.json in' });
    expect(damaged.message).toContain('not valid JSON');
    expect(damaged.cause).toBeInstanceOf(SyntaxError);
    // Nothing held: no LOCK file, no handle.
    await expect(stat(join(dir, 'LOCK'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(faults.open).toBe(0);
    await writeFile(join(dir, 'acks.json'), JSON.stringify({ version: 1, acks: { c: -1 } }));
    await expectAlmanacError(() => createFileOutbox({ dir }), { code: 'validation', field: 'acks.json.acks.c' });
    await writeFile(join(dir, 'acks.json'), good);
    const reopened = await createFileOutbox({ dir });
    await reopened.registerConsumers(['c']);
    expect(await ids(reopened)).toEqual(['m-1', 'm-2']);
    await reopened.close();
  });

  it('when removing the LOCK file fails too, the open still rejects with its own error, and a retry in this process succeeds', async () => {
    const dir = faults.dir;
    await writeFile(join(dir, 'acks.json'), 'not json');
    faults.rmLock = eio();
    await expectAlmanacError(() => createFileOutbox({ dir }), { code: 'validation', field: 'acks.json' });
    faults.rmLock = undefined;
    await rm(join(dir, 'acks.json'));
    // The LOCK file left behind holds this process's pid: taken over, not refused.
    const reopened = await createFileOutbox({ dir });
    expect(reopened.stats().lastSeq).toBe(0);
    await reopened.close();
  });

  it('a failure while recovering a torn tail rejects with that error, and a retry succeeds', async () => {
    const dir = faults.dir;
    const first = await createFileOutbox({ dir });
    await first.registerConsumers(['c']);
    await first.append([message(1)]);
    await first.close();
    const path = join(dir, 'seg-0000000000000001.log');
    await writeFile(path, Buffer.concat([await readFile(path), Buffer.from([9, 0, 0])]));
    const error = eio();
    faults.truncate = error;
    await expect(createFileOutbox({ dir })).rejects.toBe(error);
    expect(faults.open).toBe(0);
    faults.truncate = undefined;
    const reopened = await createFileOutbox({ dir });
    await reopened.registerConsumers(['c']);
    expect(await ids(reopened)).toEqual(['m-1']);
    expect(reopened.stats().skippedRecords).toBe(1);
    await reopened.close();
  });
});

/**
 * Appends m-1 (clean), then m-2 under the fault `arm` sets, then m-3 and m-4 (clean); closes,
 * reopens, and checks that exactly the resolved appends are read back, in order, from files that
 * hold whole frames only. Returns which of m-2 resolved.
 */
async function scenario(fsync: 'always' | 'batch', arm: () => void): Promise<{ second: PromiseSettledResult<readonly number[]> }> {
  const dir = join(faults.dir, fsync);
  const outbox = await createFileOutbox({ dir, fsync });
  await outbox.registerConsumers(['c']);
  const resolved: string[] = [];
  const appendOne = async (i: number) => {
    const seqs = await outbox.append([message(i)]);
    resolved.push(`m-${i}`);
    return seqs;
  };
  await appendOne(1);
  arm();
  const [second] = await Promise.allSettled([appendOne(2)]);
  await appendOne(3);
  await appendOne(4);
  // While open, reads give the resolved records and nothing else.
  expect(await ids(outbox)).toEqual(resolved);
  await outbox.close();
  await expectWholeFrames(dir);
  const reopened = await createFileOutbox({ dir, fsync });
  await reopened.registerConsumers(['c']);
  expect(await ids(reopened)).toEqual(resolved);
  expect(reopened.stats().skippedRecords).toBe(0);
  // And the sequence goes on after them.
  await reopened.append([message(5)]);
  expect(await ids(reopened)).toEqual([...resolved, 'm-5']);
  await reopened.close();
  return { second: second as PromiseSettledResult<readonly number[]> };
}

describe('a failed write or fsync never leaves bytes a later append follows', () => {
  for (const fsync of ['always', 'batch'] as const) {
    it(`${fsync}: a write that stores part of a record and fails rejects; the appends after it survive a reopen`, async () => {
      const error = eio();
      const { second } = await scenario(fsync, () => {
        faults.write = { keep: 20, error };
      });
      expect(second).toEqual({ status: 'rejected', reason: error });
    });

    it(`${fsync}: a short write (fewer bytes than asked, no error) is completed, not taken as written`, async () => {
      const { second } = await scenario(fsync, () => {
        faults.write = { keep: 13 };
      });
      expect(second).toEqual({ status: 'fulfilled', value: [2] });
    });

    it(`${fsync}: a failed fsync rejects and its record, though written whole, is not read back`, async () => {
      const error = eio();
      const { second } = await scenario(fsync, () => {
        faults.sync = error;
      });
      expect(second).toEqual({ status: 'rejected', reason: error });
    });
  }

  it('when the torn bytes cannot be cut back either, every later append rejects (nothing written after them); a reopen recovers', async () => {
    const dir = faults.dir;
    const outbox = await createFileOutbox({ dir });
    await outbox.registerConsumers(['c']);
    await outbox.append([message(1)]);
    const error = eio();
    faults.write = { keep: 20, error };
    faults.truncate = eio();
    await expect(outbox.append([message(2)])).rejects.toBe(error);
    faults.truncate = undefined;
    const size = (await stat(join(dir, 'seg-0000000000000001.log'))).size;
    await expectAlmanacError(() => outbox.append([message(3)]), { code: 'provider', message: /could not be undone/ });
    await expectAlmanacError(() => outbox.appendJson?.(JSON.stringify(message(4))) ?? Promise.resolve(), { code: 'provider' });
    // Nothing was written after the torn bytes; what was durable is still readable.
    expect((await stat(join(dir, 'seg-0000000000000001.log'))).size).toBe(size);
    expect(await ids(outbox)).toEqual(['m-1']);
    await outbox.close();
    expect(faults.open).toBe(0);
    const reopened = await createFileOutbox({ dir });
    await reopened.registerConsumers(['c']);
    expect(reopened.stats().skippedRecords).toBe(1);
    await reopened.append([message(5)]);
    expect(await ids(reopened)).toEqual(['m-1', 'm-5']);
    await reopened.close();
    await expectWholeFrames(dir);
  });
});

describe('quarantine log under a failed write', () => {
  it('a quarantine whose write fails part-way rejects and leaves no torn bytes: the ones before and after it are listed', async () => {
    const outbox = await createFileOutbox({ dir: faults.dir });
    const entry = (i: number) => ({ message: message(i), by: 'sink', reason: `400 #${i}`, atMs: i });
    await outbox.quarantine([entry(1)]);
    const error = eio();
    faults.write = { keep: 10, error, file: 'quarantine.log' };
    await expect(outbox.quarantine([entry(2)])).rejects.toBe(error);
    faults.write = { keep: 7, file: 'quarantine.log' };
    await outbox.quarantine([entry(3)]);
    await outbox.quarantine([entry(4)]);
    expect((await outbox.listQuarantined()).map((item) => item.reason)).toEqual(['400 #1', '400 #3', '400 #4']);
    // The file is closed after each quarantine, the failed one included.
    expect(faults.open).toBe(0);
    await outbox.close();
    expect(faults.open).toBe(0);
  });
});

describe('acknowledgements from several consumers at once', () => {
  it('concurrent acks (the collector delivers to its sinks in parallel) all resolve and leave a valid acks.json holding each one', async () => {
    const dir = faults.dir;
    const consumers = ['a', 'b', 'c', 'd'];
    const outbox = await createFileOutbox({ dir });
    await outbox.registerConsumers(consumers);
    await outbox.append(Array.from({ length: 40 }, (_, i) => message(i + 1)));
    // A position only moves forward.
    const expected: Record<string, number> = { a: 0, b: 0, c: 0, d: 0 };
    for (const round of [1, 2, 3]) {
      // Positions of different lengths, so interleaved writes of one temp file would show.
      const positions = consumers.map((_, k) => (round === 2 ? 10 ** k : round * 10 + k));
      const results = await Promise.allSettled(consumers.map((name, k) => outbox.ack(name, positions[k] as number)));
      expect(results.map((result) => result.status)).toEqual(consumers.map(() => 'fulfilled'));
      consumers.forEach((name, k) => {
        expected[name] = Math.max(expected[name] as number, positions[k] as number);
      });
      expect(JSON.parse(await readFile(join(dir, 'acks.json'), 'utf8'))).toEqual({ version: 1, acks: expected });
    }
    await outbox.close();
    const reopened = await createFileOutbox({ dir });
    expect(reopened.stats().acked).toEqual({ a: 30, b: 31, c: 100, d: 1000 });
    await reopened.close();
  });
});

describe('quarantine log after a crash', () => {
  it('a torn tail of quarantine.log (a crash mid-write) is cut on open, so entries quarantined afterwards are listed', async () => {
    const dir = faults.dir;
    const entry = (i: number) => ({ message: message(i), by: 'sink', reason: `400 #${i}`, atMs: i });
    const first = await createFileOutbox({ dir });
    await first.quarantine([entry(1), entry(2)]);
    await first.close();
    const path = join(dir, 'quarantine.log');
    const whole = await readFile(path);
    await writeFile(path, Buffer.concat([whole, whole.subarray(0, 30)]));
    const reopened = await createFileOutbox({ dir });
    expect((await readFile(path)).length).toBe(whole.length);
    await reopened.quarantine([entry(3)]);
    expect((await reopened.listQuarantined()).map((item) => item.reason)).toEqual(['400 #1', '400 #2', '400 #3']);
    await reopened.close();
  });
});
