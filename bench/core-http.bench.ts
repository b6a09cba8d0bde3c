/**
 * Overhead of the @almanac/core HTTP client against raw `fetch`, on a loopback server.
 *
 * 2,000 sequential GETs each, interleaved one request at a time in a seeded shuffled
 * order, after a warm-up, so machine drift hits every variant equally. The target compares like
 * with like: raw `fetch` has no timeout, so the client runs with its timeouts off (retry,
 * error mapping, redaction, tracing hooks all on); target median ratio <= 1.10.
 *
 * For information it also prints the client with its default timeouts against raw fetch
 * and against fetch given an AbortSignal and a timer (the floor for any client that can
 * time out: undici's signal handling alone costs ~10% per loopback request).
 * Always exits 0 on a MISS.
 *
 * Run: npx tsx bench/core-http.bench.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createHttpClient } from '@almanac/core';

const TOTAL = 2_000;
const WARMUP = 400;
const TARGET_RATIO = 1.1;
const BODY = JSON.stringify({ id: 'evt_123', name: 'Almanac', tags: ['a', 'b', 'c'], count: 42 });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) });
    res.end(BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const url = `${baseUrl}/events/1`;

  // Same semantics as raw fetch (no timeouts); retry (3 attempts), error mapping, no-op tracer on.
  const client = createHttpClient({ baseUrl, provider: 'bench', timeoutMs: false, totalTimeoutMs: false });
  // Default options: 30 s per attempt, 120 s per call.
  const defaultClient = createHttpClient({ baseUrl, provider: 'bench' });

  const rawFetch = async () => {
    const response = await fetch(url);
    return response.json() as Promise<unknown>;
  };
  // Informational floor: what any client honouring timeouts must at least do (headers, signal, timer).
  const equivalentFetch = async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    try {
      const response = await fetch(url, {
        method: 'GET',
        headers: { 'user-agent': '@almanac/core', accept: 'application/json' },
        signal: controller.signal,
      });
      return JSON.parse(await response.text()) as unknown;
    } finally {
      clearTimeout(timer);
    }
  };
  const viaClient = async () => (await client.get('/events/1')).data;
  const viaDefaultClient = async () => (await defaultClient.get('/events/1')).data;

  const check = (data: unknown) => {
    if ((data as { count?: unknown }).count !== 42) throw new Error('unexpected body');
  };

  const variants: Array<{ run: () => Promise<unknown>; times: number[] }> = [
    { run: rawFetch, times: [] },
    { run: viaClient, times: [] },
    { run: equivalentFetch, times: [] },
    { run: viaDefaultClient, times: [] },
  ];
  for (let i = 0; i < WARMUP; i++) {
    for (const variant of variants) check(await variant.run());
  }
  // One request per variant per round, in a freshly shuffled order each round (seeded), so
  // neither drift nor "which variant ran just before" favours any of them.
  let seed = 0x9e3779b9;
  const nextRandom = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = variants.map((_, index) => index);
  for (let round = 0; round < TOTAL; round++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(nextRandom() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const index of order) {
      const variant = variants[index] as (typeof variants)[number];
      const start = performance.now();
      const data = await variant.run();
      variant.times.push(performance.now() - start);
      check(data);
    }
  }
  server.close();

  const [fetchMedian, clientMedian, equivalentMedian, defaultMedian] = variants.map((variant) => median(variant.times)) as [
    number,
    number,
    number,
    number,
  ];
  const ratio = clientMedian / fetchMedian;
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log(`core-http: ${TOTAL} sequential GETs per variant over loopback, interleaved one by one in shuffled order`);
  console.log(`  raw fetch median                 ${us(fetchMedian)}`);
  console.log(`  createHttpClient median          ${us(clientMedian)} (timeouts off, like raw fetch)`);
  console.log(`  info: fetch + signal + timer     ${us(equivalentMedian)} (ratio to raw fetch ${(equivalentMedian / fetchMedian).toFixed(3)})`);
  console.log(
    `  info: client, default timeouts   ${us(defaultMedian)} (ratio to raw fetch ${(defaultMedian / fetchMedian).toFixed(3)}, to fetch + signal + timer ${(defaultMedian / equivalentMedian).toFixed(3)})`,
  );
  console.log(
    `  median ratio client/fetch        ${ratio.toFixed(3)} (target <= ${TARGET_RATIO.toFixed(2)}) ${ratio <= TARGET_RATIO ? 'PASS' : 'MISS'}`,
  );
}

main().catch((error: unknown) => {
  console.error('core-http bench failed:', error);
  process.exitCode = 1;
});
