import { createManualClock } from '@almanac/core';
import type { OperationAuditEvent } from '@almanac/core/kit';
import { expectAlmanacError, runWithClock } from '@almanac/core/testing';
import { describe, expect, it } from 'vitest';
import { createMemory__Domain__Provider } from '../src/adapters/memory/index';
import { create__Domain__ } from '../src/index';
import type { __Domain__Provider } from '../src/index';

const items = [{ id: 'a', name: 'Apple' }];

describe('create__Domain__', () => {
  it('emits one audit event per operation, with the outcome and the error code', async () => {
    const events: OperationAuditEvent[] = [];
    const facade = create__Domain__(createMemory__Domain__Provider({ items }), { onAudit: (event) => events.push(event) });
    await facade.getItem('a');
    await facade.getItem('missing').catch(() => {});
    expect(events.map((event) => [event.domain, event.operation, event.outcome, event.errorCode])).toEqual([
      ['__domain__', 'getItem', 'ok', undefined],
      ['__domain__', 'getItem', 'error', 'not_found'],
    ]);
  });

  it('describes each capability as native or unavailable, agreeing with supports()', () => {
    const full = create__Domain__(createMemory__Domain__Provider());
    const minimal = create__Domain__(createMemory__Domain__Provider({ capabilities: { search: false } }));
    expect(full.describeCapabilities()).toEqual({ search: 'native' });
    expect(minimal.describeCapabilities()).toEqual({ search: false });
    expect([full.supports('search'), minimal.supports('search')]).toEqual([true, false]);
  });

  it('fails with TimeoutError at the deadline when the provider hangs', async () => {
    const clock = createManualClock();
    const hanging: __Domain__Provider = { ...createMemory__Domain__Provider({ items }), getItem: () => new Promise(() => {}) };
    const facade = create__Domain__(hanging, { clock, timeoutMs: 1_000 });
    await expectAlmanacError(runWithClock(clock, facade.getItem('a')), { code: 'timeout', provider: 'memory', operation: 'getItem' });
  });

  it('refuses a provider of another specification version with ConfigError', async () => {
    const provider = { ...createMemory__Domain__Provider(), specificationVersion: 'v0' } as unknown as __Domain__Provider;
    await expectAlmanacError(() => create__Domain__(provider), { code: 'config', field: 'provider.specificationVersion' });
  });

  it('validates its options, naming the field', async () => {
    await expectAlmanacError(() => create__Domain__(createMemory__Domain__Provider(), { timeoutMs: 0 }), {
      code: 'validation',
      field: 'options.timeoutMs',
    });
  });
});
