import { DEFAULT_RETRY_POLICY, ProviderError, errorForStatus } from '@almanac/core';
import type { AlmanacError, Clock, Logger, RetryPolicy } from '@almanac/core';
import type { RestTransport } from '../../rest/transport';
import { PROVIDER } from './options';
import type { MembershipFailure, MembershipReport } from './types';

// JSON batching: https://learn.microsoft.com/graph/json-batching — at most 20 requests per
// batch, each answered with its own { id, status, headers, body }, in any order; a throttled
// request answers 429 (or 503) with its own Retry-After while the others succeed.

/** Requests Graph accepts in one `$batch`. */
export const GRAPH_BATCH_LIMIT = 20;
const TRANSIENT: ReadonlySet<number> = new Set([429, 503, 504]);

/** One change in a batch. */
export interface BatchChange {
  /** What the change is about (a user or role id), reported back. */
  readonly key: string;
  readonly method: 'POST' | 'DELETE';
  /** URL relative to the Graph root, e.g. `/groups/{id}/members/$ref`. */
  readonly url: string;
  readonly body?: unknown;
  /** Whether a non-2xx answer still means the change holds (already a member, not a member). */
  readonly alreadyDone: (status: number, body: unknown) => boolean;
}

interface SubResponse {
  readonly id?: unknown;
  readonly status?: unknown;
  readonly headers?: unknown;
  readonly body?: unknown;
}

/** Graph's `{ error: { code, message } }`. */
export function graphError(body: unknown): { code: string; message: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } | undefined } | null)?.error;
  return { code: typeof error?.code === 'string' ? error.code : 'unknown', message: typeof error?.message === 'string' ? error.message.slice(0, 300) : '' };
}

function retryAfterMs(headers: unknown): number | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (name.toLowerCase() === 'retry-after' && /^\d+$/.test(String(value))) return Number(value) * 1000;
  }
  return undefined;
}

/** Settings of {@link runBatch}. */
export interface BatchSettings {
  readonly transport: RestTransport;
  readonly clock: Clock;
  readonly retry: RetryPolicy | undefined;
  readonly logger: Logger | undefined;
  readonly signal: AbortSignal | undefined;
}

/**
 * Sends changes 20 per `$batch`. Per request: 2xx or `alreadyDone` is success; 429/503/504 is
 * sent again (alone with the other throttled ones) after the longest `Retry-After` among them,
 * up to the retry policy's attempts; anything else is a failure, reported, never thrown.
 */
export async function runBatch(changes: readonly BatchChange[], settings: BatchSettings): Promise<MembershipReport> {
  const { transport, clock, signal } = settings;
  const maxAttempts = settings.retry?.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts;
  const maxWaitMs = settings.retry?.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs;
  const succeeded: string[] = [];
  const failed: MembershipFailure[] = [];
  for (let offset = 0; offset < changes.length; offset += GRAPH_BATCH_LIMIT) {
    let pending = changes.slice(offset, offset + GRAPH_BATCH_LIMIT);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const requests = pending.map((change, i) => ({
        id: String(i + 1),
        method: change.method,
        url: change.url,
        ...(change.body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: change.body }),
      }));
      const { data } = await transport.request<{ responses?: unknown }>({ method: 'POST', path: '/$batch', json: { requests }, signal, repeatable: true });
      const responses = new Map<string, SubResponse>();
      for (const response of Array.isArray(data?.responses) ? (data.responses as SubResponse[]) : []) responses.set(String(response.id), response);
      const again: BatchChange[] = [];
      let waitMs = 0;
      pending.forEach((change, i) => {
        const response = responses.get(String(i + 1));
        const status = typeof response?.status === 'number' ? response.status : 0;
        if ((status >= 200 && status < 300) || (status !== 0 && change.alreadyDone(status, response?.body))) {
          succeeded.push(change.key);
        } else if (status === 0 || TRANSIENT.has(status)) {
          again.push(change);
          waitMs = Math.max(waitMs, retryAfterMs(response?.headers) ?? 0);
        } else {
          failed.push({ id: change.key, status, ...graphError(response?.body) });
        }
      });
      if (again.length === 0) break;
      if (attempt >= maxAttempts || waitMs > maxWaitMs) {
        for (const change of again) {
          const response = responses.get(String(pending.indexOf(change) + 1));
          const status = typeof response?.status === 'number' ? response.status : 0;
          failed.push({ id: change.key, status, ...(status === 0 ? { code: 'missing', message: 'no answer in the batch response' } : graphError(response?.body)) });
        }
        break;
      }
      settings.logger?.debug(`${PROVIDER}: resending throttled batch requests`, { provider: PROVIDER, count: again.length, waitMs, attempt });
      await clock.sleep(waitMs > 0 ? waitMs : 2 ** attempt * 100, signal);
      pending = again;
    }
  }
  return { succeeded, failed };
}

/**
 * The error for a report with failures (for spec methods that return nothing): `NotFoundError`
 * when every failure is a 404, else the class of the first failure's status; the message lists
 * each failure and says how many changes did apply.
 */
export function reportError(report: MembershipReport, operation: string): AlmanacError | undefined {
  if (report.failed.length === 0) return undefined;
  const total = report.failed.length + report.succeeded.length;
  const detail = report.failed.map((f) => `${f.id} (HTTP ${f.status} ${f.code})`).join(', ');
  const message = `${PROVIDER}: ${operation}: ${report.failed.length} of ${total} changes failed: ${detail}; ${report.succeeded.length} applied`;
  const first = report.failed[0] as MembershipFailure;
  const status = report.failed.every((f) => f.status === 404) ? 404 : first.status;
  return status === 0
    ? new ProviderError(message, { provider: PROVIDER, operation })
    : errorForStatus(status, message, { provider: PROVIDER, operation, status });
}
