// A 64 MB multipart write through `@almanac/library/s3` on s3rver, once clean and once behind a
// fault proxy that answers the first attempt of every UploadPart with 503 SlowDown (issue 10):
// every part must be retried on its own and the object must arrive intact. Prints both times,
// the faults injected and whether the bytes read back match. Always resolves.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3Storage } from '../packages/library/src/adapters/s3';
import { startS3rver } from '../packages/library/test/support/s3rver';

const SIZE = 64 * 1024 * 1024;
const PART = 8 * 1024 * 1024;
const SLOW_DOWN = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';

/** A proxy to `target` that fails the first attempt of each UploadPart with 503 SlowDown. */
async function faultProxy(target: URL): Promise<{ endpoint: string; injected: () => number; close: () => Promise<void> }> {
  const seen = new Set<string>();
  let injected = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const uploadId = url.searchParams.get('uploadId');
    const part = url.searchParams.get('partNumber');
    if (req.method === 'PUT' && uploadId !== null && part !== null && !seen.has(`${uploadId}:${part}`)) {
      seen.add(`${uploadId}:${part}`);
      injected++;
      req.resume();
      req.on('end', () => res.writeHead(503, { 'content-type': 'application/xml' }).end(SLOW_DOWN));
      return;
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    injected: () => injected,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Runs the benchmark and prints its lines. */
export async function run(): Promise<void> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  let server: Awaited<ReturnType<typeof startS3rver>>;
  try {
    server = await startS3rver(existsSync('/dev/shm') ? { parentDir: '/dev/shm' } : {});
  } catch (error) {
    process.stdout.write(`storage-multipart-faults: SKIP (s3rver could not start: ${(error as Error).message})\n`);
    return;
  }
  const proxy = await faultProxy(new URL(server.endpoint));
  const setup = new S3Client(server.clientConfig);
  try {
    await setup.send(new CreateBucketCommand({ Bucket: 'faults' }));
    const body = new Uint8Array(SIZE);
    for (let i = 0; i < SIZE; i += 4096) body[i] = (i / 4096) & 0xff;
    const expected = createHash('sha256').update(body).digest('hex');
    const options = { bucket: 'faults', multipartThreshold: PART, partSize: PART, retry: { baseDelayMs: 50, maxDelayMs: 200 } };
    const clean = createS3Storage({ ...options, ...server.clientConfig });
    const faulty = createS3Storage({ ...options, ...server.clientConfig, endpoint: proxy.endpoint });
    const timed = async (storage: typeof clean, key: string) => {
      const start = performance.now();
      await storage.write(key, body);
      const ms = performance.now() - start;
      const back = await clean.readBytes(key);
      return { ms, intact: back.byteLength === SIZE && createHash('sha256').update(back).digest('hex') === expected };
    };
    const withoutFaults = await timed(clean, 'clean.bin');
    const withFaults = await timed(faulty, 'faulty.bin');
    const parts = Math.ceil(SIZE / PART);
    process.stdout.write(`storage-multipart-faults: 64 MB in ${parts} parts of 8 MiB, s3rver${existsSync('/dev/shm') ? ' on /dev/shm' : ''}\n`);
    process.stdout.write(`storage-multipart-faults: clean            ${withoutFaults.ms.toFixed(0).padStart(6)} ms  bytes ${withoutFaults.intact ? 'intact' : 'WRONG'}\n`);
    process.stdout.write(
      `storage-multipart-faults: one 503 per part ${withFaults.ms.toFixed(0).padStart(6)} ms  bytes ${withFaults.intact ? 'intact' : 'WRONG'}  (${proxy.injected()} SlowDown injected, ratio ${(withFaults.ms / withoutFaults.ms).toFixed(2)})\n`,
    );
    process.stdout.write(`storage-multipart-faults: ${withFaults.intact && proxy.injected() >= parts ? 'PASS' : 'MISS'}\n`);
  } catch (error) {
    process.stdout.write(`storage-multipart-faults: MISS (${(error as Error).message})\n`);
  } finally {
    setup.destroy();
    await proxy.close();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((error: unknown) => {
    process.stderr.write(`storage-multipart-faults bench failed: ${String(error)}\n`);
    process.exitCode = 1;
  });
}
