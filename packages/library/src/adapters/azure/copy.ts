import { ProviderError, backoffDelay, resolveRetryPolicy } from '@almanac/core';
import type { CopyRequest, ObjectInfo } from '../../spec';
import type { AzureContext } from './context';
import { AZURE_PROVIDER } from './errors';
import { statBlob } from './read';

// Copies inside one account usually finish within the first request; when one is pending the
// status is polled with growing waits on the injected clock (capped at 5 s).
const POLL = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 5_000 });

/**
 * Server-side copy with `Copy Blob` (`beginCopyFromURL`). The asynchronous form is used because
 * within one account the destination's shared key or token authorises the source, whereas the
 * synchronous `Copy Blob From URL` needs the source to be public or carry a SAS. A pending
 * copy is polled until it settles; an abort cancels it (`Abort Copy Blob`).
 */
export async function copyBlob(ctx: AzureContext, request: CopyRequest): Promise<ObjectInfo> {
  const { from, to, signal } = request;
  const { container } = await ctx.load();
  const source = container.getBlobClient(from);
  const target = container.getBlobClient(to);
  // Not idempotent in general (a retried start could copy a newer source); one attempt.
  const poller = await ctx.call('copy', (abortSignal) => target.beginCopyFromURL(source.url, { abortSignal }), {
    signal,
    idempotent: false,
    key: from,
  });
  try {
    for (let attempt = 0; !poller.isDone(); attempt++) {
      await ctx.clock.sleep(Math.max(backoffDelay(POLL, attempt), 50), signal);
      await ctx.call('copy', (abortSignal) => poller.poll({ abortSignal }), { signal, idempotent: true, key: to });
    }
  } catch (error) {
    if (signal?.aborted) await poller.cancelOperation().catch(() => {});
    throw error;
  }
  const result = poller.getResult();
  if (result?.copyStatus !== undefined && result.copyStatus !== 'success') {
    throw new ProviderError(`azure copy "${from}" → "${to}" ended with status ${result.copyStatus}`, {
      provider: AZURE_PROVIDER,
      operation: 'copy',
    });
  }
  return statBlob(ctx, to, signal);
}
