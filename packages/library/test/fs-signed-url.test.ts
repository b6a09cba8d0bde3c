import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CapabilityError, ValidationError, createManualClock } from '@almanac/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FsProvider, createFsStorageProvider, createSignedUrlHandler } from '../src/adapters/fs';
import { signedUrlOf } from './support/signed';

const secret = 'local-dev-secret';
let root = '';
let server: Server;
let provider: FsProvider;
const clock = createManualClock(Date.UTC(2026, 0, 1));

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'almanac-fs-signed-'));
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  provider = createFsStorageProvider({ root, signingSecret: secret, baseUrl: `http://127.0.0.1:${port}/files`, clock });
  server.on('request', createSignedUrlHandler({ provider, signingSecret: secret, clock }));
});
afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(root, { recursive: true, force: true });
});

const sign = (key: string, action: 'read' | 'write', expiresIn = 60, contentType?: string) =>
  signedUrlOf(provider, { key, action, expiresIn, ...(contentType ? { contentType } : {}) });

describe('fs signed URLs', () => {
  it('has the documented shape', async () => {
    const url = new URL(await sign('dir/a b+c.txt', 'read', 300));
    expect(url.pathname).toBe('/files/dir/a%20b%2Bc.txt');
    expect(url.searchParams.get('expires')).toBe(String(Date.UTC(2026, 0, 1) / 1000 + 300));
    expect(url.searchParams.get('action')).toBe('read');
    expect(url.searchParams.get('sig')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves GET, HEAD and Range requests', async () => {
    await provider.write({ key: 'dir/a b+c.txt', body: new TextEncoder().encode('0123456789'), contentType: 'text/plain' });
    const url = await sign('dir/a b+c.txt', 'read');
    const full = await fetch(url);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('text/plain');
    expect(await full.text()).toBe('0123456789');
    const part = await fetch(url, { headers: { range: 'bytes=2-4' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 2-4/10');
    expect(await part.text()).toBe('234');
    const tail = await fetch(url, { headers: { range: 'bytes=-3' } });
    expect(await tail.text()).toBe('789');
    const beyond = await fetch(url, { headers: { range: 'bytes=50-' } });
    expect(beyond.status).toBe(416);
    await beyond.body?.cancel();
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('10');
  });

  it('accepts PUT to a write URL as an atomic write, with the signed content type', async () => {
    const url = await sign('up/load.json', 'write', 60, 'application/json');
    const response = await fetch(url, { method: 'PUT', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    const info = await provider.stat({ key: 'up/load.json' });
    expect(info).toMatchObject({ size: 7, contentType: 'application/json' });
    const wrongType = await fetch(url, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(wrongType.status).toBe(403);
    expect(await readdir(join(root, 'up'))).toEqual(['load.json']);
    expect(await readdir(join(root, '.almanac', 'meta', 'up%2F'))).toEqual(['.load.json.meta.json']);
  });

  it('refuses tampered signatures, swapped keys, wrong methods and expired URLs with 403', async () => {
    await provider.write({ key: 'secret.txt', body: new TextEncoder().encode('s') });
    await provider.write({ key: 'other.txt', body: new TextEncoder().encode('o') });
    const url = new URL(await sign('secret.txt', 'read', 30));
    const tampered = new URL(url);
    const sig = url.searchParams.get('sig') as string;
    tampered.searchParams.set('sig', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
    const swapped = new URL(url);
    swapped.pathname = '/files/other.txt';
    const extended = new URL(url);
    extended.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    for (const bad of [tampered, swapped, extended]) expect((await fetch(bad)).status).toBe(403);
    expect((await fetch(url, { method: 'PUT', body: 'overwrite' })).status).toBe(403);
    expect((await fetch(url)).status).toBe(200);
    await clock.advance(31_000);
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/);
    expect(new TextDecoder().decode(new Uint8Array(await new Response((await provider.read({ key: 'secret.txt' })).body).arrayBuffer()))).toBe('s');
  });

  it('answers 404 for a missing object and 405 for other methods', async () => {
    expect((await fetch(await sign('nope', 'read'))).status).toBe(404);
    expect((await fetch(await sign('nope', 'read'), { method: 'DELETE' })).status).toBe(405);
  });

  it('serves a root directly and needs baseUrl plus secret to sign', async () => {
    const handler = createSignedUrlHandler({ root, signingSecret: secret });
    expect(typeof handler).toBe('function');
    const unsigned = createFsStorageProvider({ root });
    expect(unsigned.capabilities.signedRead).toBe(false);
    expect(CapabilityError.isInstance(await unsigned.signedUrl?.({ key: 'k', action: 'read', expiresIn: 1 }).catch((e: unknown) => e))).toBe(true);
    expect(() => createSignedUrlHandler({ signingSecret: secret })).toThrow(ValidationError);
  });
});
