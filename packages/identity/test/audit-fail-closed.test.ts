import { AlmanacError, createManualClock } from '@almanac/core';
import type { Logger } from '@almanac/core';
import { expectAlmanacError } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { createAuditLog, createMemoryAuditStore } from '../src';
import type { AuditEntry, AuditStore, IdentityAuditErrorEvent, IdentityProviderMethod } from '../src';
import { createMemoryIdentity } from '../src/adapters/memory';
import type { MemoryIdentity } from '../src/adapters/memory';

const PASSWORD = 'canary-Pa55word-never-logged';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A memory store whose appends fail when `fails(n)` says so (n counts appends from 1). */
function flakyStore(fails: (n: number) => boolean): AuditStore {
  const inner = createMemoryAuditStore();
  let n = 0;
  return {
    async append(line) {
      n++;
      if (fails(n)) throw new Error('EIO: audit volume unavailable');
      await inner.append(line);
    },
    last: () => inner.last(),
    lines: () => inner.lines(),
  };
}

function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: object) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

function tenant(fails: (n: number) => boolean) {
  const audit = createAuditLog({ store: flakyStore(fails) });
  const events: IdentityAuditErrorEvent[] = [];
  const logger = recordingLogger();
  const identity = createMemoryIdentity({
    users: [{ id: 'ada', email: 'ada@example.com', name: 'Ada', roles: ['viewer'], groups: ['staff'] }],
    roles: ['admin', 'viewer'],
    groups: ['staff', 'ops'],
    audit,
    actor: 'ops',
    logger,
    onAuditError: (event) => events.push(event),
  });
  return { identity, audit, events, logger };
}

/** Every audited operation, with the provider methods it would call. */
const operations: readonly [string, IdentityProviderMethod, (identity: MemoryIdentity) => Promise<unknown>][] = [
  ['createUser', 'createUser', (i) => i.createUser({ email: 'bob@example.com', name: 'Bob', password: PASSWORD })],
  ['updateUser', 'updateUser', (i) => i.updateUser('ada', { name: 'Ada L.', password: PASSWORD })],
  ['deleteUser', 'deleteUser', (i) => i.deleteUser('ada')],
  ['blockUser', 'blockUser', (i) => i.blockUser('ada')],
  ['unblockUser', 'unblockUser', (i) => i.unblockUser('ada')],
  ['revokeSessions', 'revokeSessions', (i) => i.revokeSessions('ada')],
  ['assignRoles', 'assignRoles', (i) => i.assignRoles('ada', ['admin'])],
  ['removeRoles', 'removeRoles', (i) => i.removeRoles('ada', ['viewer'])],
  ['addToGroup', 'addToGroup', (i) => i.addToGroup('ada', 'ops')],
  ['removeFromGroup', 'removeFromGroup', (i) => i.removeFromGroup('ada', 'staff')],
];

describe('audit log: fail closed', () => {
  it.each(operations)('%s: the intent entry cannot be written → provider untouched, typed error', async (action, method, call) => {
    const { identity, audit, events, logger } = tenant(() => true);
    const before = await identity.getUser('ada');
    const error = await expectAlmanacError(call(identity), { code: 'provider', provider: 'memory', operation: action });
    expect(error.message).toContain('audit log unavailable; operation not attempted');
    expect((error as Error & { cause?: unknown }).cause).toMatchObject({ message: 'EIO: audit volume unavailable' });
    expect(identity.provider.callCount(method)).toBe(0);
    // Nothing changed at the provider.
    expect(await identity.getUser('ada')).toEqual(before);
    expect(identity.provider.size).toBe(1);
    expect(identity.provider.sessionsRevokedAt('ada')).toBeUndefined();
    expect(await collect(audit.entries())).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ stage: 'attempt', action, actor: 'ops', outcome: 'attempt', provider: 'memory' });
    expect(events[0]?.error).toBe(error);
    expect(logger.lines.filter((line) => line.startsWith('error identity: audit append failed'))).toHaveLength(1);
    expect(JSON.stringify(events) + logger.lines.join('\n') + String(error)).not.toContain(PASSWORD);
  });

  it.each(operations)('%s: the outcome entry cannot be written → result stands, reported, intent kept', async (action, method, call) => {
    const { identity, audit, events, logger } = tenant((n) => n === 2);
    await call(identity);
    expect(identity.provider.callCount(method)).toBe(1);
    const entries = await collect(audit.entries());
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ seq: 1, action, actor: 'ops', outcome: 'attempt' });
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 1 });
    expect(events).toHaveLength(1);
    const [event] = events as [IdentityAuditErrorEvent];
    expect(event).toMatchObject({ stage: 'outcome', action, actor: 'ops', outcome: 'success', attemptSeq: 1, provider: 'memory' });
    expect(AlmanacError.isInstance(event.error) && event.error.code).toBe('provider');
    expect((event.error as Error & { cause?: unknown }).cause).toMatchObject({ message: 'EIO: audit volume unavailable' });
    const errors = logger.lines.filter((line) => line.startsWith('error '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('"stage":"outcome"');
    expect(errors[0]).toContain('"attemptSeq":1');
    expect(JSON.stringify(entries) + JSON.stringify(events) + logger.lines.join('\n')).not.toContain(PASSWORD);
  });

  it('the change really happened when only the outcome entry was lost', async () => {
    const { identity } = tenant((n) => n === 2);
    await identity.blockUser('ada');
    expect((await identity.getUser('ada')).blocked).toBe(true);
    expect(identity.provider.sessionsRevokedAt('ada')).toBeInstanceOf(Date);
  });

  it('a failed operation whose outcome entry is lost still throws its own error', async () => {
    const { identity, audit, events } = tenant((n) => n === 2);
    await expectAlmanacError(identity.blockUser('usr_missing'), { code: 'not_found' });
    expect((await collect(audit.entries())).map((e) => e.outcome)).toEqual(['attempt']);
    expect(events).toMatchObject([{ stage: 'outcome', outcome: 'failure', attemptSeq: 1 }]);
  });

  it('refusals before the provider (validation, capability) write one failure entry and no intent', async () => {
    const audit = createAuditLog({ store: createMemoryAuditStore() });
    const identity = createMemoryIdentity({ users: [{ id: 'ada', email: 'ada@example.com' }], audit, capabilities: { revokeSessions: false } });
    await expectAlmanacError(identity.assignRoles('ada', []), { code: 'validation' });
    await expectAlmanacError(identity.blockUser('ada', { revokeSessions: true }), { code: 'capability' });
    expect(identity.provider.callCount('blockUser')).toBe(0);
    const entries = await collect(audit.entries());
    expect(entries.map((e) => [e.action, e.outcome, e.details['errorCode'], e.details['attemptSeq']])).toEqual([
      ['assignRoles', 'failure', 'validation', undefined],
      ['blockUser', 'failure', 'capability', undefined],
    ]);
  });

  it('a deadline passing while the intent entry is written: the provider is never called, the log says failure', async () => {
    const clock = createManualClock(0);
    const inner = createMemoryAuditStore();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let appends = 0;
    const slow: AuditStore = {
      async append(line) {
        if (++appends === 1) await gate;
        await inner.append(line);
      },
      last: () => inner.last(),
      lines: () => inner.lines(),
    };
    const audit = createAuditLog({ store: slow });
    const identity = createMemoryIdentity({ users: [{ id: 'ada', email: 'ada@example.com' }], audit, clock, timeoutMs: 1_000 });
    const pending = identity.blockUser('ada');
    const outcome = expectAlmanacError(pending, { code: 'timeout' });
    await clock.advance(1_000);
    release();
    await outcome;
    expect(identity.provider.callCount('blockUser')).toBe(0);
    expect((await identity.getUser('ada')).blocked).toBe(false);
    const entries: AuditEntry[] = await collect(audit.entries());
    expect(entries.map((e) => [e.outcome, e.details['errorCode'], e.details['attemptSeq']])).toEqual([
      ['attempt', undefined, undefined],
      ['failure', 'timeout', 1],
    ]);
  });

  it('a throwing onAuditError listener is logged and ignored', async () => {
    const logger = recordingLogger();
    const audit = createAuditLog({ store: flakyStore((n) => n === 2) });
    const identity = createMemoryIdentity({
      users: [{ id: 'ada', email: 'ada@example.com' }],
      audit,
      logger,
      onAuditError: () => {
        throw new Error('pager down');
      },
    });
    await identity.unblockUser('ada');
    expect(logger.lines.some((line) => line.startsWith('warn identity: onAuditError listener threw'))).toBe(true);
  });

  it('without an audit log nothing is appended and nothing is refused', async () => {
    const identity = createMemoryIdentity({ users: [{ id: 'ada', email: 'ada@example.com' }] });
    await identity.blockUser('ada');
    expect((await identity.getUser('ada')).blocked).toBe(true);
  });

  it('validates onAuditError', () => {
    expect(() => createMemoryIdentity({ onAuditError: 'nope' as never })).toThrow(expect.objectContaining({ code: 'validation' }));
  });
});
