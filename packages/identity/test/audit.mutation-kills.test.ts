// The audit chain's parts checked one at a time, on the in-memory store (fast enough to run for
// every mutant of the identity-audit mutation module): canonical JSON and the hash against
// values computed here by hand, every field check of a stored line, every verification outcome
// with its position, and the log's validation, resumption and recovery paths.
import { createHash } from 'node:crypto';
import { IntegrityError, ValidationError } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createAuditLog, createMemoryAuditStore } from '../src';
import type { AuditEntry, AuditEvent, AuditStore } from '../src';
import { GENESIS_HASH, canonicalJson, sha256Hex } from '../src/audit/canonical';
import { hashOf, parseLine, verifyLines } from '../src/audit/verify';

const AT = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const event = (i: number, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  actor: 'alice',
  action: 'createUser',
  target: `usr_${i}`,
  outcome: 'success',
  details: { n: i },
  at: AT,
  ...extra,
});

async function* each(lines: readonly string[]): AsyncIterable<string> {
  yield* lines;
}

/** `count` stored lines written by the log. */
async function chain(count: number): Promise<string[]> {
  const store = createMemoryAuditStore();
  const log = createAuditLog({ store });
  for (let i = 0; i < count; i++) await log.append(event(i));
  return store.snapshot();
}

const fieldsOf = (line: string) => JSON.parse(line) as Record<string, unknown>;

describe('canonical JSON and hashes', () => {
  it('sorts keys at every depth, keeps array order, writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }, 'x', [3, 1]], e: true, é: 'ü"' })).toBe('{"a":[{"c":null,"d":2},"x",[3,1]],"b":1,"e":true,"é":"ü\\""}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson('a')).toBe('"a"');
    expect(canonicalJson(1.5)).toBe('1.5');
  });

  it('SHA-256 is lower-case hex of the UTF-8 bytes, and the genesis hash is 64 zeros', () => {
    // FIPS 180-2 test vector for "abc".
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('é')).toBe(createHash('sha256').update(Buffer.from([0xc3, 0xa9])).digest('hex'));
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it("an entry's hash covers every field but the hash itself, canonically serialised", () => {
    const body = { seq: 3, at: '2026-01-02T03:04:05.000Z', actor: 'a', action: 'b', target: null, outcome: 'failure' as const, details: { z: 1, y: [2] }, prevHash: '1'.repeat(64) };
    const text = '{"action":"b","actor":"a","at":"2026-01-02T03:04:05.000Z","details":{"y":[2],"z":1},"outcome":"failure","prevHash":"1111111111111111111111111111111111111111111111111111111111111111","seq":3,"target":null}';
    expect(hashOf(body)).toBe(createHash('sha256').update(text).digest('hex'));
    expect(hashOf({ ...body, hash: 'f'.repeat(64) } as AuditEntry)).toBe(hashOf(body));
    for (const [key, value] of Object.entries({ seq: 4, at: 'x', actor: 'b', action: 'c', target: 't', outcome: 'success', details: {}, prevHash: '2'.repeat(64) })) {
      expect(hashOf({ ...body, [key]: value } as typeof body), key).not.toBe(hashOf(body));
    }
  });
});

describe('parseLine', () => {
  it('reads a stored line back into the entry', async () => {
    const [line = ''] = await chain(1);
    const parsed = parseLine(line);
    expect(parsed).toEqual({ entry: fieldsOf(line) });
  });

  it('refuses text that is not JSON, and JSON that is not an object', () => {
    expect(parseLine('{"seq":')).toEqual({ problem: 'unparseable', reason: 'line is not valid JSON' });
    for (const text of ['null', '[]', '1', '"x"', 'true']) expect(parseLine(text), text).toEqual({ problem: 'malformed', reason: 'line is not an object' });
  });

  it('refuses a missing or an extra field, naming the fields found', async () => {
    const [line = ''] = await chain(1);
    const { details: _, ...missing } = fieldsOf(line);
    expect(parseLine(canonicalJson(missing))).toEqual({ problem: 'malformed', reason: 'unexpected fields (action,actor,at,hash,outcome,prevHash,seq,target)' });
    expect(parseLine(canonicalJson({ ...fieldsOf(line), extra: 1 }))).toEqual({
      problem: 'malformed',
      reason: 'unexpected fields (action,actor,at,details,extra,hash,outcome,prevHash,seq,target)',
    });
  });

  it('refuses each field of the wrong type or shape, one at a time', async () => {
    const [line = ''] = await chain(1);
    const good = fieldsOf(line);
    const bad: Array<[string, unknown]> = [
      ['seq', 1.5],
      ['seq', '1'],
      ['seq', 2 ** 53],
      ['at', 1],
      ['actor', 1],
      ['action', null],
      ['target', 5],
      ['outcome', 'done'],
      ['outcome', null],
      ['details', null],
      ['details', []],
      ['details', 'x'],
      ['prevHash', 1],
      ['prevHash', 'A'.repeat(64)],
      ['prevHash', '0'.repeat(63)],
      ['prevHash', '0'.repeat(65)],
      ['prevHash', `x${'0'.repeat(64)}`],
      ['prevHash', `${'0'.repeat(64)}x`],
      // An array of one hex string reads as that string to a regex: the type check must come first.
      ['prevHash', ['0'.repeat(64)]],
      ['hash', ['a'.repeat(64)]],
      ['hash', 1],
      ['hash', 'g'.repeat(64)],
      ['hash', 'a'.repeat(65)],
      ['hash', `-${'a'.repeat(64)}`],
    ];
    for (const [key, value] of bad) {
      expect(parseLine(canonicalJson({ ...good, [key]: value })), `${key}: ${JSON.stringify(value)}`).toEqual({ problem: 'malformed', reason: 'a field has the wrong type' });
    }
  });

  it('accepts a null target and each of the three outcomes', async () => {
    const [line = ''] = await chain(1);
    for (const variant of [{ target: null }, { outcome: 'attempt' }, { outcome: 'success' }, { outcome: 'failure' }]) {
      const text = canonicalJson({ ...fieldsOf(line), ...variant });
      expect(parseLine(text), JSON.stringify(variant)).toEqual({ entry: JSON.parse(text) });
    }
  });

  it('refuses a line that parses to a valid entry but is not its canonical text', async () => {
    const [line = ''] = await chain(1);
    const expected = { problem: 'not_canonical', reason: 'line differs from the canonical form of its entry' };
    expect(parseLine(` ${line}`)).toEqual(expected);
    expect(parseLine(JSON.stringify(fieldsOf(line), null, 1))).toEqual(expected);
    const { seq, ...rest } = fieldsOf(line);
    expect(parseLine(JSON.stringify({ ...rest, seq }))).toEqual(expected);
  });
});

describe('verifyLines', () => {
  it('an intact chain reports its length and head; an empty one has no head', async () => {
    const lines = await chain(3);
    const last = fieldsOf(lines[2] as string);
    expect(await verifyLines(each(lines), [])).toEqual({ ok: true, entries: 3, head: { seq: 3, hash: last['hash'] } });
    expect(await verifyLines(each([]), [])).toEqual({ ok: true, entries: 0 });
    expect(await verifyLines(each(lines), [{ seq: 2, hash: fieldsOf(lines[1] as string)['hash'] as string }])).toMatchObject({ ok: true, entries: 3 });
  });

  it('names the first bad entry for each kind of damage', async () => {
    const lines = await chain(4);
    const [a = '', b = '', c = '', d = ''] = lines;
    expect(await verifyLines(each([a, c, d]), [])).toEqual({ ok: false, firstBadSeq: 2, problem: 'sequence', reason: 'entry 2: found seq 3 where 2 belongs (entry missing or moved)' });
    expect(await verifyLines(each([a, b, 'nope']), [])).toEqual({ ok: false, firstBadSeq: 3, problem: 'unparseable', reason: 'entry 3: line is not valid JSON' });
    expect(await verifyLines(each(['[]']), [])).toEqual({ ok: false, firstBadSeq: 1, problem: 'malformed', reason: 'entry 1: line is not an object' });
    // Entry 2 relinked to the genesis hash, its own hash recomputed: only the link is wrong.
    const relinked = { ...fieldsOf(b), prevHash: GENESIS_HASH };
    const relinkedLine = canonicalJson({ ...relinked, hash: hashOf(relinked as AuditEntry) });
    expect(await verifyLines(each([a, relinkedLine]), [])).toEqual({
      ok: false,
      firstBadSeq: 2,
      problem: 'prev_hash',
      reason: 'entry 2: prevHash does not match the previous entry (entry missing, moved or inserted)',
    });
    // Entry 3 altered, hash left as it was.
    const altered = canonicalJson({ ...fieldsOf(c), actor: 'mallory' });
    expect(await verifyLines(each([a, b, altered, d]), [])).toEqual({ ok: false, firstBadSeq: 3, problem: 'hash', reason: 'entry 3: hash does not match its contents (entry altered)' });
  });

  it('a head beyond the end is truncation; a head whose hash differs is a mismatch; seq 0 heads are ignored', async () => {
    const lines = await chain(3);
    const hash2 = fieldsOf(lines[1] as string)['hash'] as string;
    expect(await verifyLines(each(lines.slice(0, 2)), [{ seq: 3, hash: 'a'.repeat(64) }])).toEqual({
      ok: false,
      firstBadSeq: 3,
      problem: 'truncated',
      reason: 'entry 3: missing; the chain ends at 2 but entry 3 was written',
    });
    expect(await verifyLines(each([]), [{ seq: 1, hash: hash2 }])).toMatchObject({ ok: false, firstBadSeq: 1, problem: 'truncated' });
    // A head exactly at the end is not truncation.
    expect(await verifyLines(each(lines.slice(0, 2)), [{ seq: 2, hash: hash2 }])).toEqual({ ok: true, entries: 2, head: { seq: 2, hash: hash2 } });
    expect(await verifyLines(each(lines), [{ seq: 2, hash: 'b'.repeat(64) }])).toEqual({
      ok: false,
      firstBadSeq: 2,
      problem: 'head_mismatch',
      reason: 'entry 2: hash differs from the recorded head',
    });
    // The second of two heads is checked too.
    expect(await verifyLines(each(lines), [{ seq: 2, hash: hash2 }, { seq: 1, hash: 'c'.repeat(64) }])).toMatchObject({ ok: false, firstBadSeq: 1, problem: 'head_mismatch' });
    expect(await verifyLines(each(lines), [{ seq: 0, hash: 'd'.repeat(64) }])).toMatchObject({ ok: true, entries: 3 });
  });
});

describe('createAuditLog', () => {
  it('refuses options without a complete store, naming options.store', () => {
    const store = createMemoryAuditStore();
    const partial: unknown[] = [undefined, null, {}, { store: null }, { store: 'x' }, { store: { ...store, append: 1 } }, { store: { ...store, last: undefined } }, { store: { append: store.append, last: store.last } }];
    for (const options of partial) {
      let caught: unknown;
      try {
        createAuditLog(options as never);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(options)).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).issues).toEqual([{ path: 'options.store', message: 'must be an AuditStore (append, last, lines)' }]);
    }
  });

  it('names every bad field of an event at once', async () => {
    const log = createAuditLog({ store: createMemoryAuditStore() });
    const error = await log.append({ actor: '', action: 7, target: undefined, outcome: 'maybe', at: new Date(Number.NaN), details: null } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'event.actor', message: 'must be a non-empty string' },
      { path: 'event.action', message: 'must be a non-empty string' },
      { path: 'event.target', message: 'must be a string or null' },
      { path: 'event.outcome', message: "must be 'attempt', 'success' or 'failure'" },
      { path: 'event.at', message: 'must be a valid Date' },
      { path: 'event.details', message: 'must be an object' },
    ]);
    for (const [bad, path] of [
      [{ actor: 5 }, 'event.actor'],
      [{ action: '' }, 'event.action'],
      [{ target: 3 }, 'event.target'],
      [{ at: '2026-01-01' }, 'event.at'],
      [{ details: 'x' }, 'event.details'],
    ] as const) {
      const refused = await log.append(event(0, bad as never)).catch((e: unknown) => e);
      expect((refused as ValidationError).issues, path).toEqual([expect.objectContaining({ path })]);
    }
    for (const notAnEvent of [null, 'x', 7]) {
      const notObject = await log.append(notAnEvent as never).catch((e: unknown) => e);
      expect((notObject as ValidationError).issues, String(notAnEvent)).toEqual([{ path: 'event', message: 'must be an object' }]);
    }
    const badOutcome = await log.append(event(0, { outcome: 'x' as never })).catch((e: unknown) => e);
    expect((badOutcome as ValidationError).operation).toBe('audit.append');
    expect(await log.head()).toBeUndefined();
  });

  it('accepts a null target, no details and no date (then the clock gives it)', async () => {
    const store = createMemoryAuditStore();
    const now = Date.UTC(2026, 5, 7, 8, 9, 10);
    const log = createAuditLog({ store, clock: { now: () => now, sleep: async () => undefined } });
    const entry = await log.append({ actor: 'a', action: 'b', target: null, outcome: 'attempt' });
    expect(entry).toMatchObject({ seq: 1, at: new Date(now).toISOString(), target: null, details: {}, prevHash: GENESIS_HASH });
    expect(store.snapshot()).toEqual([canonicalJson(entry)]);
  });

  it('continues the chain of a store that already has entries', async () => {
    const lines = await chain(2);
    const store = createMemoryAuditStore(lines);
    const log = createAuditLog({ store });
    const before = await log.head();
    expect(before).toEqual({ seq: 2, hash: fieldsOf(lines[1] as string)['hash'] });
    const entry = await log.append(event(9));
    expect(entry.seq).toBe(3);
    expect(entry.prevHash).toBe(before?.hash);
    expect(await log.head()).toEqual({ seq: 3, hash: entry.hash });
    expect(await log.verify()).toEqual({ ok: true, entries: 3, head: { seq: 3, hash: entry.hash } });
  });

  it('a damaged last line stops appends until the store is readable again', async () => {
    let damaged = true;
    const memory = createMemoryAuditStore();
    const store: AuditStore = { append: (line) => memory.append(line), last: async () => (damaged ? '{"torn' : memory.last()), lines: () => memory.lines() };
    const log = createAuditLog({ store });
    const first = await log.append(event(0)).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(IntegrityError);
    expect((first as Error).message).toContain('line is not valid JSON');
    expect((first as IntegrityError).operation).toBe('audit.append');
    damaged = false;
    // The failed read is not cached: the next append reads the store again.
    expect((await log.append(event(1))).seq).toBe(1);
  });

  it('a failed store write does not advance the chain, and later appends still run', async () => {
    const memory = createMemoryAuditStore();
    let failNext = true;
    const store: AuditStore = {
      append: async (line) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        await memory.append(line);
      },
      last: () => memory.last(),
      lines: () => memory.lines(),
    };
    const log = createAuditLog({ store });
    await expect(log.append(event(0))).rejects.toThrow('disk full');
    const entry = await log.append(event(1));
    expect(entry).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(await log.verify()).toMatchObject({ ok: true, entries: 1 });
  });

  it('verify waits for appends in flight and checks the head this log wrote and a published one', async () => {
    const store = createMemoryAuditStore();
    const log = createAuditLog({ store });
    void log.append(event(0));
    void log.append(event(1));
    expect(await log.verify()).toMatchObject({ ok: true, entries: 2 });
    const published = await log.head();
    // Another writer's history: same length, other contents.
    const other = createMemoryAuditStore();
    const forged = createAuditLog({ store: other });
    await forged.append(event(5));
    await forged.append(event(6));
    expect(await createAuditLog({ store: other }).verify({ head: published })).toMatchObject({ ok: false, problem: 'head_mismatch', firstBadSeq: 2 });
    // The log that wrote the entries notices a truncated store on its own.
    const truncating: AuditStore = { append: (line) => store.append(line), last: () => store.last(), lines: () => each(store.snapshot().slice(0, 1)) };
    const writer = createAuditLog({ store: truncating });
    await writer.append(event(2));
    expect(await writer.verify()).toMatchObject({ ok: false, problem: 'truncated', firstBadSeq: 2 });
  });

  it('entries() yields the parsed entries and refuses a damaged line', async () => {
    const lines = await chain(2);
    const read: AuditEntry[] = [];
    for await (const entry of createAuditLog({ store: createMemoryAuditStore(lines) }).entries()) read.push(entry);
    expect(read).toEqual(lines.map(fieldsOf));
    const damaged = createAuditLog({ store: createMemoryAuditStore([lines[0] as string, '{}']) });
    const error = await (async () => {
      for await (const _ of damaged.entries()) {
        // Consumed until the damaged line throws.
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as Error).message).toContain('unexpected fields');
    expect((error as IntegrityError).operation).toBe('audit.entries');
  });
});
