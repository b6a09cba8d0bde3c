import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

// Users-export files are NDJSON, gzipped (https://auth0.com/docs/manage-users/user-migration/bulk-user-exports).
// They are read chunk by chunk and never held whole: a tenant's export can be gigabytes.

async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.byteLength > 0) yield value;
    }
  } finally {
    // Stopping early (a limit, an abort) must release the connection.
    reader.cancel().catch(() => {
      // Already closed or errored: nothing left to release.
    });
  }
}

/** The body's bytes, gunzipped when they start with the gzip magic (a server may also have decoded them already). */
async function* decompressed(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const source = chunksOf(body);
  const first = await source.next();
  if (first.done === true) return;
  const head = first.value;
  async function* all(): AsyncGenerator<Uint8Array> {
    yield head;
    yield* source;
  }
  if (!(head[0] === 0x1f && head[1] === 0x8b)) {
    yield* all();
    return;
  }
  const gunzip = createGunzip();
  const input = Readable.from(all(), { objectMode: false });
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Uint8Array;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}

/** Non-empty lines of an NDJSON body (gzipped or not), decoded as UTF-8 across chunk boundaries. */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of decompressed(body)) {
    const text = carry + decoder.write(chunk as Buffer);
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      const line = text.slice(start, newline).trim();
      if (line !== '') yield line;
      start = newline + 1;
    }
    carry = text.slice(start);
  }
  const last = (carry + decoder.end()).trim();
  if (last !== '') yield last;
}
