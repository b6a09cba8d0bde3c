import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '@almanac/core';
import type { SignedUrl } from '../../spec';

/** What the signed-URL server needs from the memory store. */
export interface SignedUrlBackend {
  /** The object's bytes and content type, or `undefined` when missing. */
  get(key: string): { bytes: Uint8Array; contentType: string | undefined; etag: string | undefined } | undefined;
  /** Stores an object received by PUT. */
  put(key: string, bytes: Uint8Array, contentType: string | undefined): Promise<void>;
}

/**
 * Serves signed URLs of one memory store over plain HTTP on 127.0.0.1, so they can be fetched
 * with `fetch` like real provider URLs. Started on the first `sign`, on an ephemeral port and
 * `unref`'d (it never keeps a process alive); signatures are HMAC-SHA256 under a random
 * per-store secret, so URLs of one store are useless to any other.
 */
export class SignedUrlServer {
  private readonly secret = randomBytes(32);
  private server: Server | undefined;
  private listening: Promise<number> | undefined;

  /** `clock` decides expiry, so a manual clock can expire URLs in tests. */
  constructor(
    private readonly backend: SignedUrlBackend,
    private readonly clock: Clock,
  ) {}

  /**
   * A URL allowing `action` on `key` until `expiresIn` seconds from now, with the headers a
   * client must send: a write signed for a content type is refused with another one.
   */
  async sign(key: string, action: 'read' | 'write', expiresIn: number, contentType?: string): Promise<SignedUrl> {
    const port = await this.start();
    const expiresAt = this.clock.now() + expiresIn * 1000;
    const expires = String(expiresAt);
    const params = new URLSearchParams({ action, expires });
    if (contentType !== undefined) params.set('contentType', contentType);
    params.set('signature', this.signature(action, key, expires, contentType ?? ''));
    return {
      url: `http://127.0.0.1:${port}/o/${encodeURIComponent(key)}?${params.toString()}`,
      headers: action === 'write' && contentType !== undefined ? { 'content-type': contentType } : {},
      expiresAt: new Date(expiresAt),
    };
  }

  /** Stops the server (signed URLs stop working). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.listening = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private signature(action: string, key: string, expires: string, contentType: string): string {
    return createHmac('sha256', this.secret).update(`${action}\n${key}\n${expires}\n${contentType}`).digest('hex');
  }

  private start(): Promise<number> {
    if (this.listening) return this.listening;
    const server = createServer((request, response) => {
      this.handle(request, response).catch(() => reply(response, 500, 'internal error'));
    });
    this.server = server;
    this.listening = new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.unref();
        resolve((server.address() as AddressInfo).port);
      });
    });
    return this.listening;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith('/o/')) return reply(response, 404, 'not found');
    let key: string;
    try {
      key = decodeURIComponent(url.pathname.slice(3));
    } catch {
      return reply(response, 400, 'bad key');
    }
    const action = url.searchParams.get('action') ?? '';
    const expires = url.searchParams.get('expires') ?? '';
    const contentType = url.searchParams.get('contentType') ?? undefined;
    const given = Buffer.from(url.searchParams.get('signature') ?? '', 'hex');
    const expected = Buffer.from(this.signature(action, key, expires, contentType ?? ''), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply(response, 403, 'signature mismatch');
    if (!(Number(expires) > this.clock.now())) return reply(response, 403, 'expired');
    if (action === 'read' && (request.method === 'GET' || request.method === 'HEAD')) {
      const object = this.backend.get(key);
      if (object === undefined) return reply(response, 404, 'no such key');
      response.writeHead(200, {
        'content-type': object.contentType ?? 'application/octet-stream',
        'content-length': object.bytes.byteLength,
        ...(object.etag === undefined ? {} : { etag: object.etag }),
      });
      response.end(request.method === 'HEAD' ? undefined : object.bytes);
      return;
    }
    if (action === 'write' && request.method === 'PUT') {
      const sent = request.headers['content-type'];
      if (contentType !== undefined && sent !== contentType) return reply(response, 403, 'content type does not match the signature');
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      await this.backend.put(key, new Uint8Array(Buffer.concat(chunks)), sent ?? contentType);
      return reply(response, 200, '');
    }
    return reply(response, 403, 'method not allowed by this signature');
  }
}

function reply(response: ServerResponse, status: number, message: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { 'content-type': 'text/plain' });
  response.end(message);
}
