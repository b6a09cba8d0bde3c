import { ProviderError } from '../errors';
import type { ClientConfig } from './client-options';
import type { PreparedRequest } from './prepare-request';

// Following redirects ourselves: `fetch` follows them by default and strips only
// `Authorization` (and cookies) on an origin change, so custom secret headers
// (`x-api-key`, `ocp-apim-subscription-key`) and 307/308 POST bodies would reach whatever
// host a provider, or an attacker controlling a redirect, names. Every request is sent with
// `redirect: 'manual'` and each hop is checked here.

/** Statuses that redirect when they carry a `Location` header. 304 is a cache answer, not a redirect. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Request headers kept on a hop to another origin: the CORS-safelisted ones that carry no
 * credentials, and `user-agent`. Everything else (auth, API keys, cookies, trace context,
 * idempotency keys) stays with the origin it was meant for.
 */
const CROSS_ORIGIN_HEADERS: ReadonlySet<string> = new Set(['accept', 'accept-language', 'content-language', 'user-agent']);
/** Headers that describe a body, dropped when a hop turns the request into a GET. */
const BODY_HEADERS: ReadonlySet<string> = new Set(['content-type', 'content-length', 'content-encoding', 'content-language', 'idempotency-key']);

/** Sends one hop, mapping transport failures the way the first send does. */
export type SendHop = (url: string, init: RequestInit) => Promise<Response>;

function refused(config: ClientConfig, prepared: PreparedRequest, status: number, reason: string): ProviderError {
  return new ProviderError(`${config.provider}: ${prepared.operation} was redirected (HTTP ${status}) but ${reason}`, {
    provider: config.provider,
    operation: prepared.operation,
    status,
    // The provider will redirect the same way again.
    retryable: false,
  });
}

function keepHeaders(headers: RequestInit['headers'], keep: (name: string) => boolean): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers as Record<string, string>)) {
    if (keep(name)) out[name] = value;
  }
  return out;
}

function discard(response: Response): void {
  response.body?.cancel().catch(() => {
    // The redirect's own body is never read; a failed cancel changes nothing.
  });
}

/**
 * Follows the redirects starting at `response` within the client's rules: at most
 * `maxRedirects` hops; only to http(s) and never from https to http; 303 (and 301/302 after a
 * POST) continue as a bodiless GET, as `fetch` does; a hop to another origin keeps only
 * {@link CROSS_ORIGIN_HEADERS} and is refused when it would resend a body. Returns the first
 * response that is not a redirect (or a 3xx without `Location`).
 */
export async function followRedirects(
  config: ClientConfig,
  prepared: PreparedRequest,
  response: Response,
  init: RequestInit,
  send: SendHop,
): Promise<Response> {
  let current = response;
  let url = new URL(prepared.url);
  const origin = url.origin;
  let method = prepared.method as string;
  let headers = init.headers;
  let body = init.body;
  for (let hop = 0; REDIRECT_STATUSES.has(current.status); hop++) {
    const { status } = current;
    const location = current.headers.get('location');
    if (location === null) return current;
    discard(current);
    if (config.redirect === 'error') throw refused(config, prepared, status, 'redirects are disabled (redirect: "error")');
    if (hop >= config.maxRedirects) throw refused(config, prepared, status, `it took more than ${config.maxRedirects} redirects`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw refused(config, prepared, status, 'its Location is not a valid URL');
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:') {
      throw refused(config, prepared, status, `a redirect to a ${next.protocol} URL is refused`);
    }
    if (url.protocol === 'https:' && next.protocol === 'http:') throw refused(config, prepared, status, 'a redirect from https to http is refused');
    if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = keepHeaders(headers, (name) => !BODY_HEADERS.has(name));
    }
    if (next.origin !== origin) {
      if (body !== undefined && body !== null) {
        throw refused(config, prepared, status, `resending the ${method} body to ${next.origin} is refused`);
      }
      // Once stripped, headers stay stripped, even if a later hop returns to the origin.
      headers = keepHeaders(headers, (name) => CROSS_ORIGIN_HEADERS.has(name));
    }
    if (body instanceof ReadableStream) throw refused(config, prepared, status, 'a streamed body cannot be sent again');
    url = next;
    const hopInit: RequestInit = { ...init, method };
    if (headers === undefined) delete hopInit.headers;
    else hopInit.headers = headers;
    if (body === undefined || body === null) delete hopInit.body;
    else hopInit.body = body;
    current = await send(next.href, hopInit);
  }
  return current;
}
