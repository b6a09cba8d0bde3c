import { CapabilityError, ProviderError, TimeoutError, abortReason, raceAbort } from '@almanac/core';
import type { Clock } from '@almanac/core';
import { toAlmanacError } from '@almanac/core/kit';
import type { OperationRunner } from '@almanac/core/kit';
import type { IDENTITY_CAPABILITY_METHODS, IdentityProvider, User, UserPage } from '../spec';

/** Validated options of a listing. */
export interface ListPlan {
  readonly query?: string | undefined;
  readonly limit?: number | undefined;
  readonly pageSize?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
}

/**
 * Streams users page by page, one provider call (with its own deadline) per page. When the
 * provider says on its first page that paging cannot reach every user (`useExport`), streams
 * its export instead, each wait for the next user bounded by `exportTimeoutMs`; without
 * `bulkExport` it fails rather than return a silently truncated list.
 */
export async function* listUsers(
  runner: OperationRunner<IdentityProvider, typeof IDENTITY_CAPABILITY_METHODS>,
  plan: ListPlan,
  exportTimeoutMs: number,
  clock: Clock,
): AsyncGenerator<User> {
  const provider = runner.provider;
  let remaining = plan.limit;
  let cursor: string | undefined;
  const seenCursors = new Set<string>();
  for (let page = 1; ; page++) {
    const result: UserPage = await runner.run(
      'listUsers',
      undefined,
      undefined,
      (_, context) =>
        provider.listUsersPage({
          ...(plan.query === undefined ? {} : { query: plan.query }),
          ...(plan.pageSize === undefined ? {} : { pageSize: plan.pageSize }),
          ...(remaining === undefined ? {} : { limit: remaining }),
          ...(cursor === undefined ? {} : { cursor }),
          signal: context.signal,
        }),
      { signal: plan.signal, timeoutMs: plan.timeoutMs, idempotent: true, attributes: { page } },
    );
    if (result.useExport === true) {
      if (page > 1) {
        throw new ProviderError(`${runner.providerName} asked for an export after paging began; refusing to list users twice`, {
          provider: runner.providerName,
          operation: 'listUsers',
        });
      }
      if (!runner.supports('bulkExport')) {
        throw new CapabilityError('bulkExport', { provider: runner.providerName, operation: 'listUsers (more users than paging can reach)' });
      }
      yield* exportUsers(runner, plan, remaining, exportTimeoutMs, clock);
      return;
    }
    for (const user of result.items) {
      if (remaining === 0) return;
      yield user;
      if (remaining !== undefined) remaining--;
    }
    if (result.cursor === undefined || remaining === 0) return;
    if (seenCursors.has(result.cursor)) {
      throw new ProviderError(`${runner.providerName} returned a cursor it had returned before; stopping instead of looping`, {
        provider: runner.providerName,
        operation: 'listUsers',
      });
    }
    seenCursors.add(result.cursor);
    cursor = result.cursor;
  }
}

/**
 * Streams the provider's bulk export. A stall longer than `timeoutMs` (waiting for the job, or
 * for the next user) aborts it with `TimeoutError`. One watchdog timer serves the whole stream,
 * re-armed for whatever is left of the window, instead of one timer per user.
 */
export async function* exportUsers(
  runner: OperationRunner<IdentityProvider, typeof IDENTITY_CAPABILITY_METHODS>,
  plan: ListPlan,
  limit: number | undefined,
  timeoutMs: number,
  clock: Clock,
): AsyncGenerator<User> {
  const provider = runner.require('bulkExport', 'listUsers');
  const name = runner.providerName;
  // One controller for the whole export: the caller's abort or a stall ends the job.
  const controller = new AbortController();
  const stop = new AbortController();
  const onAbort = () => controller.abort(plan.signal?.reason);
  if (plan.signal?.aborted) onAbort();
  else plan.signal?.addEventListener('abort', onAbort, { once: true });
  let lastProgress = clock.now();
  void (async () => {
    while (!stop.signal.aborted && !controller.signal.aborted) {
      const left = lastProgress + timeoutMs - clock.now();
      if (left <= 0) {
        controller.abort(new TimeoutError(`${name} exportUsers stalled for ${timeoutMs} ms`, { provider: name, operation: 'exportUsers' }));
        return;
      }
      await clock.sleep(left, stop.signal).catch(() => undefined);
    }
  })();
  let iterator: AsyncIterator<User> | undefined;
  try {
    if (controller.signal.aborted) throw abortReason(controller.signal);
    iterator = provider
      .exportUsers({
        ...(plan.query === undefined ? {} : { query: plan.query }),
        ...(limit === undefined ? {} : { limit }),
        signal: controller.signal,
      })
      [Symbol.asyncIterator]();
    let remaining = limit;
    for (;;) {
      if (remaining === 0) return;
      let next: IteratorResult<User>;
      try {
        next = await raceAbort(iterator.next(), controller.signal);
      } catch (error) {
        throw toAlmanacError(controller.signal.aborted ? abortReason(controller.signal) : error, name, 'exportUsers');
      }
      if (next.done === true) return;
      lastProgress = clock.now();
      yield next.value;
      // Time the consumer spends on a user is not the provider stalling.
      lastProgress = clock.now();
      if (remaining !== undefined) remaining--;
    }
  } finally {
    stop.abort();
    plan.signal?.removeEventListener('abort', onAbort);
    // Not awaited: a provider stuck in a pending `next()` would hold `return()` back forever.
    // The abort above (or the stall's) already tells it to stop.
    if (iterator?.return !== undefined) iterator.return().catch(() => undefined);
  }
}
