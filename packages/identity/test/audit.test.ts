import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditLog, createFileAuditStore, createMemoryAuditStore } from '../src';
import type { AuditEvent, AuditLog } from '../src';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'almanac-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i));
const event = (i: number): AuditEvent => ({
  actor: i % 2 === 0 ? 'alice' : 'security-advisor',
  action: ['createUser', 'blockUser', 'assignRoles'][i % 3] as string,
  target: `usr_${i}`,
  outcome: i % 5 === 4 ? 'failure' : i % 5 === 2 ? 'attempt' : 'success',
  details: { roles: ['admin'], note: `entry ${i} — ünïcødé` },
  at: at(i),
});

async function writeLog(count: number): Promise<{ path: string; log: AuditLog; lines: string[] }> {
  const path = join(dir, 'audit.jsonl');
  const store = createFileAuditStore(path, { durable: false });
  const log = createAuditLog({ store });
  for (let i = 0; i < count; i++) await log.append(event(i));
  await store.close();
  const text = await readFile(path, 'utf8');
  return { path, log, lines: text.split('\n').slice(0, -1) };
}

/** A fresh log over the (possibly tampered) file, as an auditor would open it later. */
const reopen = (path: string) => createAuditLog({ store: createFileAuditStore(path, { durable: false }) });

describe('audit log', () => {
  it('chains entries: seq from 1, prevHash links, and verify() accepts the untouched file', async () => {
    const { path, lines } = await writeLog(5);
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0].prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i++) expect(entries[i].prevHash).toBe(entries[i - 1].hash);
    expect(entries[0]).toMatchObject({ actor: 'alice', action: 'createUser', target: 'usr_0', outcome: 'success', at: at(0).toISOString() });
    const result = await reopen(path).verify();
    expect(result).toEqual({ ok: true, entries: 5, head: { seq: 5, hash: entries[4].hash } });
  });

  it('resumes the chain of an existing file', async () => {
    const { path } = await writeLog(3);
    const store = createFileAuditStore(path, { durable: false });
    const log = createAuditLog({ store });
    const entry = await log.append(event(3));
    await store.close();
    expect(entry.seq).toBe(4);
    expect(await log.verify()).toMatchObject({ ok: true, entries: 4 });
  });

  it('flipping any single byte makes verify() fail at that entry', async () => {
    const { path, lines } = await writeLog(3);
    const original = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    // Byte offset → entry (1-based) it belongs to; a newline belongs to the line it ends.
    const owner: number[] = [];
    let entry = 1;
    for (const byte of original) {
      owner.push(entry);
      if (byte === 0x0a) entry++;
    }
    for (let offset = 0; offset < original.length; offset++) {
      for (const mask of [0x01, 0x80]) {
        const tampered = Buffer.from(original);
        tampered[offset] = (tampered[offset] as number) ^ mask;
        await writeFile(path, tampered);
        const result = await reopen(path).verify();
        expect(result.ok, `byte ${offset} ^ ${mask} went unnoticed`).toBe(false);
        if (!result.ok) expect(result.firstBadSeq, `byte ${offset} ^ ${mask}`).toBe(owner[offset]);
      }
    }
  });

  it('deleting a line names the first entry out of place', async () => {
    const { path, lines } = await writeLog(5);
    await writeFile(path, `${lines.filter((_, i) => i !== 2).join('\n')}\n`);
    expect(await reopen(path).verify()).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'sequence' });
  });

  it('swapping two lines names the first of them', async () => {
    const { path, lines } = await writeLog(5);
    const swapped = [...lines];
    [swapped[1], swapped[2]] = [swapped[2] as string, swapped[1] as string];
    await writeFile(path, `${swapped.join('\n')}\n`);
    expect(await reopen(path).verify()).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it('an entry appended out of chain (wrong prevHash, recomputed hash) is caught', async () => {
    const { path, lines } = await writeLog(3);
    const forged = JSON.parse(lines[2] as string);
    const { createHash } = await import('node:crypto');
    const body = { ...forged, seq: 4, prevHash: 'f'.repeat(64) };
    delete body.hash;
    const canonical = (v: unknown): string =>
      v === null || typeof v !== 'object'
        ? JSON.stringify(v)
        : Array.isArray(v)
          ? `[${v.map(canonical).join(',')}]`
          : `{${Object.keys(v as object)
              .sort()
              .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
              .join(',')}}`;
    const hash = createHash('sha256').update(canonical(body)).digest('hex');
    await writeFile(path, `${[...lines, canonical({ ...body, hash })].join('\n')}\n`);
    expect(await reopen(path).verify()).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'prev_hash' });
  });

  it('truncating the tail is caught by the writer and by a published head', async () => {
    const { path, log, lines } = await writeLog(5);
    const head = await log.head();
    await writeFile(path, `${lines.slice(0, 3).join('\n')}\n`);
    expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'truncated' });
    const fresh = reopen(path);
    expect((await fresh.verify()).ok).toBe(true);
    expect(await fresh.verify({ head: head as { seq: number; hash: string } })).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  it('a torn last line is reported and stops further appends', async () => {
    const { path, lines } = await writeLog(3);
    await writeFile(path, `${lines.join('\n')}\n${(lines[2] as string).slice(0, 20)}`);
    const log = reopen(path);
    expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'unparseable' });
    await expect(log.append(event(9))).rejects.toMatchObject({ code: 'integrity' });
  });

  it('never stores secret-looking keys, at any depth', async () => {
    const store = createMemoryAuditStore();
    const log = createAuditLog({ store });
    await log.append({
      actor: 'alice',
      action: 'updateUser',
      target: 'usr_1',
      outcome: 'success',
      details: { fields: ['password'], password: 'hunter2-secret', nested: { clientSecret: 'abc', apiKey: 'k', ok: 1 }, authorization: 'Bearer x' },
    });
    const [line] = store.snapshot();
    expect(line).not.toContain('hunter2');
    expect(line).not.toContain('"abc"');
    expect(line).not.toContain('Bearer');
    expect(JSON.parse(line as string).details).toEqual({ fields: ['password'], nested: { ok: 1 } });
  });

  it('concurrent appends form one unbroken chain', async () => {
    const log = createAuditLog({ store: createMemoryAuditStore() });
    const entries = await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(event(i))));
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await log.verify()).toMatchObject({ ok: true, entries: 50 });
  });

  it('rejects a malformed event naming the field', async () => {
    const log = createAuditLog({ store: createMemoryAuditStore() });
    await expect(log.append({ actor: '', action: 'x', target: null, outcome: 'success' })).rejects.toMatchObject({
      code: 'validation',
      issues: [{ path: 'event.actor' }],
    });
  });

  it("accepts 'attempt' intents and refuses an unknown outcome naming the field", async () => {
    const log = createAuditLog({ store: createMemoryAuditStore() });
    await log.append({ actor: 'alice', action: 'blockUser', target: 'usr_1', outcome: 'attempt' });
    await expect(log.append({ actor: 'alice', action: 'blockUser', target: 'usr_1', outcome: 'maybe' as never })).rejects.toMatchObject({
      code: 'validation',
      issues: [{ path: 'event.outcome' }],
    });
    expect(await log.verify()).toMatchObject({ ok: true, entries: 1 });
  });

  it('property: any single-line edit that changes a line is detected at that line', async () => {
    const store = createMemoryAuditStore();
    const log = createAuditLog({ store });
    for (let i = 0; i < 6; i++) await log.append(event(i));
    const lines = store.snapshot();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 5 }), fc.string({ minLength: 1, maxLength: 8 }), fc.nat(), async (index, insert, position) => {
        const line = lines[index] as string;
        const at = position % (line.length + 1);
        const edited = line.slice(0, at) + insert + line.slice(at);
        fc.pre(edited !== line);
        const copy = [...lines];
        copy[index] = edited;
        const result = await createAuditLog({ store: createMemoryAuditStore(copy) }).verify();
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.firstBadSeq).toBe(index + 1);
      }),
      { numRuns: 200 },
    );
  });
});
