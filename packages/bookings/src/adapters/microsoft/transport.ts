// One place where Graph calls are made: URL building, the token, and core's `callProvider`
// (retry, abort and error mapping).
import { AlmanacError, AuthError, ProviderError, ValidationError, systemClock } from '@almanac/core';
import type { Clock, Logger, RetryPolicy } from '@almanac/core';
import { callProvider } from '@almanac/core/kit';
import type { SafeToRetry } from '@almanac/core/kit';
import { checkPathSegments } from '../../path-ids';
import { PROVIDER, mapGraphError } from './errors';
import type { GraphClientLike, GraphRequestLike } from './types';

/** Default Graph root. */
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

/** One Graph call. */
export interface GraphCall {
  /** HTTP method. */
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under the Graph root (`/users/x/events`) or an absolute Graph URL (a nextLink). */
  readonly path: string;
  /** Query parameters, encoded here. */
  readonly query?: Readonly<Record<string, string>> | undefined;
  /** JSON body of POST and PATCH. */
  readonly body?: unknown;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Whether repeating the call is safe by nature (GET, DELETE, a cancel that 404s once done). */
  readonly idempotent: boolean;
  /** What makes repeating a non-idempotent call safe (a `transactionId`, an `If-Match` etag); only then is it retried. */
  readonly safeToRetry?: SafeToRetry | undefined;
  /** Aborts the call. */
  readonly signal?: AbortSignal | undefined;
}

/** Sends Graph calls through a lazily obtained client. */
export interface GraphTransport {
  /** The Graph root, without trailing slash. */
  readonly baseUrl: string;
  /** Sends one call; resolves the parsed JSON body (or `undefined` for 204). */
  send(call: GraphCall): Promise<unknown>;
  /** Throws {@link ValidationError} unless `url` is an absolute URL under the Graph root. */
  assertGraphUrl(url: string, field: string): void;
}

/** Settings of {@link createGraphTransport}. */
export interface GraphTransportOptions {
  /** Returns the client, creating it on first use. */
  readonly client: () => Promise<GraphClientLike>;
  /** Bearer token per attempt, when the adapter built the client itself. */
  readonly accessToken: ((signal: AbortSignal) => Promise<string>) | undefined;
  /** Graph root. */
  readonly baseUrl: string;
  /** Retry policy. */
  readonly retry: RetryPolicy | undefined;
  /** Clock for backoff and `Retry-After` dates. */
  readonly clock: Clock | undefined;
  /** Told about each retry. */
  readonly logger: Logger | undefined;
}

/** Operation label: method plus path, never the query (it can hold skip and delta tokens). */
function operationOf(method: string, url: string): string {
  const pathname = (() => {
    try {
      return new URL(url).pathname;
    } catch {
      return url.split('?')[0] ?? url;
    }
  })();
  return `${method} ${pathname}`;
}

/** Creates the transport of one provider instance. */
export function createGraphTransport(options: GraphTransportOptions): GraphTransport {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const root = new URL(`${baseUrl}/`);
  const clock = options.clock ?? systemClock;

  const assertGraphUrl = (url: string, field: string): void => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    // A cursor pointing elsewhere would send our bearer token to that host.
    if (parsed === undefined || parsed.origin !== root.origin || !parsed.pathname.startsWith(root.pathname)) {
      throw new ValidationError(undefined, [{ path: field, message: `must be a ${root.origin}${root.pathname} URL returned by Graph` }], {
        provider: PROVIDER,
      });
    }
  };

  const urlOf = (call: GraphCall): string => {
    const absolute = /^https?:\/\//i.test(call.path);
    const base = absolute ? call.path : `${baseUrl}${call.path.startsWith('/') ? '' : '/'}${call.path}`;
    const query = Object.entries(call.query ?? {});
    // Links Graph returned are sent byte for byte; re-encoding could alter their tokens.
    if (query.length === 0) return base;
    const encoded = query.map(([name, value]) => `${encodeURIComponent(name).replace(/%24/g, '$')}=${encodeURIComponent(value)}`);
    return `${base}${base.includes('?') ? '&' : '?'}${encoded.join('&')}`;
  };

  const token = async (signal: AbortSignal): Promise<string> => {
    try {
      const value = await (options.accessToken as (signal: AbortSignal) => Promise<string>)(signal);
      if (typeof value !== 'string' || value === '') throw new Error('empty token');
      return value;
    } catch (error) {
      if (AlmanacError.isInstance(error) || signal.aborted) throw error;
      // The provider's own message is not repeated: it may describe credentials.
      throw new AuthError(`${PROVIDER}: getAccessToken failed`, { provider: PROVIDER, operation: 'getAccessToken', cause: error });
    }
  };

  const send = async (call: GraphCall): Promise<unknown> => {
    const url = urlOf(call);
    const operation = operationOf(call.method, url);
    // Ids are escaped with encodeURIComponent, which keeps dots: `/events/..` would reach the calendar.
    checkPathSegments(url.replace(/^https?:\/\/[^/]*/i, ''), PROVIDER, operation);
    return callProvider(
      async (signal) => {
        const client = await options.client();
        let request: GraphRequestLike = client.api(url).option('signal', signal);
        if (options.accessToken !== undefined) request = request.header('Authorization', `Bearer ${await token(signal)}`);
        for (const [name, value] of Object.entries(call.headers ?? {})) request = request.header(name, value);
        switch (call.method) {
          case 'GET':
            return await request.get();
          case 'POST':
            return await request.post(call.body ?? {});
          case 'PATCH':
            return await request.patch(call.body ?? {});
          case 'DELETE':
            return await request.delete();
        }
      },
      {
        provider: PROVIDER,
        operation,
        idempotent: call.idempotent,
        safeToRetry: call.safeToRetry,
        signal: call.signal,
        retry: options.retry,
        clock,
        logger: options.logger,
        // Graph's Retry-After on 503/504 travels with the mapped error, so the retry waits for it.
        mapError: (error, info) => mapGraphError(error, info.operation, info.nowMs),
      },
    );
  };

  return { baseUrl, send, assertGraphUrl };
}

/** Reads a JSON object response, or throws {@link ProviderError} naming the call. */
export function asObject(value: unknown, operation: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProviderError(`${PROVIDER}: ${operation} returned no JSON object`, { provider: PROVIDER, operation });
  }
  return value as Record<string, unknown>;
}
