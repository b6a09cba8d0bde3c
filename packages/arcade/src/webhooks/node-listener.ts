import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookHandler } from './types';

/** Options of {@link toNodeListener}. */
export interface NodeListenerOptions {
  /** Origin used to build the `Request` URL (the path comes from the request). Default `http://localhost`. */
  origin?: string | undefined;
}

/**
 * Adapts a {@link WebhookHandler} to a `node:http` request listener, usable with
 * `http.createServer`, Express (`app.post(path, listener)`, mounted before any body parser,
 * since signatures cover the raw bytes) and Fastify (`reply.hijack()` then the listener).
 */
export function toNodeListener(
  handler: WebhookHandler,
  options: NodeListenerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const origin = options.origin ?? 'http://localhost';
  return async (req, res) => {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      }
      const method = req.method ?? 'GET';
      const hasBody = method !== 'GET' && method !== 'HEAD';
      // The body is streamed through, so the handler's size limit applies before buffering.
      const body = hasBody
        ? new ReadableStream<Uint8Array>({
            start(controller) {
              req.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
              req.on('end', () => controller.close());
              req.on('error', (error) => controller.error(error));
            },
            cancel() {
              req.destroy();
            },
          })
        : null;
      const request = new Request(new URL(req.url ?? '/', origin), {
        method,
        headers,
        body,
        ...(body ? { duplex: 'half' } : {}),
      } as RequestInit);
      const response = await handler.handle(request);
      res.statusCode = response.status;
      for (const [name, value] of response.headers) res.setHeader(name, value);
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      // handle() does not reject; this covers a broken socket. Nothing request-specific is echoed.
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    }
  };
}
