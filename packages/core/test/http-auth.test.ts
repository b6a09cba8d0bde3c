// The HTTP client's token source on its own: what it asks the user's getToken for, how it
// reports getToken's failures, the single-flight forced refresh shared by concurrent 401s, its
// own deadline, and that one caller giving up does not fail the others.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { AbortedError, AuthError, PermissionError, TimeoutError } from '../src/errors';
import { createTokenSource } from '../src/http/auth';
import type { HttpAuth } from '../src/http/types';
import { createRedactor } from '../src/logger/redact';

interface Call {
  readonly forceRefresh: boolean;
  readonly signal: AbortSignal;
}

/** A getToken that records its calls and answers from a script (or stays pending). */
function scripted(answers: Array<(call: Call) => unknown>) {
  const calls: Call[] = [];
  const auth: HttpAuth = {
    getToken: async (call) => {
      calls.push(call);
      const answer = answers.shift();
      return (answer ? answer(call) : new Promise(() => {})) as string;
    },
  };
  return { auth, calls };
}

const never = () => new Promise<string>(() => {});
const signal = () => new AbortController().signal;

function source(auth: HttpAuth, refreshTimeoutMs: number | undefined = undefined) {
  const redactor = createRedactor();
  const clock = createManualClock();
  return { tokens: createTokenSource({ auth, provider: 'acme', redactor, clock, refreshTimeoutMs }), redactor, clock };
}

describe('createTokenSource', () => {
  it('asks for the current token without forcing a refresh and registers it as a secret', async () => {
    const { auth, calls } = scripted([() => 'tok-current-123']);
    const { tokens, redactor } = source(auth);
    expect(await tokens.current(signal())).toBe('tok-current-123');
    expect(calls.map((c) => c.forceRefresh)).toEqual([false]);
    expect(redactor.redactString('Bearer tok-current-123')).not.toContain('tok-current-123');
  });

  it('a refresh forces one and registers the new token too', async () => {
    const { auth, calls } = scripted([() => 'tok-fresh-456']);
    const { tokens, redactor } = source(auth);
    expect(await tokens.refresh('old', signal())).toBe('tok-fresh-456');
    expect(calls.map((c) => c.forceRefresh)).toEqual([true]);
    expect(redactor.redactString('tok-fresh-456')).not.toContain('tok-fresh-456');
  });

  it('wraps a foreign getToken failure in AuthError naming the provider, keeping the cause', async () => {
    const cause = new Error('idp down');
    const { auth } = scripted([() => Promise.reject(cause)]);
    const error = await source(auth).tokens.current(signal()).catch((e: unknown) => e);
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ message: 'acme: auth.getToken failed', provider: 'acme', operation: 'getToken', cause });
  });

  it('passes an Almanac error from getToken through unchanged', async () => {
    const denied = new PermissionError('no consent', { provider: 'idp' });
    const { auth } = scripted([() => Promise.reject(denied)]);
    await expect(source(auth).tokens.current(signal())).rejects.toBe(denied);
  });

  it.each([[''], [undefined], [42], [{ token: 'x' }]])('refuses a token that is not a non-empty string (%j)', async (value) => {
    const { auth } = scripted([() => value]);
    const { tokens, redactor } = source(auth);
    const error = await tokens.current(signal()).catch((e: unknown) => e);
    expect(AuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ message: 'acme: auth.getToken must resolve to a non-empty string', provider: 'acme', operation: 'getToken' });
    expect(redactor.redactString('plain text')).toBe('plain text');
  });

  it('reports the abort, not a getToken failure, when the caller gave up while getToken failed', async () => {
    const controller = new AbortController();
    const { auth } = scripted([
      () => {
        controller.abort();
        return Promise.reject(new Error('cancelled by the caller'));
      },
    ]);
    const error = await source(auth).tokens.current(controller.signal).catch((e: unknown) => e);
    expect(AbortedError.isInstance(error)).toBe(true);
  });

  it('a getToken that ignores its signal cannot outlive the caller: current() settles on abort', async () => {
    const controller = new AbortController();
    const { auth } = scripted([never]);
    const pending = source(auth).tokens.current(controller.signal);
    controller.abort();
    await expect(pending).rejects.toSatisfy((e) => AbortedError.isInstance(e));
  });

  it('concurrent refreshes of the same rejected token share one getToken call; another rejected token starts a new one', async () => {
    let release: (token: string) => void = () => {};
    const { auth, calls } = scripted([() => new Promise((resolve) => (release = resolve)), () => 'tok-other']);
    const { tokens } = source(auth);
    const first = tokens.refresh('stale', signal());
    const second = tokens.refresh('stale', signal());
    release('tok-shared');
    expect(await Promise.all([first, second])).toEqual(['tok-shared', 'tok-shared']);
    // Asked again about the same rejected token later: the settled refresh is reused.
    expect(await tokens.refresh('stale', signal())).toBe('tok-shared');
    expect(calls).toHaveLength(1);
    expect(await tokens.refresh('tok-shared', signal())).toBe('tok-other');
    expect(calls).toHaveLength(2);
  });

  it('a failed refresh is not reused: the next 401 tries again', async () => {
    const { auth, calls } = scripted([() => Promise.reject(new Error('flaky')), () => 'tok-second-try']);
    const { tokens } = source(auth);
    await expect(tokens.refresh('stale', signal())).rejects.toSatisfy((e) => AuthError.isInstance(e));
    expect(await tokens.refresh('stale', signal())).toBe('tok-second-try');
    expect(calls).toHaveLength(2);
  });

  it('one caller aborting does not cancel the shared refresh for the others', async () => {
    let release: (token: string) => void = () => {};
    const { auth, calls } = scripted([(call) => new Promise((resolve) => (release = resolve)).then((token) => (call.signal.aborted ? Promise.reject(call.signal.reason) : token))]);
    const { tokens } = source(auth);
    const impatient = new AbortController();
    const first = tokens.refresh('stale', impatient.signal);
    const second = tokens.refresh('stale', signal());
    impatient.abort();
    await expect(first).rejects.toSatisfy((e) => AbortedError.isInstance(e));
    release('tok-for-the-patient');
    expect(await second).toBe('tok-for-the-patient');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.signal.aborted).toBe(false);
  });

  it('a shared refresh times out after refreshTimeoutMs with TimeoutError, and its timer goes when it settles', async () => {
    const { auth, calls } = scripted([never, () => 'tok-after-timeout']);
    const { tokens, clock } = source(auth, 5_000);
    const pending = tokens.refresh('stale', signal()).catch((e: unknown) => e);
    await Promise.resolve();
    expect(clock.pendingSleeps()).toBe(1);
    // A deadline on the refresh in flight (runWithClock holds it back while I/O may answer).
    expect(clock.nextDueAt('deadline')).toBe(clock.now() + 5_000);
    expect(clock.nextDueAt('wait')).toBeUndefined();
    await clock.advance(4_999);
    await Promise.resolve();
    expect(calls[0]?.signal.aborted).toBe(false);
    await clock.advance(1);
    const error = await pending;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ message: 'acme: token refresh timed out after 5000 ms', provider: 'acme', operation: 'getToken' });
    expect(calls[0]?.signal.aborted).toBe(true);
    // A timed-out refresh is not reused either; a refresh that succeeds cancels its timer.
    expect(await tokens.refresh('stale', signal())).toBe('tok-after-timeout');
    await Promise.resolve();
    expect(clock.pendingSleeps()).toBe(0);
  });

  it('without refreshTimeoutMs a refresh sets no timer', async () => {
    const { auth } = scripted([never]);
    const { tokens, clock } = source(auth, undefined);
    const controller = new AbortController();
    const pending = tokens.refresh('stale', controller.signal);
    await Promise.resolve();
    expect(clock.pendingSleeps()).toBe(0);
    controller.abort();
    await expect(pending).rejects.toSatisfy((e) => AbortedError.isInstance(e));
  });
});

describe('createTokenSource: a failed older refresh', () => {
  it('does not forget a newer refresh that replaced it', async () => {
    let failFirst: (error: Error) => void = () => undefined;
    const { auth, calls } = scripted([
      () =>
        new Promise<string>((_, reject) => {
          failFirst = reject;
        }),
      () => 'tok-newer',
      () => 'tok-third',
    ]);
    const { tokens } = source(auth);
    const older = tokens.refresh('stale-a', signal()).catch((e: unknown) => e);
    expect(await tokens.refresh('stale-b', signal())).toBe('tok-newer');
    failFirst(new Error('network'));
    expect(AuthError.isInstance(await older)).toBe(true);
    // The newer refresh of stale-b is still the shared one: no third getToken call.
    expect(await tokens.refresh('stale-b', signal())).toBe('tok-newer');
    expect(calls).toHaveLength(2);
  });
});
