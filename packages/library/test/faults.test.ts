import { ConflictError, ProviderError, TimeoutError, createManualClock, withRetry } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createMemoryStorageProvider } from '../src/adapters/memory/index';
import { createStorage } from '../src/index';
import { patternBytes, patternStream, withFaults } from '../src/testing/index';
import { rejection } from './support/fixtures';


describe('withFaults', () => {
  it('fails the first N calls, then passes through, counting calls', async () => {
    const provider = withFaults(createMemoryStorageProvider(), { stat: { failTimes: 2 } });
    const storage = createStorage(provider);
    await storage.write('k', 'x');
    const first = (await rejection(storage.stat('k'))) as ProviderError;
    expect(ProviderError.isInstance(first)).toBe(true);
    expect(first.retryable).toBe(true);
    expect(first.operation).toBe('stat');
    expect(ProviderError.isInstance(await rejection(storage.stat('k')))).toBe(true);
    expect((await storage.stat('k')).size).toBe(1);
    expect(provider.calls('stat')).toBe(3);
    expect(provider.calls('write')).toBe(1);
  });

  it('throws the planned error; foreign errors are wrapped by the facade, Almanac ones pass', async () => {
    const foreign = createStorage(withFaults(createMemoryStorageProvider(), { read: { failTimes: 1, error: () => new TypeError('ECONNRESET') } }));
    await foreign.write('k', 'x');
    const wrapped = (await rejection(foreign.readText('k'))) as ProviderError;
    expect(ProviderError.isInstance(wrapped)).toBe(true);
    expect(wrapped.message).toContain('ECONNRESET');
    const conflict = new ConflictError('precondition failed');
    const almanac = createStorage(withFaults(createMemoryStorageProvider(), { write: { error: () => conflict } }));
    expect(await rejection(almanac.write('k', 'x'))).toBe(conflict);
  });

  it('a retry loop recovers from transient faults', async () => {
    const provider = withFaults(createMemoryStorageProvider(), { stat: { failTimes: 2 } });
    const storage = createStorage(provider);
    await storage.write('k', 'abc');
    const clock = createManualClock();
    const pending = withRetry(() => storage.stat('k'), { maxAttempts: 5, random: () => 0.5 }, { idempotent: true, clock });
    for (let i = 0; i < 10 && provider.calls('stat') < 3; i++) await clock.advance(1_000);
    expect((await pending).size).toBe(3);
    expect(provider.calls('stat')).toBe(3);
  });

  it('injects latency on the given clock, which the facade deadline can beat', async () => {
    const clock = createManualClock();
    const provider = withFaults(createMemoryStorageProvider({ clock }), { stat: { latencyMs: 5_000, clock } });
    const storage = createStorage(provider, { clock, timeoutMs: 1_000 });
    await storage.write('k', 'x');
    const slow = rejection(storage.stat('k'));
    await clock.advance(1_000);
    expect(TimeoutError.isInstance(await slow)).toBe(true);
    const patient = createStorage(provider, { clock, timeoutMs: 10_000 });
    const ok = patient.stat('k');
    await clock.advance(5_000);
    expect((await ok).size).toBe(1);
  });

  it('a write whose body breaks half-way leaves no object (stream and bytes)', async () => {
    const memory = createMemoryStorageProvider();
    const provider = withFaults(memory, { write: { failTimes: 2, afterBytes: 512 * 1024 } });
    const storage = createStorage(provider);
    const streamed = await rejection(storage.write('big.bin', patternStream(1024 * 1024, 64 * 1024)));
    expect(ProviderError.isInstance(streamed)).toBe(true);
    expect(await storage.exists('big.bin')).toBe(false);
    await rejection(storage.write('bytes.bin', patternBytes(1024 * 1024)));
    expect(await storage.exists('bytes.bin')).toBe(false);
    expect(memory.size()).toBe(0);
    await storage.write('big.bin', patternBytes(1024 * 1024));
    expect((await storage.stat('big.bin')).size).toBe(1024 * 1024);
  });

  it('keeps optional methods absent when the wrapped provider lacks them', () => {
    const { copy: _copy, ...rest } = createMemoryStorageProvider();
    const provider = withFaults(rest, {});
    expect('copy' in provider).toBe(false);
    expect(createStorage(provider).supports('copy')).toBe(false);
  });
});
