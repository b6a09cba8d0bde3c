import { ValidationError } from '../errors';
import { headerRecord, registerSecretHeaders, responseLimit } from './client-options';
import type { ClientConfig } from './client-options';
import type { HttpMethod, HttpRequestOptions, ResponseType } from './types';
import { buildQueryString, normalizePath } from './url';

// Building one call: validating the request options into the URL, headers and body to send.

const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
const METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);
/** Methods whose repetition has the same effect as one call (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RESPONSE_TYPES: ReadonlySet<string> = new Set(['json', 'text', 'bytes', 'response']);

/** One call, validated and with its URL and headers built. */
export interface PreparedRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly operation: string;
  readonly url: string;
  readonly urlWithoutQuery: string;
  readonly headers: Record<string, string>;
  readonly body: RequestInit['body'] | undefined;
  readonly responseType: ResponseType;
  readonly idempotent: boolean;
  /** Whether the body can be sent again (not a one-shot stream). */
  readonly resendable: boolean;
  readonly routeKey: string | undefined;
  /** Body limit of buffered reads; `undefined` for none. */
  readonly maxResponseBytes: number | undefined;
}

const validationFail = (path: string, message: string): never => {
  throw new ValidationError(`${path} ${message}`, [{ path, message }]);
};

/** Validates one call's options and builds what to send, on top of the client's base URL and headers. */
export function prepareRequest(config: ClientConfig, request: HttpRequestOptions): PreparedRequest {
  if (typeof request !== 'object' || request === null) validationFail('request', 'must be an object');
  const { method } = request;
  if (typeof method !== 'string' || !METHODS.has(method)) validationFail('method', `must be one of ${[...METHODS].join(', ')}`);
  const path = normalizePath(request.path);
  const query = buildQueryString(request.query);
  const responseType = request.responseType ?? 'json';
  if (!RESPONSE_TYPES.has(responseType)) validationFail('responseType', 'must be json, text, bytes or response');
  const headers: Record<string, string> = { ...config.baseHeaders };
  if (request.headers !== undefined) {
    const callHeaders = headerRecord(request.headers, 'headers', validationFail);
    registerSecretHeaders(callHeaders, config.redactor);
    Object.assign(headers, callHeaders);
  }
  const { idempotencyKey, routeKey } = request;
  if (idempotencyKey !== undefined) {
    if (typeof idempotencyKey !== 'string' || idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      validationFail('idempotencyKey', `must be a non-empty string of at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
    if (/[\r\n\0]/.test(idempotencyKey)) validationFail('idempotencyKey', 'must not contain line breaks or NUL');
    headers['idempotency-key'] = idempotencyKey;
  }
  if (routeKey !== undefined && typeof routeKey !== 'string') validationFail('routeKey', 'must be a string');
  if (request.signal !== undefined && !(request.signal instanceof AbortSignal)) validationFail('signal', 'must be an AbortSignal');
  let body: RequestInit['body'] | undefined;
  if (request.json !== undefined) {
    if (request.body !== undefined) validationFail('json', 'cannot be combined with body');
    try {
      body = JSON.stringify(request.json);
    } catch (error) {
      throw new ValidationError('json is not JSON-serialisable', [{ path: 'json', message: 'is not JSON-serialisable' }], {
        cause: error,
      });
    }
    headers['content-type'] ??= 'application/json';
  } else if (request.body !== undefined && request.body !== null) {
    body = request.body;
  }
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) validationFail('body', `is not allowed with ${method}`);
  const maxResponseBytes = request.maxResponseBytes === undefined ? config.maxResponseBytes : responseLimit(request.maxResponseBytes, undefined);
  if (maxResponseBytes === null) validationFail('maxResponseBytes', 'must be a positive integer or false');
  const resendable = !(body instanceof ReadableStream);
  const urlWithoutQuery = config.baseUrl + path;
  return {
    method: method as HttpMethod,
    path: path || '/',
    operation: `${method} ${path || '/'}`,
    url: urlWithoutQuery + query,
    urlWithoutQuery,
    headers,
    body,
    responseType: responseType as ResponseType,
    idempotent: resendable && (IDEMPOTENT_METHODS.has(method) || idempotencyKey !== undefined),
    resendable,
    routeKey,
    maxResponseBytes: maxResponseBytes ?? undefined,
  };
}
