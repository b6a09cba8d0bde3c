import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Proof of "nothing is lost": a child process records messages durably, starts delivering them to
// a local HTTP server standing in for Segment's /v1/batch, and is SIGKILLed while a request is in
// flight (the server has read the batch but not answered). A second run delivers the rest. Every
// message arrives; the only duplicates are redeliveries with the same messageId.
const here = fileURLToPath(new URL('.', import.meta.url));
const child = join(here, 'fixtures/delivery-child.ts');
const COUNT = 120;

describe('crash during delivery (SIGKILL)', () => {
  const received: string[] = [];
  let requests = 0;
  let holdAt = 3;
  let onHeld: (() => void) | undefined;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      requests += 1;
      const batch = (JSON.parse(body) as { batch: { messageId: string }[] }).batch;
      received.push(...batch.map((message) => message.messageId));
      if (requests === holdAt) {
        // Never answer: the child is killed while waiting for this response.
        onHeld?.();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
    });
  });
  let host = '';
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cdp-crash-'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  function run(mode: 'record' | 'deliver', killWhenHeld: boolean): Promise<{ stdout: string; signal: NodeJS.Signals | null }> {
    return new Promise((resolve, reject) => {
      // node itself with tsx's loader (not the tsx CLI, which would run the script in a grandchild
      // that a SIGKILL of the CLI leaves running): the kill hits the process doing the work.
      const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, host, mode, String(COUNT)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      proc.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      onHeld = killWhenHeld ? () => proc.kill('SIGKILL') : undefined;
      proc.on('error', reject);
      proc.on('exit', (code, signal) => {
        if (signal === null && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
        else resolve({ stdout, signal });
      });
    });
  }

  it('delivers every recorded message after a SIGKILL mid-delivery; duplicates only with the same messageId', { timeout: 60_000 }, async () => {
    const first = await run('record', true);
    expect(first.signal).toBe('SIGKILL');
    const recorded = (JSON.parse(first.stdout.split('\n')[0] as string) as { recorded: string[] }).recorded;
    expect(recorded).toHaveLength(COUNT);
    expect(new Set(recorded).size).toBe(COUNT);
    // Killed during the third request: at most 30 messages had reached the server.
    expect(new Set(received).size).toBeLessThan(COUNT);

    holdAt = Number.POSITIVE_INFINITY;
    const second = await run('deliver', false);
    expect(second.signal).toBeNull();
    expect(new Set(received)).toEqual(new Set(recorded));
    // The batch in flight at the kill was redelivered: same ids, nothing new.
    const duplicates = received.length - new Set(received).size;
    expect(duplicates).toBeGreaterThan(0);
    expect(duplicates).toBeLessThanOrEqual(10);
    for (const id of received) expect(recorded).toContain(id);

    // A third run has nothing left to send.
    const before = received.length;
    const third = await run('deliver', false);
    expect(JSON.parse(third.stdout.trim()).delivered).toBe(0);
    expect(received.length).toBe(before);
  });
});
