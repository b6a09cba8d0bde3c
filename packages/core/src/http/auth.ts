import { raceAbort } from '../abort';
import { abortReason } from '../clock';
import type { Clock } from '../clock';
import { AlmanacError, AuthError, TimeoutError } from '../errors';
import type { Redactor } from '../logger/redact';
import type { HttpAuth } from './types';

/** Token access for one client: current token, and a single-flight forced refresh. */
export interface TokenSource {
  /** The current token (registered as a secret on the redactor). */
  current(signal: AbortSignal): Promise<string>;
  /**
   * A fresh token replacing `rejected`. Concurrent callers that saw the same rejected
   * token share one `getToken({ forceRefresh: true })` call.
   */
  refresh(rejected: string, signal: AbortSignal): Promise<string>;
}

/** Settings of {@link createTokenSource}. */
export interface TokenSourceOptions {
  /** The user's token hook. */
  readonly auth: HttpAuth;
  /** Provider name for errors. */
  readonly provider: string;
  /** Where tokens are registered as secrets. */
  readonly redactor: Redactor;
  /** Bounds a shared refresh, which no single caller's signal may cancel. */
  readonly clock: Clock;
  /** Longest a shared refresh may take, in ms; `undefined` for no limit. */
  readonly refreshTimeoutMs: number | undefined;
}

/** Creates the {@link TokenSource} of a client. */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const { auth, provider, redactor, clock, refreshTimeoutMs } = options;
  let lastRefresh: { rejected: string; promise: Promise<string> } | undefined;

  const obtain = async (forceRefresh: boolean, signal: AbortSignal): Promise<string> => {
    let token: unknown;
    try {
      token = await auth.getToken({ forceRefresh, signal });
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      if (AlmanacError.isInstance(error)) throw error;
      throw new AuthError(`${provider}: auth.getToken failed`, { provider, operation: 'getToken', cause: error });
    }
    if (typeof token !== 'string' || token.length === 0) {
      throw new AuthError(`${provider}: auth.getToken must resolve to a non-empty string`, { provider, operation: 'getToken' });
    }
    redactor.addSecret(token);
    return token;
  };

  const startRefresh = (rejected: string): Promise<string> => {
    // Shared by every waiter, so it gets its own signal: one caller aborting must not fail the others.
    const controller = new AbortController();
    const timer = new AbortController();
    if (refreshTimeoutMs !== undefined) {
      clock.sleep(refreshTimeoutMs, timer.signal, { deadline: true }).then(
        () =>
          controller.abort(
            new TimeoutError(`${provider}: token refresh timed out after ${refreshTimeoutMs} ms`, { provider, operation: 'getToken' }),
          ),
        () => {
          // Cancelled because the refresh settled first.
        },
      );
    }
    const promise = raceAbort(obtain(true, controller.signal), controller.signal).finally(() => timer.abort());
    const entry = { rejected, promise };
    lastRefresh = entry;
    promise.catch(() => {
      // A failed refresh must not be reused; the next 401 may try again.
      if (lastRefresh === entry) lastRefresh = undefined;
    });
    return promise;
  };

  return {
    // Raced so a getToken that ignores its signal cannot outlive a timeout or abort.
    current: (signal) => raceAbort(obtain(false, signal), signal),
    refresh(rejected, signal) {
      const promise = lastRefresh?.rejected === rejected ? lastRefresh.promise : startRefresh(rejected);
      return raceAbort(promise, signal);
    },
  };
}
