import nock from 'nock';
import { afterAll, describe, expect, it } from 'vitest';
import { strictNockHooks, useStrictNock } from '../src/testing/nock';

describe('useStrictNock', () => {
  useStrictNock();

  it('refuses real connections to other hosts', async () => {
    const error = await fetch('https://api.example.com/v1/things').catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('NetConnectNotAllowedError');
  });

  it('serves mocks (used mocks pass the after-each check)', async () => {
    nock('https://api.example.com').get('/v1/things').reply(200, { ok: true });
    const response = await fetch('https://api.example.com/v1/things');
    expect(await response.json()).toEqual({ ok: true });
  });
});

describe('strictNockHooks', () => {
  const passed = { task: { result: { state: 'pass' } } };
  const failed = { task: { result: { state: 'fail' } } };
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('lets loopback and allowed hosts through, nothing else', () => {
    const hooks = strictNockHooks({ allowHosts: ['emulator.internal', /\.test:\d+$/] });
    expect(['localhost:4566', '127.0.0.1:10000', '[::1]:80', 'emulator.internal:443', 'fake.test:8080'].map(hooks.permits)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['example.com:443', 'localhost.evil.com:443', 'fake.test'].map(hooks.permits)).toEqual([false, false, false]);
  });

  it('fails a passing test that left a mock unused, naming it, and always cleans up', async () => {
    const hooks = strictNockHooks();
    await hooks.beforeAll();
    nock('https://api.example.com').get('/never-called').reply(200);
    expect(() => hooks.afterEach(passed)).toThrow(/1 mock\(s\) were never called:\n {2}GET https:\/\/api\.example\.com:443\/never-called/);
    expect(nock.pendingMocks()).toEqual([]);
    hooks.afterAll();
  });

  it('does not pile onto a test that already failed', async () => {
    const hooks = strictNockHooks();
    await hooks.beforeAll();
    nock('https://api.example.com').get('/never-called').reply(200);
    expect(() => hooks.afterEach(failed)).not.toThrow();
    expect(nock.pendingMocks()).toEqual([]);
    hooks.afterAll();
  });

  it('re-enables real connections after the block', async () => {
    const hooks = strictNockHooks();
    await hooks.beforeAll();
    hooks.afterAll();
    // With net connect enabled, a request to an unmocked loopback port fails at the socket, not in nock.
    const error = await fetch('http://127.0.0.1:9/').catch((caught: unknown) => caught);
    expect((error as Error).name).not.toBe('NetConnectNotAllowedError');
  });
});
