import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AlmanacError, type Clock, parse, systemClock } from '@almanac/core';
import * as z from '@almanac/core/schema';
import type { StorageProvider } from '../../spec';
import { assertSafeKey } from './key-path';
import type { FsProvider } from './options';
import { createFsStorageProvider } from './provider';
import { type SignedAction, verifySignedFields } from './signing';

/** Options of {@link createSignedUrlHandler}: serve a `root` directory, or an existing provider. */
export interface SignedUrlHandlerOptions {
  /** Directory to serve (a provider is created for it). */
  root?: string | undefined;
  /** Provider to serve; its `baseUrl` path is the default `basePath`. */
  provider?: StorageProvider | undefined;
  /** The secret the URLs were signed with. */
  signingSecret: string | Uint8Array;
  /** Source of time for expiry checks. */
  clock?: Clock | undefined;
  /** URL path the handler is mounted at (e.g. `/files`); default the provider's `baseUrl` path, else `/`. */
  basePath?: string | undefined;
}

/** A `node:http` request listener. */
export type SignedUrlHandler = (req: IncomingMessage, res: ServerResponse) => void;

const optionsSchema = z
  .object({
    root: z.string().min(1).optional(),
    provider: z.custom<StorageProvider>((v) => typeof v === 'object' && v !== null && 'read' in v && 'write' in v, 'must be a StorageProvider').optional(),
    signingSecret: z.union([z.string().min(1), z.instanceof(Uint8Array).refine((v) => v.length > 0, 'must not be empty')]),
    clock: z.custom<Clock>((v) => typeof v === 'object' && v !== null && typeof (v as Clock).now === 'function', 'must be a Clock').optional(),
    basePath: z.string().startsWith('/').optional(),
  })
  .refine((v) => (v.root === undefined) !== (v.provider === undefined), { message: 'give exactly one of root or provider', path: ['root'] });

/**
 * Serves signed URLs from {@link createFsStorage}'s `signedUrl`, so local development follows
 * the cloud flow: `GET` (and `HEAD`, with `Range`) for read URLs, `PUT` (an atomic write) for
 * write URLs. The signature is checked in constant time; a bad or expired signature, or a
 * method that does not match the signed action, is answered 403 before touching the disk.
 */
export function createSignedUrlHandler(options: SignedUrlHandlerOptions): SignedUrlHandler {
  const config = parse(optionsSchema, options, { provider: 'fs', operation: 'createSignedUrlHandler', path: 'options' });
  const provider: StorageProvider = config.provider ?? createFsStorageProvider({ root: config.root as string });
  const clock = config.clock ?? systemClock;
  const secret = config.signingSecret;
  const providerBase = (provider as Partial<FsProvider>).baseUrl;
  const basePath = (config.basePath ?? (providerBase ? new URL(providerBase).pathname : '/')).replace(/\/+$/, '');

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(res, statusOf(error), AlmanacError.isInstance(error) ? error.code : 'error');
      else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const action: SignedAction | undefined = method === 'GET' || method === 'HEAD' ? 'read' : method === 'PUT' ? 'write' : undefined;
    if (!action) {
      res.setHeader('Allow', 'GET, HEAD, PUT');
      return reply(res, 405, 'method not allowed');
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(`${basePath}/`)) return reply(res, 404, 'not found');
    let key: string;
    try {
      key = url.pathname
        .slice(basePath.length + 1)
        .split('/')
        .map((segment) => decodeURIComponent(segment))
        .join('/');
    } catch {
      return reply(res, 400, 'bad key');
    }
    const query = url.searchParams;
    const expires = Number(query.get('expires'));
    const signedAction = query.get('action');
    const contentType = query.get('ct') ?? undefined;
    const inline = query.get('inline') === '1';
    const valid =
      signedAction === action &&
      Number.isSafeInteger(expires) &&
      verifySignedFields(secret, { action, key, expires, contentType, inline }, query.get('sig'));
    if (!valid) return reply(res, 403, 'signature does not match');
    if (clock.now() / 1000 > expires) return reply(res, 403, 'signed URL expired');
    try {
      assertSafeKey(key);
    } catch {
      return reply(res, 400, 'bad key');
    }
    if (action === 'read') return serveRead(req, res, key, method === 'HEAD', inline);
    const sentType = req.headers['content-type'];
    if (contentType !== undefined && sentType !== contentType) return reply(res, 403, 'content type does not match the signed one');
    const controller = new AbortController();
    const onClose = () => {
      if (!res.writableEnded) controller.abort();
    };
    res.once('close', onClose);
    const type = contentType ?? sentType;
    const length = Number(req.headers['content-length']);
    const info = await provider.write({
      key,
      body: Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>,
      signal: controller.signal,
      ...(type === undefined ? {} : { contentType: type }),
      ...(Number.isSafeInteger(length) && length >= 0 ? { size: length } : {}),
    });
    res.off('close', onClose);
    if (info.etag) res.setHeader('ETag', `"${info.etag}"`);
    reply(res, 200, '');
  }

  async function serveRead(req: IncomingMessage, res: ServerResponse, key: string, head: boolean, inline: boolean): Promise<void> {
    // Browsers must take the declared type, never sniff a "text/plain" upload into HTML.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const info = await provider.stat({ key });
    const range = parseRange(req.headers.range, info.size);
    if (range === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${info.size}`);
      return reply(res, 416, 'range not satisfiable');
    }
    const result = head ? undefined : await provider.read(range ? { key, range } : { key });
    const current = result?.info ?? info;
    res.setHeader('Accept-Ranges', 'bytes');
    const type = current.contentType ?? 'application/octet-stream';
    res.setHeader('Content-Type', type);
    // Anyone with a write URL chose this type: a page or SVG served inline would run as this origin.
    if (!inline && ACTIVE_CONTENT.test(type)) res.setHeader('Content-Disposition', attachment(key));
    if (current.etag) res.setHeader('ETag', `"${current.etag}"`);
    res.setHeader('Last-Modified', current.lastModified.toUTCString());
    if (range) {
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${range.start}-${range.end - 1}/${current.size}`);
      res.setHeader('Content-Length', range.end - range.start);
    } else {
      res.statusCode = 200;
      res.setHeader('Content-Length', current.size);
    }
    if (!result) {
      res.end();
      return;
    }
    await pipeline(Readable.fromWeb(result.body as import('node:stream/web').ReadableStream<Uint8Array>), res);
  }
}

/**
 * Types a browser renders or runs: served as attachments unless the URL was signed for
 * inline display (`inlineActiveContent`). Parameters (`; charset=…`) and case do not matter.
 */
const ACTIVE_CONTENT =
  /^\s*(?:text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|(?:text|application)\/(?:x-)?(?:java|ecma)script|application\/(?:x-)?(?:shockwave-flash|pdf))\s*(?:;|$)/i;

/** `attachment` with the key's last segment as the file name (RFC 6266, ASCII fallback plus UTF-8). */
function attachment(key: string): string {
  const name = key.split('/').pop() || 'download';
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Parses a single `bytes=` range (`a-b`, `a-`, `-n`); multiple ranges are served whole. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const length = Math.min(Number(last), size);
    return length === 0 ? 'unsatisfiable' : { start: size - length, end: size };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size : Math.min(Number(last) + 1, size);
  return end <= start ? 'unsatisfiable' : { start, end };
}

function statusOf(error: unknown): number {
  if (!AlmanacError.isInstance(error)) return 500;
  switch (error.code) {
    case 'not_found':
      return 404;
    case 'validation':
      return 400;
    case 'integrity':
      return 400;
    case 'conflict':
      return 412;
    case 'permission':
      return 403;
    case 'aborted':
      return 499;
    default:
      return 500;
  }
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (message) res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(message);
}
