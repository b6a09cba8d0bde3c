import { ProviderError } from '../errors';
import type { ClientConfig } from './client-options';
import type { PreparedRequest } from './prepare-request';
import { bodyExcerpt } from './response-error';

// Reading a successful response into the data the caller asked for (`responseType`), never
// more than `maxResponseBytes` of it: a 512 MiB body once grew the process by 1.2 GB.

const EMPTY_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);
/** `decode` without `stream` keeps no state, so one decoder serves every call. Strips a BOM, as `text()` does. */
const UTF8 = new TextDecoder();

function tooLarge(config: ClientConfig, prepared: PreparedRequest, response: Response, limit: number): ProviderError {
  return new ProviderError(
    `${config.provider}: ${prepared.operation} returned a body over maxResponseBytes (${limit} bytes); stream it with responseType "response" or raise the limit`,
    { provider: config.provider, operation: prepared.operation, status: response.status, retryable: false },
  );
}

/**
 * The body's bytes, read chunk by chunk and abandoned as soon as they pass `limit`. The
 * count is of decoded bytes (after gzip or br), so a small compressed bomb is caught too;
 * a `Content-Length` over the limit fails before anything is read.
 */
async function readLimited(config: ClientConfig, prepared: PreparedRequest, response: Response, limit: number): Promise<Uint8Array> {
  const declared = response.headers.get('content-length');
  const body = response.body;
  if (declared !== null && Number(declared) > limit) {
    body?.cancel().catch(() => {
      // Abandoned on purpose.
    });
    throw tooLarge(config, prepared, response, limit);
  }
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  let first: Uint8Array | undefined;
  let chunks: Uint8Array[] | undefined;
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => {
        // Abandoned on purpose; a failed cancel changes nothing for the caller.
      });
      throw tooLarge(config, prepared, response, limit);
    }
    // Most bodies arrive in one chunk: keep it without copying.
    if (first === undefined) first = value;
    else if (chunks === undefined) chunks = [first, value];
    else chunks.push(value);
  }
  if (chunks === undefined) {
    if (first === undefined) return new Uint8Array(0);
    // A view into a larger (pooled) buffer would expose its neighbours through `.buffer`.
    return first.byteOffset === 0 && first.byteLength === first.buffer.byteLength ? first : first.slice();
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function readText(config: ClientConfig, prepared: PreparedRequest, response: Response): Promise<string> {
  const limit = prepared.maxResponseBytes;
  return limit === undefined ? response.text() : UTF8.decode(await readLimited(config, prepared, response, limit));
}

/** The response body as JSON (the default), text, bytes or the raw `Response`. */
export async function readResponseBody(config: ClientConfig, prepared: PreparedRequest, response: Response): Promise<unknown> {
  const { provider, redactor } = config;
  const empty = prepared.method === 'HEAD' || EMPTY_BODY_STATUSES.has(response.status);
  switch (prepared.responseType) {
    case 'response':
      return response;
    case 'text':
      return empty ? '' : readText(config, prepared, response);
    case 'bytes': {
      if (empty) return new Uint8Array(0);
      const limit = prepared.maxResponseBytes;
      return limit === undefined ? new Uint8Array(await response.arrayBuffer()) : readLimited(config, prepared, response, limit);
    }
    default: {
      if (empty) return undefined;
      const text = await readText(config, prepared, response);
      if (text === '') return undefined;
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new ProviderError(
          redactor.redactString(
            `${provider}: ${prepared.operation} returned invalid JSON (HTTP ${response.status}): ${bodyExcerpt(text, redactor)}`,
          ),
          { provider, operation: prepared.operation, status: response.status, cause: error },
        );
      }
    }
  }
}
