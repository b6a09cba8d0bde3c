import type { AzureContext } from './context';
import { mapAzureError } from './errors';

/** Azure accepts at most 256 sub-requests per batch. */
const BATCH_LIMIT = 256;

/** Deletes one blob and its snapshots; a missing blob is not an error. */
export async function deleteBlob(ctx: AzureContext, key: string, signal?: AbortSignal): Promise<void> {
  const { container } = await ctx.load();
  const blob = container.getBlobClient(key);
  await ctx.call('delete', (abortSignal) => blob.deleteIfExists({ abortSignal, deleteSnapshots: 'include' }), {
    signal,
    idempotent: true,
    key,
  });
}

/**
 * Deletes blobs with `Blob Batch` (azurite supports it), 256 per request, batches one after
 * another. A 404 sub-response counts as success; other failed sub-responses are reported per
 * key. A batch whose request itself fails marks each of its keys with that error.
 */
export async function deleteBlobs(
  ctx: AzureContext,
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<{ readonly failed: readonly { readonly key: string; readonly error: Error }[] }> {
  const { container } = await ctx.load();
  const batch = container.getBlobBatchClient();
  const failed: { key: string; error: Error }[] = [];
  for (let start = 0; start < keys.length; start += BATCH_LIMIT) {
    const slice = keys.slice(start, start + BATCH_LIMIT);
    const clients = slice.map((key) => container.getBlobClient(key));
    let response: Awaited<ReturnType<typeof batch.deleteBlobs>>;
    try {
      response = await ctx.call('deleteMany', (abortSignal) => batch.deleteBlobs(clients, { abortSignal, deleteSnapshots: 'include' }), {
        signal,
        idempotent: true,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      for (const key of slice) failed.push({ key, error: error as Error });
      continue;
    }
    const byUrl = new Map(clients.map((client, index) => [client.url, slice[index] ?? '']));
    response.subResponses.forEach((sub, index) => {
      if (sub.status < 300 || sub.status === 404) return;
      const key = byUrl.get(sub._request.url) ?? slice[index] ?? '';
      const shaped = Object.assign(new Error(sub.statusMessage || sub.errorCode || 'delete failed'), {
        statusCode: sub.status,
        code: sub.errorCode,
      });
      failed.push({ key, error: mapAzureError(shaped, { operation: 'deleteMany', key, nowMs: ctx.clock.now() }) });
    });
  }
  return { failed };
}
