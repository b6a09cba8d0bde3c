import { AlmanacError, ProviderError, defaultRetryClassifier, errorForStatus, isAbortError, withRetry } from '@almanac/core';
import type { Clock, FetchLike, Logger, RetryPolicy } from '@almanac/core';
import { pathSegment } from '../../rest/path';
import type { RestTransport } from '../../rest/transport';
import type { ExportUsersRequest, User } from '../../spec';
import { mapUser } from './map-user';
import { ndjsonLines } from './ndjson';
import { PROVIDER } from './options';
import { matchesPrefix } from './query';

// Users-export jobs: POST /api/v2/jobs/users-exports, then GET /api/v2/jobs/{id} until
// `status: "completed"`, then download `location` (a signed URL valid for 60 s; asking for the
// job again gives a fresh one): https://auth0.com/docs/manage-users/user-migration/bulk-user-exports
// and https://auth0.com/docs/api/management/v2/jobs/get-jobs-by-id

/** Fields exported (JSON format takes whole objects such as `app_metadata`; at most 30 fields). */
export const EXPORT_FIELDS = [
  'user_id',
  'email',
  'email_verified',
  'name',
  'nickname',
  'blocked',
  'created_at',
  'updated_at',
  'last_login',
  'last_ip',
  'logins_count',
  'multifactor',
  'app_metadata',
] as const;

const MAX_POLL_INTERVAL_MS = 30_000;

interface Job {
  readonly id?: unknown;
  readonly status?: unknown;
  readonly location?: unknown;
  readonly status_details?: unknown;
}

/** What an export needs from its provider. */
export interface ExportContext {
  readonly transport: RestTransport;
  /** Plain `fetch` for the file: the signed URL is on another host and must never get our token. */
  readonly fetch: FetchLike;
  readonly clock: Clock;
  readonly logger: Logger | undefined;
  readonly retry: RetryPolicy | undefined;
  readonly pollIntervalMs: number;
  /** Whether `location` may be plain http (only when the API itself is, i.e. a local fake). */
  readonly allowHttp: boolean;
}

function jobOf(data: unknown, operation: string): Job & { id: string } {
  const job = (typeof data === 'object' && data !== null ? data : {}) as Job;
  if (typeof job.id !== 'string' || job.id === '') {
    throw new ProviderError(`${PROVIDER}: ${operation} answered without a job id`, { provider: PROVIDER, operation });
  }
  return job as Job & { id: string };
}

/** Polls the job on the clock (interval doubling up to 30 s) until it completes; returns its file URL. */
async function waitForLocation(context: ExportContext, jobId: string, signal: AbortSignal | undefined): Promise<URL> {
  const path = `/jobs/${pathSegment(jobId, 'jobId', PROVIDER)}`;
  let interval = context.pollIntervalMs;
  for (;;) {
    const { data } = await context.transport.request<Job>({ method: 'GET', path, signal });
    const job = jobOf(data, 'GET /jobs/{id}');
    if (job.status === 'completed') {
      if (typeof job.location !== 'string') {
        throw new ProviderError(`${PROVIDER}: export job ${jobId} completed without a location`, { provider: PROVIDER, operation: 'exportUsers' });
      }
      let url: URL;
      try {
        url = new URL(job.location);
      } catch {
        throw new ProviderError(`${PROVIDER}: export job ${jobId} gave a location that is not a URL`, { provider: PROVIDER, operation: 'exportUsers' });
      }
      if (url.protocol !== 'https:' && !(context.allowHttp && url.protocol === 'http:')) {
        throw new ProviderError(`${PROVIDER}: export job ${jobId} gave a non-https location`, { provider: PROVIDER, operation: 'exportUsers' });
      }
      return url;
    }
    if (job.status === 'failed' || job.status === 'cancelled') {
      const detail = typeof job.status_details === 'string' ? `: ${job.status_details.slice(0, 200)}` : '';
      throw new ProviderError(`${PROVIDER}: export job ${jobId} ${job.status}${detail}`, { provider: PROVIDER, operation: 'exportUsers' });
    }
    context.logger?.debug(`${PROVIDER}: export job not ready`, { provider: PROVIDER, jobId, status: String(job.status), waitMs: interval });
    await context.clock.sleep(interval, signal);
    interval = Math.min(interval * 2, MAX_POLL_INTERVAL_MS);
  }
}

/**
 * GETs the export file. The signed URL is a credential: it never appears in an error or a log
 * line. Retried (it is a GET) on network errors and retryable statuses.
 */
async function download(context: ExportContext, url: URL, signal: AbortSignal | undefined): Promise<Response> {
  const operation = 'GET export file';
  return withRetry(
    async (_attempt, attemptSignal) => {
      let response: Response;
      try {
        response = await context.fetch(url.href, { method: 'GET', signal: attemptSignal });
      } catch (error) {
        if (attemptSignal.aborted || isAbortError(error)) throw error;
        throw new ProviderError(`${PROVIDER}: downloading the export file failed: network error`, {
          provider: PROVIDER,
          operation,
          retryable: true,
          cause: error,
        });
      }
      if (response.status >= 400) {
        await response.body?.cancel().catch(() => {
          // Nothing to release.
        });
        throw errorForStatus(response.status, `${PROVIDER}: downloading the export file failed with HTTP ${response.status}`, {
          provider: PROVIDER,
          operation,
          status: response.status,
        });
      }
      if (response.body === null) throw new ProviderError(`${PROVIDER}: the export file was empty`, { provider: PROVIDER, operation });
      return response;
    },
    context.retry,
    { idempotent: true, signal, clock: context.clock, classify: defaultRetryClassifier },
  );
}

/**
 * Streams every user through a users-export job. `query` (a prefix of email or name) is applied
 * while streaming, since a job cannot filter; `limit` is passed to the job when there is no
 * query, and always stops the stream. Lines that are not JSON fail the export (`ProviderError`
 * naming the line number) rather than being skipped.
 */
export async function* exportUsers(context: ExportContext, request: ExportUsersRequest): AsyncGenerator<User> {
  const { query, limit, signal } = request;
  if (limit !== undefined && limit <= 0) return;
  const filter = query === undefined || query === '' ? undefined : query;
  const { data } = await context.transport.request<Job>({
    method: 'POST',
    path: '/jobs/users-exports',
    json: {
      format: 'json',
      fields: EXPORT_FIELDS.map((name) => ({ name })),
      ...(filter === undefined && limit !== undefined ? { limit } : {}),
    },
    signal,
  });
  const job = jobOf(data, 'POST /jobs/users-exports');
  context.logger?.debug(`${PROVIDER}: export job created`, { provider: PROVIDER, jobId: job.id });
  let url = await waitForLocation(context, job.id, signal);
  let response: Response;
  try {
    response = await download(context, url, signal);
  } catch (error) {
    // The link lives 60 s; a slow start may find it expired. The job hands out a fresh one.
    if (!(AlmanacError.isInstance(error) && (error.status === 403 || error.status === 404 || error.status === 410))) throw error;
    url = await waitForLocation(context, job.id, signal);
    response = await download(context, url, signal);
  }
  let line = 0;
  let yielded = 0;
  for await (const text of ndjsonLines(response.body as ReadableStream<Uint8Array>)) {
    line++;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      throw new ProviderError(`${PROVIDER}: export job ${job.id}: line ${line} is not JSON`, { provider: PROVIDER, operation: 'exportUsers' });
    }
    const user = mapUser(record);
    if (filter !== undefined && !matchesPrefix(user, filter)) continue;
    yield user;
    yielded++;
    if (limit !== undefined && yielded >= limit) return;
  }
}
