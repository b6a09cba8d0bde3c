// Overhead of the S3 facade + adapter over the raw S3Client, against s3rver on 127.0.0.1.
//
// Scenario, in one run with the same client settings: upload 200 × 1 MB, list 10,000 keys
// (written first with small bodies, outside the timing), download 200 × 1 MB. Each operation
// runs raw, facade, facade, raw (ABBA) and averages; the ratio is facade/raw per operation and overall.
// Target: facade+adapter <= 1.10 × raw (PASS/MISS). Bounded to ~150 s; prints a skip line when
// s3rver cannot start. Always resolves.
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
// The built package, as users import it (`npm run bench` builds first).
import { createS3Storage } from '@almanac/library/s3';
import { startS3rver } from '../packages/library/test/support/s3rver';

const OBJECTS = 200;
const OBJECT_BYTES = 1_000_000;
const LIST_KEYS = 10_000;
const CONCURRENCY = 8;
const TARGET = 1.1;
const BUDGET_MS = 150_000;

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await fn(item);
      }
    }),
  );
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Runs the benchmark and prints its lines. */
export async function run(): Promise<void> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  let server: Awaited<ReturnType<typeof startS3rver>>;
  try {
    server = await startS3rver();
  } catch (error) {
    process.stdout.write(`library-s3: SKIP (s3rver could not start: ${(error as Error).message})\n`);
    return;
  }
  const started = Date.now();
  const raw = new S3Client({ ...server.clientConfig, maxAttempts: 1 });
  try {
    const bucket = 'bench';
    await raw.send(new CreateBucketCommand({ Bucket: bucket }));
    const storage = createS3Storage({ bucket, client: raw });
    const body = new Uint8Array(OBJECT_BYTES).fill(7);
    const ids = Array.from({ length: OBJECTS }, (_, i) => i);
    const listKeys = Array.from({ length: LIST_KEYS }, (_, i) => `list/${String(i).padStart(5, '0')}`);
    await mapLimit(listKeys, 32, (key) => raw.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' })));

    const results: { name: string; raw: number; facade: number }[] = [];
    const measure = async (name: string, rawFn: () => Promise<unknown>, facadeFn: () => Promise<unknown>) => {
      if (Date.now() - started > BUDGET_MS) {
        process.stdout.write(`library-s3: ${name} skipped (over the ${BUDGET_MS / 1000} s budget)\n`);
        return;
      }
      // ABBA order, so warm-up and drift fall on both sides equally.
      const raw1 = await time(rawFn);
      const facade1 = await time(facadeFn);
      const facade2 = await time(facadeFn);
      const raw2 = await time(rawFn);
      results.push({ name, raw: (raw1 + raw2) / 2, facade: (facade1 + facade2) / 2 });
    };
    await measure(
      'upload 200 x 1 MB',
      () => mapLimit(ids, CONCURRENCY, (i) => raw.send(new PutObjectCommand({ Bucket: bucket, Key: `raw/${i}`, Body: body }))),
      () => mapLimit(ids, CONCURRENCY, (i) => storage.write(`facade/${i}`, body)),
    );
    await measure(
      'list 10,000 keys',
      async () => {
        let token: string | undefined;
        let count = 0;
        do {
          const page = await raw.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', ...(token && { ContinuationToken: token }) }));
          count += page.Contents?.length ?? 0;
          token = page.NextContinuationToken;
        } while (token);
        if (count !== LIST_KEYS) throw new Error(`raw listed ${count}`);
      },
      async () => {
        const entries = await storage.list({ prefix: 'list/', pageSize: 1000 }).toArray();
        if (entries.length !== LIST_KEYS) throw new Error(`facade listed ${entries.length}`);
      },
    );
    await measure(
      'download 200 x 1 MB',
      () =>
        mapLimit(ids, CONCURRENCY, async (i) => {
          const output = await raw.send(new GetObjectCommand({ Bucket: bucket, Key: `raw/${i}` }));
          await output.Body?.transformToByteArray();
        }),
      () => mapLimit(ids, CONCURRENCY, (i) => storage.readBytes(`facade/${i}`)),
    );
    let rawTotal = 0;
    let facadeTotal = 0;
    for (const result of results) {
      rawTotal += result.raw;
      facadeTotal += result.facade;
      process.stdout.write(
        `library-s3: ${result.name.padEnd(20)} raw ${result.raw.toFixed(0).padStart(6)} ms  facade ${result.facade.toFixed(0).padStart(6)} ms  ratio ${(result.facade / result.raw).toFixed(3)}\n`,
      );
    }
    const overall = facadeTotal / rawTotal;
    process.stdout.write(`library-s3: overall ratio ${overall.toFixed(3)} (target <= ${TARGET}) ${overall <= TARGET ? 'PASS' : 'MISS'}\n`);
  } finally {
    raw.destroy();
    await server.stop();
  }
}
