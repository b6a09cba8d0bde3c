import { CapabilityError, ProviderError, withDeadline } from '@almanac/core';
import type { Clock } from '@almanac/core';
import { toAlmanacError } from '@almanac/core/kit';
import type { OperationRunner } from '@almanac/core/kit';
import type { CAPABILITY_METHODS, IdentityProvider, User, UserPage } from '../spec';

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
  runner: OperationRunner<IdentityProvider, typeof CAPABILITY_METHODS>,
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

/** Streams the provider's bulk export, each wait for the next user bounded by `timeoutMs`. */
export async function* exportUsers(
  runner: OperationRunner<IdentityProvider, typeof CAPABILITY_METHODS>,
  plan: ListPlan,
  limit: number | undefined,
  timeoutMs: number,
  clock: Clock,
): AsyncGenerator<User> {
  const provider = runner.require('bulkExport', 'listUsers');
  const name = runner.providerName;
  // One controller for the whole export: the caller's abort or a stalled wait ends the job.
  const controller = new AbortController();
  const onAbort = () => controller.abort(plan.signal?.reason);
  if (plan.signal?.aborted) onAbort();
  else plan.signal?.addEventListener('abort', onAbort, { once: true });
  let iterator: AsyncIterator<User> | undefined;
  try {
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
      const next = await withDeadline({ clock, timeoutMs, signal: controller.signal, provider: name, operation: 'exportUsers' }, () =>
        (iterator as AsyncIterator<User>).next(),
      ).catch((error: unknown) => {
        controller.abort(error);
        throw toAlmanacError(error, name, 'exportUsers');
      });
      if (next.done === true) return;
      yield next.value;
      if (remaining !== undefined) remaining--;
    }
  } finally {
    plan.signal?.removeEventListener('abort', onAbort);
    // Not awaited: a provider stuck in a pending `next()` would hold `return()` back forever.
    // The abort above (or the stalled wait's) already tells it to stop.
    if (iterator?.return !== undefined) iterator.return().catch(() => undefined);
  }
}
