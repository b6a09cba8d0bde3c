import { Readable } from 'node:stream';
import type { ListEntry, ListPage, ListRequest, ObjectInfo, ReadRequest, ReadResult } from '../../spec';
import type { AzureContext } from './context';
import { concatNodeStream } from '../../facade/streams';
import { toObjectInfo } from './map';

/** Azure caps a listing page at 5000 entries. */
const MAX_PAGE = 5000;

/** An object's description via `getProperties`. */
export async function statBlob(ctx: AzureContext, key: string, signal?: AbortSignal): Promise<ObjectInfo> {
  const { container } = await ctx.load();
  const blob = container.getBlobClient(key);
  const properties = await ctx.call('stat', (abortSignal) => blob.getProperties({ abortSignal }), { signal, idempotent: true, key });
  return toObjectInfo(key, properties, properties.metadata, properties);
}

// "bytes 0-9/100" → 100: a ranged download reports the range's length, the object's size is here.
function totalFromContentRange(contentRange: string | undefined): number | undefined {
  const match = contentRange === undefined ? null : /\/(\d+)\s*$/.exec(contentRange);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Starts a download and returns its body as a web stream. The request's signal is handed to
 * the SDK, so aborting also tears down a body that is still being read.
 */
export async function readBlob(ctx: AzureContext, request: ReadRequest): Promise<ReadResult> {
  const { key, range, signal } = request;
  const { container } = await ctx.load();
  const blob = container.getBlobClient(key);
  const offset = range?.start ?? 0;
  const count = range?.end === undefined ? undefined : range.end - offset;
  let response: Awaited<ReturnType<typeof blob.download>>;
  try {
    response = await ctx.call('read', (abortSignal) => blob.download(offset, count, { abortSignal }), { signal, idempotent: true, key });
  } catch (error) {
    // A range starting at or past the end answers 416 (InvalidRange); S3 and GCS readers get an
    // empty body there, so Azure's do too. A missing blob still fails as not found (from stat).
    if (range === undefined || (error as { status?: unknown }).status !== 416) throw error;
    return { body: new ReadableStream<Uint8Array>({ start: (controller) => controller.close() }), info: await statBlob(ctx, key, signal) };
  }
  const size = totalFromContentRange(response.contentRange) ?? response.contentLength;
  const info = toObjectInfo(key, { ...response, contentLength: size }, response.metadata, response);
  const nodeBody = response.readableStreamBody;
  const body =
    nodeBody === undefined
      ? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() })
      : (Readable.toWeb(nodeBody as Readable) as unknown as ReadableStream<Uint8Array>);
  return { body, info };
}

/**
 * A whole blob in one buffer: one `download`, its Node body concatenated inside the attempt, so
 * a body cut mid-transfer is retried like any idempotent GET, and no web stream is built.
 * (`downloadToBuffer` would first ask for the size with `getProperties`: two requests.)
 */
export async function readBlobBytes(ctx: AzureContext, key: string, signal?: AbortSignal): Promise<{ bytes: Uint8Array; info: ObjectInfo }> {
  const { container } = await ctx.load();
  const blob = container.getBlobClient(key);
  return ctx.call(
    'read',
    async (abortSignal) => {
      const response = await blob.download(0, undefined, { abortSignal });
      const body = response.readableStreamBody;
      const bytes = body === undefined ? new Uint8Array(0) : await concatNodeStream(body, abortSignal);
      return { bytes, info: toObjectInfo(key, response, response.metadata, response) };
    },
    { signal, idempotent: true, key },
  );
}

const utf8 = (value: string) => Buffer.from(value, 'utf8');

/**
 * One listing page. With a delimiter Azure returns blobs and prefixes in two lists; they are
 * merged in UTF-8 byte order, the order the service sorts names in.
 */
export async function listBlobs(ctx: AzureContext, request: ListRequest): Promise<ListPage> {
  const { prefix, delimiter, limit, cursor, signal } = request;
  const { container } = await ctx.load();
  const maxPageSize = Math.min(limit ?? MAX_PAGE, MAX_PAGE);
  const options = { includeMetadata: true, ...(prefix ? { prefix } : {}) };
  const page = await ctx.call(
    'list',
    async (abortSignal) => {
      const listing =
        delimiter === undefined
          ? container.listBlobsFlat({ ...options, abortSignal })
          : container.listBlobsByHierarchy(delimiter, { ...options, abortSignal });
      const pages = listing.byPage({ ...(cursor === undefined ? {} : { continuationToken: cursor }), maxPageSize });
      const result = await pages.next();
      return result.done ? undefined : result.value;
    },
    { signal, idempotent: true },
  );
  if (page === undefined) return { entries: [] };
  const segment = page.segment as {
    blobItems: readonly { name: string; properties: object; metadata?: Record<string, string> | undefined }[];
    blobPrefixes?: readonly { name: string }[] | undefined;
  };
  const entries: ListEntry[] = segment.blobItems.map((item) => ({
    type: 'object',
    ...toObjectInfo(item.name, item.properties, item.metadata, item),
  }));
  for (const blobPrefix of segment.blobPrefixes ?? []) entries.push({ type: 'prefix', prefix: blobPrefix.name });
  entries.sort((a, b) => Buffer.compare(utf8(a.type === 'object' ? a.key : a.prefix), utf8(b.type === 'object' ? b.key : b.prefix)));
  const next = page.continuationToken;
  return next ? { entries, nextCursor: next } : { entries };
}
