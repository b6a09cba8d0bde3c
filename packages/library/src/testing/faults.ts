import { ProviderError, systemClock } from '@almanac/core';
import type { Clock } from '@almanac/core';
import type { StorageProvider, WriteRequest } from '../spec';

/** Provider operations a fault can be planned for (the `StorageProvider` method names). */
export type FaultOperation =
  | 'listPage'
  | 'stat'
  | 'read'
  | 'write'
  | 'delete'
  | 'deleteMany'
  | 'copy'
  | 'signedUrl'
  | 'setStorageClass'
  | 'getVersioning'
  | 'setVersioning'
  | 'listVersionsPage'
  | 'getTags'
  | 'setTags'
  | 'posture';

/** What goes wrong with one operation. */
export interface Fault {
  /** The first N calls fail (then calls pass through). Default: 0 with `latencyMs`, else every call. */
  readonly failTimes?: number | undefined;
  /** The error thrown; default a retryable `ProviderError` naming the operation. */
  readonly error?: (() => Error) | undefined;
  /** Delay before every call (not only failing ones), on `clock`; honours the call's signal. */
  readonly latencyMs?: number | undefined;
  /** Clock the latency sleeps on; the system clock by default. */
  readonly clock?: Clock | undefined;
  /**
   * Writes only: instead of failing before the provider is called, let the provider consume this
   * many body bytes and then break the body, which proves the provider leaves nothing partial.
   */
  readonly afterBytes?: number | undefined;
}

/** Faults per operation. */
export type FaultPlan = Partial<Record<FaultOperation, Fault>>;

/** A provider wrapped by {@link withFaults}, with counters for assertions. */
export type FaultyProvider = StorageProvider & {
  /** Calls made so far to `operation` (failed ones included). */
  calls(operation: FaultOperation): number;
};

const OPERATIONS: readonly FaultOperation[] = [
  'listPage',
  'stat',
  'read',
  'write',
  'delete',
  'deleteMany',
  'copy',
  'signedUrl',
  'setStorageClass',
  'getVersioning',
  'setVersioning',
  'listVersionsPage',
  'getTags',
  'setTags',
  'posture',
];

/** A stream of `body` that errors with `error` once `afterBytes` bytes have been delivered. */
function breakAfter(body: ReadableStream<Uint8Array> | Uint8Array, afterBytes: number, error: Error): ReadableStream<Uint8Array> {
  const source = body instanceof Uint8Array ? new Blob([body as Uint8Array<ArrayBuffer>]).stream() : body;
  const reader = source.getReader();
  let delivered = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (delivered >= afterBytes) {
        reader.cancel(error).catch(() => {});
        controller.error(error);
        return;
      }
      const { done, value } = await reader.read();
      if (done) {
        // Shorter than afterBytes: still fail, the plan asked for a broken body.
        controller.error(error);
        return;
      }
      const room = afterBytes - delivered;
      const chunk = value.byteLength > room ? value.subarray(0, room) : value;
      delivered += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/**
 * Chaos decorator: wraps any provider so that planned operations fail on their first
 * `failTimes` calls, sleep `latencyMs` on an injectable clock, or (writes) break their body after
 * `afterBytes`. Unplanned operations pass straight through; optional methods stay absent when the
 * wrapped provider lacks them.
 */
export function withFaults(provider: StorageProvider, plan: FaultPlan): FaultyProvider {
  const counts = new Map<FaultOperation, number>();
  const wrapped: Record<string, unknown> = {
    name: provider.name,
    specificationVersion: provider.specificationVersion,
    capabilities: provider.capabilities,
    calls: (operation: FaultOperation) => counts.get(operation) ?? 0,
  };
  for (const operation of OPERATIONS) {
    const method = provider[operation] as ((request?: { signal?: AbortSignal | undefined }) => Promise<unknown>) | undefined;
    if (typeof method !== 'function') continue;
    const fault = plan[operation];
    wrapped[operation] = async (request?: { signal?: AbortSignal | undefined }) => {
      const call = (counts.get(operation) ?? 0) + 1;
      counts.set(operation, call);
      if (fault === undefined) return method.call(provider, request);
      if (fault.latencyMs !== undefined && fault.latencyMs > 0) {
        await (fault.clock ?? systemClock).sleep(fault.latencyMs, request?.signal);
      }
      const failTimes = fault.failTimes ?? (fault.latencyMs === undefined ? Number.POSITIVE_INFINITY : 0);
      if (call <= failTimes) {
        const error =
          fault.error?.() ?? new ProviderError(`Injected fault in ${provider.name} ${operation} (call ${call})`, {
            provider: provider.name,
            operation,
            retryable: true,
          });
        if (operation === 'write' && fault.afterBytes !== undefined) {
          const write = request as WriteRequest;
          const { size: _size, ...rest } = write;
          return method.call(provider, { ...rest, body: breakAfter(write.body, fault.afterBytes, error) } as WriteRequest);
        }
        throw error;
      }
      return method.call(provider, request);
    };
  }
  return wrapped as unknown as FaultyProvider;
}
