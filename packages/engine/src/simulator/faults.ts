import { AbortedError, AlmanacError, AuthError, ConflictError, PermissionError, ProviderError, RateLimitError, TimeoutError } from '@almanac/core';
import type { WorldState } from './state';
import type { SimulatorFaultError } from './types';

const PROVIDER = 'simulator';

function toError(kind: SimulatorFaultError, operation: string): AlmanacError {
  if (AlmanacError.isInstance(kind)) return kind;
  const options = { provider: PROVIDER, operation };
  switch (kind) {
    case 'throttled':
      return new RateLimitError('Rate exceeded (injected fault)', { ...options, retryAfterMs: 1000, status: 429 });
    case 'unavailable':
      return new ProviderError('Service unavailable (injected fault)', { ...options, retryable: true, status: 503 });
    case 'timeout':
      return new TimeoutError('The provider did not answer in time (injected fault)', options);
    case 'auth':
      return new AuthError('Credentials rejected (injected fault)', { ...options, status: 401 });
    case 'permission':
      return new PermissionError('Not authorised (injected fault)', { ...options, status: 403 });
    default:
      return new ConflictError('Conflicting concurrent change (injected fault)', { ...options, status: 409 });
  }
}

/**
 * Runs before every provider call: counts it, honours the caller's signal, then applies the
 * faults that match (latency on the simulator's clock first, then the error).
 */
export async function beforeCall(world: WorldState, operation: string, target: string | undefined, signal: AbortSignal | undefined): Promise<void> {
  world.calls[operation] = (world.calls[operation] ?? 0) + 1;
  if (signal?.aborted) throw new AbortedError(undefined, { provider: PROVIDER, operation, cause: signal.reason });
  for (const entry of [...world.faults]) {
    const { fault } = entry;
    if (entry.remaining <= 0) continue;
    const ops = fault.operation === undefined ? undefined : typeof fault.operation === 'string' ? [fault.operation] : fault.operation;
    if (ops !== undefined && !ops.includes(operation)) continue;
    if (fault.target !== undefined && fault.target !== target) continue;
    if (fault.probability !== undefined && world.next() >= fault.probability) continue;
    entry.remaining--;
    if (entry.remaining <= 0) world.faults.splice(world.faults.indexOf(entry), 1);
    if (fault.latencyMs !== undefined && fault.latencyMs > 0) {
      try {
        await world.clock.sleep(fault.latencyMs, signal);
      } catch (error) {
        throw AlmanacError.isInstance(error) ? error : new AbortedError(undefined, { provider: PROVIDER, operation, cause: error });
      }
    }
    if (fault.error !== undefined) throw toError(fault.error, operation);
  }
}
