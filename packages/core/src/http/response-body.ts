import { ProviderError } from '../errors';
import type { ClientConfig } from './client-options';
import type { PreparedRequest } from './prepare-request';
import { bodyExcerpt } from './response-error';

// Reading a successful response into the data the caller asked for (`responseType`).

const EMPTY_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);

/** The response body as JSON (the default), text, bytes or the raw `Response`. */
export async function readResponseBody(config: ClientConfig, prepared: PreparedRequest, response: Response): Promise<unknown> {
  const { provider, redactor } = config;
  const empty = prepared.method === 'HEAD' || EMPTY_BODY_STATUSES.has(response.status);
  switch (prepared.responseType) {
    case 'response':
      return response;
    case 'text':
      return empty ? '' : response.text();
    case 'bytes':
      return empty ? new Uint8Array(0) : new Uint8Array(await response.arrayBuffer());
    default: {
      if (empty) return undefined;
      const text = await response.text();
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
