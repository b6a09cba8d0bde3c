// The users-export path on a generated 10,000-user file: gzipped NDJSON shaped like Auth0's
// export (https://auth0.com/docs/manage-users/user-migration/bulk-user-exports), a job that is
// `processing` before `completed` (https://auth0.com/docs/api/management/v2/jobs/get-jobs-by-id).
import { gzipSync } from 'node:zlib';
import { expectAlmanacError, useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createAuth0Identity } from '../src/adapters/auth0';
import { ndjsonLines } from '../src/adapters/auth0/ndjson';

const DOMAIN = 'export-test.eu.auth0.com';
const ORIGIN = `https://${DOMAIN}`;
const FILE_ORIGIN = 'https://auth0-exports.fake-storage.test';
const FILE_PATH = '/job_0000000000000042/export-test.json.gz';
const SIGNED = `${FILE_ORIGIN}${FILE_PATH}?X-Amz-Signature=abc123`;

/** One export line per user; every 1,000th has a name with multi-byte characters. */
function exportFile(count: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(
      JSON.stringify({
        user_id: `auth0|${i.toString(16).padStart(24, '0')}`,
        email: `user${i}@example.com`,
        email_verified: i % 2 === 0,
        name: i % 1000 === 0 ? `Zoë Ångström 名前 ${i}` : `User ${i}`,
        created_at: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
        ...(i % 3 === 0 ? { last_login: '2026-02-01T00:00:00.000Z', last_ip: '198.51.100.1' } : {}),
        ...(i === 7 ? { blocked: true } : {}),
        app_metadata: { index: i },
      }),
    );
  }
  return gzipSync(`${lines.join('\n')}\n`);
}

function tenant(total: number): void {
  nock(ORIGIN).post('/oauth/token').reply(200, { access_token: 'tok_export_aaaaaaaaaaaa', expires_in: 86_400, token_type: 'Bearer' });
  nock(ORIGIN)
    .get('/api/v2/users')
    .query(true)
    .reply(200, { start: 0, limit: 100, length: 100, total, users: [] });
}

function job(file: Buffer): { created: () => unknown } {
  let body: unknown;
  nock(ORIGIN)
    .post('/api/v2/jobs/users-exports', (b) => {
      body = b;
      return true;
    })
    .reply(201, { type: 'users_export', status: 'pending', format: 'json', id: 'job_0000000000000042', created_at: '2026-03-01T00:00:00.000Z' });
  nock(ORIGIN).get('/api/v2/jobs/job_0000000000000042').reply(200, { type: 'users_export', status: 'processing', id: 'job_0000000000000042', percentage_done: 50 });
  nock(ORIGIN)
    .get('/api/v2/jobs/job_0000000000000042')
    .reply(200, { type: 'users_export', status: 'completed', id: 'job_0000000000000042', location: SIGNED });
  // The signed URL is on another host: it must get no Authorization header.
  nock(FILE_ORIGIN, { badheaders: ['authorization'] })
    .get(FILE_PATH)
    .query({ 'X-Amz-Signature': 'abc123' })
    .reply(200, file, { 'content-type': 'application/octet-stream' });
  return { created: () => body };
}

const make = () => createAuth0Identity({ domain: DOMAIN, clientId: 'id', clientSecret: 'secret-value', exportPollIntervalMs: 1 });

describe('auth0 export: 10,000 users', () => {
  useStrictNock();

  it('streams all 10,000 users of the gzipped NDJSON file, mapped, in file order', async () => {
    tenant(10_000);
    const { created } = job(exportFile(10_000));
    let count = 0;
    let blocked = 0;
    let withLogin = 0;
    let multiByte = '';
    for await (const user of make().listUsers()) {
      expect(user.metadata['index']).toBe(count);
      if (user.blocked) blocked++;
      if (user.lastLoginAt !== undefined) withLogin++;
      if (count === 5_000) multiByte = user.name;
      count++;
    }
    expect(count).toBe(10_000);
    expect(blocked).toBe(1);
    expect(withLogin).toBe(3_334);
    expect(multiByte).toBe('Zoë Ångström 名前 5000');
    expect(created()).toMatchObject({ format: 'json', fields: expect.arrayContaining([{ name: 'user_id' }, { name: 'app_metadata' }]) });
  });

  it('a line that is not JSON fails the export, naming the line, instead of being skipped', async () => {
    tenant(5_000);
    job(gzipSync('{"user_id":"auth0|1","email":"a@example.com","name":"A","created_at":"2024-01-01T00:00:00.000Z"}\n{"user_id": broken\n'));
    const seen: string[] = [];
    await expectAlmanacError(
      (async () => {
        for await (const user of make().listUsers()) seen.push(user.id);
      })(),
      { code: 'provider', message: 'line 2 is not JSON' },
    );
    expect(seen).toEqual(['auth0|1']);
  });

  it('ndjsonLines splits lines and UTF-8 characters cut across chunk boundaries', async () => {
    const file = exportFile(2_000);
    // 7-byte chunks: gzip members, lines and multi-byte characters are all cut mid-way.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < file.length; i += 7) controller.enqueue(file.subarray(i, i + 7));
        controller.close();
      },
    });
    const names: string[] = [];
    for await (const line of ndjsonLines(stream)) names.push((JSON.parse(line) as { name: string }).name);
    expect(names).toHaveLength(2_000);
    expect(names[1_000]).toBe('Zoë Ångström 名前 1000');
  });

  it('reads a file that arrives already decoded (not gzipped)', async () => {
    const text = new TextEncoder().encode('{"a":1}\r\n\n{"a":2}');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(text);
        controller.close();
      },
    });
    const lines: string[] = [];
    for await (const line of ndjsonLines(stream)) lines.push(line);
    expect(lines).toEqual(['{"a":1}', '{"a":2}']);
  });
});
