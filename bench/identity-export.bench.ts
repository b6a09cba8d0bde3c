// Listing 10,000 Auth0 users through a users-export job: `listUsers` sees a tenant past the
// 1,000-user cap, creates the job, polls it, downloads the gzipped NDJSON and streams it. The
// transport is an in-memory `fetch` (token, users page, job, 64 KiB file chunks), so the numbers
// are the adapter's and the facade's cost, not a network's. Baseline measured in the same run:
// gunzip the same file whole and JSON.parse each line (no mapping, no streaming).
// Run: npm run bench -- identity-export
import { gunzipSync, gzipSync } from 'node:zlib';
import { createAuth0Identity } from '@almanac/identity/auth0';

const USERS = 10_000;
const RUNS = 7;
const CHUNK = 64 * 1024;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;

function exportFile(): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < USERS; i++) {
    lines.push(
      JSON.stringify({
        user_id: `auth0|${i.toString(16).padStart(24, '0')}`,
        email: `user${i}@example.com`,
        email_verified: true,
        name: `User ${i}`,
        nickname: `user${i}`,
        created_at: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
        updated_at: '2026-01-01T00:00:00.000Z',
        last_login: '2026-02-01T00:00:00.000Z',
        last_ip: '198.51.100.1',
        logins_count: i % 50,
        app_metadata: { plan: i % 3 === 0 ? 'pro' : 'free', region: 'eu' },
      }),
    );
  }
  return gzipSync(`${lines.join('\n')}\n`);
}

function fakeFetch(file: Buffer): typeof fetch {
  const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  return (async (input: string | URL | Request) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === '/oauth/token') return json({ access_token: 'bench-token-aaaaaaaaaaaa', expires_in: 86_400, token_type: 'Bearer' });
    if (url.pathname === '/api/v2/users') return json({ start: 0, limit: 100, length: 0, total: USERS, users: [] });
    if (url.pathname === '/api/v2/jobs/users-exports') return json({ id: 'job_bench', type: 'users_export', status: 'pending' });
    if (url.pathname === '/api/v2/jobs/job_bench') return json({ id: 'job_bench', type: 'users_export', status: 'completed', location: 'https://files.bench.test/job_bench.json.gz' });
    if (url.hostname === 'files.bench.test') {
      let offset = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= file.length) return controller.close();
          controller.enqueue(file.subarray(offset, offset + CHUNK));
          offset += CHUNK;
        },
      });
      return new Response(body);
    }
    return new Response('not found', { status: 404 });
  }) as typeof fetch;
}

async function main(): Promise<void> {
  const file = exportFile();
  console.log(`identity export: ${USERS.toLocaleString('en-US')} users, ${(file.length / 1024).toFixed(0)} KiB gzipped NDJSON in ${CHUNK / 1024} KiB chunks, median of ${RUNS} runs`);

  const baselineRuns: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    gc();
    const start = performance.now();
    let count = 0;
    for (const line of gunzipSync(file).toString('utf8').split('\n')) {
      if (line !== '' && (JSON.parse(line) as { user_id: string }).user_id !== '') count++;
    }
    baselineRuns.push(performance.now() - start);
    if (count !== USERS) throw new Error(`baseline parsed ${count} users`);
  }

  const listRuns: number[] = [];
  let peakGrowth = 0;
  for (let run = 0; run < RUNS; run++) {
    const identity = createAuth0Identity({ domain: 'bench.eu.auth0.com', clientId: 'bench', clientSecret: 'bench-secret', fetch: fakeFetch(file), exportPollIntervalMs: 1 });
    gc();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const start = performance.now();
    let count = 0;
    for await (const user of identity.listUsers()) {
      if (user.id !== '' && (++count & 1023) === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    listRuns.push(performance.now() - start);
    peakGrowth = Math.max(peakGrowth, peak - rssBefore);
    if (count !== USERS) throw new Error(`listUsers yielded ${count} users`);
  }

  const baseline = median(baselineRuns);
  const listed = median(listRuns);
  const rate = (ms: number) => Math.round(USERS / (ms / 1000)).toLocaleString('en-US').padStart(11);
  console.log(`  baseline: gunzip whole + JSON.parse   ${baseline.toFixed(1).padStart(7)} ms = ${rate(baseline)} users/s`);
  console.log(`  auth0 listUsers via export job        ${listed.toFixed(1).padStart(7)} ms = ${rate(listed)} users/s (job, poll, download, stream, map)`);
  console.log(`  ratio vs baseline: ${(listed / baseline).toFixed(1)}x; peak RSS growth while streaming ${(peakGrowth / 1e6).toFixed(1)} MB`);
}

main().catch((error: unknown) => {
  console.error('identity export bench failed:', error);
  process.exitCode = 1;
});
