import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Context, ContextManager } from '@opentelemetry/api';
import { describe, expect, expectTypeOf, it, onTestFinished } from 'vitest';
import * as v from 'valibot';
import { z } from 'zod';
import { createManualClock } from '../src/clock';
import { AbortedError, AlmanacError, CapabilityError, ConfigError, NotFoundError, ProviderError, TimeoutError, ValidationError } from '../src/errors';
import { createOperationRunner } from '../src/kit/runner';
import type { OperationAuditEvent, OperationRunnerOptions } from '../src/kit/runner';
import type { Logger } from '../src/logger/types';
import { NOTES_CAPABILITY_METHODS, notesProvider, recordingTracer } from './kit-fixtures';
import type { NotesProvider } from './kit-fixtures';

const readSchema = z.object({ id: z.string().min(1), signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal).optional() });

function setup(overrides: Partial<OperationRunnerOptions<NotesProvider, typeof NOTES_CAPABILITY_METHODS>> = {}) {
  const clock = createManualClock(1_000);
  const events: OperationAuditEvent[] = [];
  const tracer = recordingTracer();
  const runner = createOperationRunner({
    domain: 'notes',
    provider: notesProvider(),
    capabilityMethods: NOTES_CAPABILITY_METHODS,
    defaultTimeoutMs: 5_000,
    clock,
    tracer,
    onAudit: (event) => events.push(event),
    ...overrides,
  });
  return { runner, clock, events, tracer };
}

/** A synchronous context manager: enough to see which span is active when the body starts. */
function installStackContextManager(): void {
  let current: Context = ROOT_CONTEXT;
  const manager: ContextManager = {
    active: () => current,
    with(next, fn, thisArg, ...args) {
      const previous = current;
      current = next;
      try {
        return fn.call(thisArg, ...args);
      } finally {
        current = previous;
      }
    },
    bind: (_context, target) => target,
    enable: () => manager,
    disable: () => {
      current = ROOT_CONTEXT;
      return manager;
    },
  };
  context.setGlobalContextManager(manager);
  onTestFinished(() => context.disable());
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('createOperationRunner: run', () => {
  it('validates the input, names the bad field under the path prefix, never calls the body, and audits the failure', async () => {
    const { runner, events, tracer } = setup();
    let called = false;
    const error = await failure(
      runner.run('read', { id: '' }, readSchema, async () => {
        called = true;
      }, { path: 'options' }),
    );
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['options.id']);
    expect((error as ValidationError).provider).toBe('acme');
    expect((error as ValidationError).operation).toBe('read');
    expect(called).toBe(false);
    expect(events).toEqual([expect.objectContaining({ operation: 'read', outcome: 'error', errorCode: 'validation' })]);
    expect(tracer.spans).toHaveLength(1);
    expect(tracer.spans[0]?.attributes['almanac.error.code']).toBe('validation');
  });

  it('hands the body the validated output (zod defaults applied)', async () => {
    const { runner } = setup();
    const schema = z.object({ id: z.string(), limit: z.number().default(10) });
    const seen = await runner.run('read', { id: 'a' }, schema, async (input) => {
      expectTypeOf(input).toEqualTypeOf<{ id: string; limit: number }>();
      return input;
    });
    expect(seen).toEqual({ id: 'a', limit: 10 });
  });

  it('accepts any Standard Schema validator (valibot) and names its bad field', async () => {
    const { runner } = setup();
    const schema = v.object({ id: v.pipe(v.string(), v.minLength(2)) });
    expect(await runner.run('read', { id: 'ab' }, schema, async (input) => input.id)).toBe('ab');
    const error = await failure(runner.run('read', { id: 'a' }, schema, async (input) => input.id, { path: 'options' }));
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['options.id']);
  });

  it('passes the input through untouched (typed as given) without a schema', async () => {
    const { runner } = setup();
    const input = { id: 'x', extra: 1 };
    const seen = await runner.run('read', input, undefined, async (value) => {
      expectTypeOf(value).toEqualTypeOf<{ id: string; extra: number }>();
      return value;
    });
    expect(seen).toBe(input);
  });

  it('refuses an unsupported capability with CapabilityError before validating or touching the provider', async () => {
    let touched = false;
    const { runner, events } = setup({
      provider: notesProvider({
        erase: async () => {
          touched = true;
        },
      }),
    });
    const error = await failure(
      runner.run('erase', { id: '' }, readSchema, (input) => runner.require('erase', 'erase').erase({ id: input.id, signal: new AbortController().signal }), {
        capability: 'erase',
      }),
    );
    expect(CapabilityError.isInstance(error)).toBe(true);
    expect((error as CapabilityError).capability).toBe('erase');
    expect((error as CapabilityError).provider).toBe('acme');
    expect((error as CapabilityError).operation).toBe('erase');
    expect(touched).toBe(false);
    expect(events.map((event) => event.errorCode)).toEqual(['capability']);
  });

  it('fails at the deadline with TimeoutError even when the provider ignores its signal', async () => {
    const { runner, clock, events } = setup({ timeoutMs: 2_000 });
    let seen: AbortSignal | undefined;
    const pending = failure(
      runner.run('read', { id: 'a' }, readSchema, (_input, context) => {
        seen = context.signal;
        return new Promise<never>(() => {});
      }),
    );
    await clock.advance(1_999);
    expect(seen?.aborted).toBe(false);
    await clock.advance(1);
    const error = await pending;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect((error as TimeoutError).operation).toBe('read');
    expect(seen?.aborted).toBe(true);
    expect(events[0]).toMatchObject({ outcome: 'error', errorCode: 'timeout', durationMs: 2_000 });
  });

  it('uses the per-call timeoutMs over the runner default', async () => {
    const { runner, clock } = setup();
    const pending = failure(runner.run('read', { id: 'a' }, readSchema, () => new Promise<never>(() => {}), { timeoutMs: 10 }));
    await clock.advance(10);
    expect(TimeoutError.isInstance(await pending)).toBe(true);
  });

  it("fails with AbortedError when the caller's signal (taken from the validated input) aborts", async () => {
    const { runner, events } = setup();
    const controller = new AbortController();
    const pending = failure(runner.run('read', { id: 'a', signal: controller.signal }, readSchema, () => new Promise<never>(() => {})));
    controller.abort();
    const error = await pending;
    expect(AbortedError.isInstance(error)).toBe(true);
    expect((error as AbortedError).provider).toBe('acme');
    expect(events[0]?.errorCode).toBe('aborted');
  });

  it('prefers RunOptions.signal and rejects a non-signal there naming the field', async () => {
    const { runner } = setup();
    const controller = new AbortController();
    controller.abort();
    expect(AbortedError.isInstance(await failure(runner.run('read', { id: 'a' }, readSchema, async () => 'ok', { signal: controller.signal })))).toBe(true);
    const bad = await failure(runner.run('read', { id: 'a' }, readSchema, async () => 'ok', { signal: 'nope' as never, path: 'options' }));
    expect((bad as ValidationError).issues).toEqual([{ path: 'options.signal', message: 'must be an AbortSignal' }]);
  });

  it('maps foreign errors to ProviderError with provider, operation and cause', async () => {
    const { runner, events } = setup();
    const boom = new TypeError('socket hung up');
    const error = await failure(runner.run('read', { id: 'a' }, readSchema, async () => Promise.reject(boom)));
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: 'acme', operation: 'read', message: 'acme read failed: socket hung up' });
    expect((error as ProviderError).cause).toBe(boom);
    expect(events[0]?.errorCode).toBe('provider');
  });

  it('passes Almanac errors through with their class, filling a missing provider and operation', async () => {
    const { runner } = setup();
    const original = new NotFoundError('no such note');
    const error = await failure(runner.run('read', { id: 'a' }, readSchema, async () => Promise.reject(original)));
    expect(error).toBe(original);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ provider: 'acme', operation: 'read' });
    const named = new NotFoundError('elsewhere', { provider: 'inner', operation: 'GET /notes' });
    const kept = await failure(runner.run('read', { id: 'a' }, readSchema, async () => Promise.reject(named)));
    expect(kept).toMatchObject({ provider: 'inner', operation: 'GET /notes' });
  });

  it('emits exactly one span and one audit event per call, with the attributes, and makes the span active for the body', async () => {
    const { runner, events, tracer, clock } = setup();
    let active: unknown;
    installStackContextManager();
    const result = await runner.run(
      'read',
      { id: 'a' },
      readSchema,
      async (_input, context) => {
        active = trace.getActiveSpan();
        await clock.advance(0);
        context.annotate({ bytes: 42, skipped: undefined });
        return 'text';
      },
      { attributes: { noteId: 'a' }, idempotent: true },
    );
    expect(result).toBe('text');
    expect(events).toEqual([
      {
        domain: 'notes',
        provider: 'acme',
        operation: 'read',
        outcome: 'ok',
        durationMs: 0,
        attributes: { noteId: 'a', idempotent: true, bytes: 42 },
      },
    ]);
    expect(tracer.spans).toHaveLength(1);
    const span = tracer.spans[0];
    expect(span?.name).toBe('notes.read');
    expect(span?.options?.kind).toBe(SpanKind.INTERNAL);
    expect(span?.attributes).toEqual({
      'almanac.domain': 'notes',
      'almanac.provider': 'acme',
      'almanac.operation': 'read',
      'almanac.notes.noteId': 'a',
      'almanac.notes.idempotent': true,
      'almanac.notes.bytes': 42,
    });
    expect(span?.status).toBeUndefined();
    expect(span?.ended).toBe(1);
    // The operation span is the active span while the body starts, so spans it opens (HTTP calls) nest under it.
    expect(active).toBeDefined();
    expect((active as { spanContext(): { spanId: string } }).spanContext().spanId).toBe('b7ad6b7169203331');
  });

  it('marks a failed span with the error code, an error status and the message only', async () => {
    const { runner, tracer } = setup();
    const cause = new Error('token=sekrit');
    await failure(runner.run('read', { id: 'a' }, readSchema, async () => Promise.reject(new ProviderError('acme read failed', { cause }))));
    const span = tracer.spans[0];
    expect(span?.attributes['almanac.error.code']).toBe('provider');
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'acme read failed' });
    expect(span?.exceptions).toEqual([{ name: 'ProviderError', message: 'acme read failed' }]);
    expect(JSON.stringify(span)).not.toContain('sekrit');
    expect(span?.ended).toBe(1);
  });

  it('logs (warn) and ignores an audit listener that throws', async () => {
    const warnings: unknown[] = [];
    const logger: Logger = { debug() {}, info() {}, error() {}, warn: (message, fields) => warnings.push({ message, fields }) };
    const { runner } = setup({
      logger,
      onAudit: () => {
        throw new Error('listener broke');
      },
    });
    await expect(runner.run('read', { id: 'a' }, readSchema, async () => 'ok')).resolves.toBe('ok');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ message: 'notes audit listener threw; ignored' });
  });

  it('within() runs later work under a fresh deadline and maps its failures', async () => {
    const { runner, clock } = setup({ timeoutMs: 100 });
    let later: ((signal: AbortSignal | undefined) => Promise<string>) | undefined;
    await runner.run('read', { id: 'a' }, readSchema, async (_input, context) => {
      later = (signal) => context.within(signal, () => new Promise<never>(() => {}));
    });
    await clock.advance(1_000); // long after the operation's own deadline
    const pending = failure((later as NonNullable<typeof later>)(undefined));
    await clock.advance(100);
    const error = await pending;
    expect(TimeoutError.isInstance(error)).toBe(true);
    const foreign = await failure(
      runner.run('read', { id: 'a' }, readSchema, (_input, context) => context.within(undefined, async () => Promise.reject(new Error('x')))),
    );
    expect(ProviderError.isInstance(foreign)).toBe(true);
  });
});

describe('createOperationRunner: supports, require, prepare', () => {
  it('derives supports() from the table: flag truthy (true, native, emulated) and every method a function', () => {
    const cases: [NotesProvider['capabilities']['erase'], boolean][] = [
      [true, true],
      ['native', true],
      ['emulated', true],
      [false, false],
    ];
    for (const [flag, expected] of cases) {
      const { runner } = setup({ provider: notesProvider({ capabilities: { write: true, erase: flag, search: true }, erase: async () => {} }) });
      expect(runner.supports('erase')).toBe(expected);
      expect(runner.supports('search')).toBe(true); // a pure flag needs no method
    }
    const { runner } = setup({ provider: notesProvider({ capabilities: { write: true, erase: true, search: false } }) });
    expect(runner.supports('erase')).toBe(false); // declared, but no erase method
    expect(runner.supports('nope' as never)).toBe(false);
  });

  it('require() narrows the provider type, or throws CapabilityError naming the operation', () => {
    const { runner } = setup();
    const narrowed = runner.require('write', 'save');
    expectTypeOf(narrowed.write).toEqualTypeOf<(request: { id: string; text: string; signal: AbortSignal }) => Promise<void>>();
    expectTypeOf(runner.provider.write).toEqualTypeOf<((request: { id: string; text: string; signal: AbortSignal }) => Promise<void>) | undefined>();
    // Requiring write leaves erase optional.
    expectTypeOf(narrowed.erase).toEqualTypeOf<((request: { id: string; signal: AbortSignal }) => Promise<void>) | undefined>();
    expect(() => runner.require('erase', 'purge')).toThrow(CapabilityError);
    try {
      runner.require('erase', 'purge');
    } catch (error) {
      expect(error).toMatchObject({ capability: 'erase', provider: 'acme', operation: 'purge' });
    }
    // @ts-expect-error not a capability of the table
    expect(() => runner.require('fly', 'x')).toThrow(CapabilityError);
  });

  it('prepare() returns the checked input and emits nothing on success; on failure one audit event and span, then throws', () => {
    const { runner, events, tracer } = setup();
    expect(runner.prepare('list', { id: 'a' }, readSchema, (input) => input.id.toUpperCase())).toBe('A');
    expect(events).toHaveLength(0);
    expect(tracer.spans).toHaveLength(0);
    expect(() => runner.prepare('list', { id: 1 }, readSchema, undefined, { path: 'options' })).toThrow(ValidationError);
    expect(() => runner.prepare('list', {}, undefined, () => {
      throw new Error('bad prefix');
    })).toThrow(ProviderError);
    expect(events.map((event) => [event.operation, event.errorCode])).toEqual([
      ['list', 'validation'],
      ['list', 'provider'],
    ]);
    expect(tracer.spans.map((span) => span.ended)).toEqual([1, 1]);
  });
});

describe('createOperationRunner: construction', () => {
  it('rejects a provider of another specificationVersion with ConfigError naming domain, provider and versions', () => {
    const provider = { ...notesProvider(), specificationVersion: 'v2' } as unknown as NotesProvider;
    let error: unknown;
    try {
      setup({ provider });
    } catch (caught) {
      error = caught;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).message).toContain('notes');
    expect((error as ConfigError).message).toContain('"acme"');
    expect((error as ConfigError).message).toContain('"v2"');
    expect((error as ConfigError).message).toContain('expects "v1"');
    expect((error as ConfigError).issues).toEqual([{ path: 'provider.specificationVersion', message: 'must be "v1"' }]);
  });

  it('rejects bad options naming every field', () => {
    let error: unknown;
    try {
      setup({ domain: '', defaultTimeoutMs: 0, timeoutMs: -1, onAudit: 'x' as never, tracer: {} as never });
    } catch (caught) {
      error = caught;
    }
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'options.domain',
      'options.defaultTimeoutMs',
      'options.timeoutMs',
      'options.onAudit',
      'options.tracer',
    ]);
  });

  it('works with the default (no-op) tracer and no listener', async () => {
    const runner = createOperationRunner({ domain: 'notes', provider: notesProvider(), capabilityMethods: NOTES_CAPABILITY_METHODS, defaultTimeoutMs: 1_000 });
    await expect(runner.run('read', { id: 'a' }, readSchema, async () => 'ok')).resolves.toBe('ok');
    const error = await failure(runner.run('read', {}, readSchema, async () => 'ok'));
    expect(AlmanacError.isInstance(error)).toBe(true);
  });
});
