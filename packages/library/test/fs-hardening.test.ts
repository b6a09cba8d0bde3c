// Issue #13 items 8 (forgeable signed URLs), 15 (download headers) and 16 (symbolic links).
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '@almanac/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FsProvider, createFsStorageProvider, createSignedUrlHandler } from '../src/adapters/fs';
import { buildSignedUrl } from '../src/adapters/fs/signing';
import { signedUrlOf } from './support/signed';

const secret = 'local-dev-secret';
let clock = createManualClock(Date.UTC(2026, 0, 1));
const NOW_S = Date.UTC(2026, 0, 1) / 1000;
let dir = '';
let root = '';
let server: Server;
let base = '';
let provider: FsProvider;

async function start(extra: Partial<Parameters<typeof createFsStorageProvider>[0]> = {}): Promise<void> {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files`;
  provider = createFsStorageProvider({ root, signingSecret: secret, baseUrl: base, clock, ...extra });
  server.on('request', createSignedUrlHandler({ provider, signingSecret: secret, clock }));
}

beforeEach(async () => {
  clock = createManualClock(Date.UTC(2026, 0, 1));
  dir = await mkdtemp(join(tmpdir(), 'almanac-fs-hardening-'));
  root = join(dir, 'root');
  await mkdir(root);
});
afterEach(async () => {
  if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const body = (text: string) => new TextEncoder().encode(text);

describe('fs signed URLs cannot be re-cut (item 8)', () => {
  it('refuses control characters in keys at the provider, not only at the facade', async () => {
    await start();
    for (const key of ['doc.txt\n99999999999', 'a\rb', 'tab\there', 'del\u007f', 'c1\u0085']) {
      await expect(provider.signedUrl!({ key, action: 'read', expiresIn: 60 })).rejects.toMatchObject({ code: 'validation' });
      await expect(provider.write({ key, body: body('x') })).rejects.toMatchObject({ code: 'validation' });
    }
  });

  it('does not accept a URL signed for "doc.txt\\n99999999999" as one for "doc.txt" with a new expiry', async () => {
    await start();
    await provider.write({ key: 'doc.txt', body: body('secret report') });
    // Signed with the key the old provider accepted (built directly: the provider now refuses it).
    const expires = NOW_S + 60;
    const signed = new URL(buildSignedUrl(base, secret, { action: 'read', key: 'doc.txt\n99999999999', expires }));
    // The v1 forgery: the key's tail becomes the expiry, the real expiry moves into `ct`.
    const forged = new URL(`${base}/doc.txt`);
    forged.searchParams.set('expires', '99999999999');
    forged.searchParams.set('action', 'read');
    forged.searchParams.set('ct', `${expires}\n`);
    forged.searchParams.set('sig', signed.searchParams.get('sig') ?? '');
    // Years later: with the newline-joined v1 payload both URLs signed the same bytes, so this was a 200.
    clock.set(Date.UTC(2030, 0, 1));
    const response = await fetch(forged);
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('secret report');
  });
});

describe('fs download headers (item 15)', () => {
  it.each(['text/html', 'text/html; charset=utf-8', 'image/svg+xml', 'application/xhtml+xml', 'text/javascript', 'application/xml'])(
    'serves %s as an attachment, with nosniff',
    async (contentType) => {
      await start();
      await provider.write({ key: 'up/page.html', body: body('<script>alert(1)</script>'), contentType });
      const response = await fetch(await signedUrlOf(provider, { key: 'up/page.html', action: 'read', expiresIn: 60 }));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="page.html"; filename*=UTF-8''page.html`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    },
  );

  it('serves passive types inline, with nosniff, and errors with nosniff too', async () => {
    await start();
    await provider.write({ key: 'photo.png', body: body('png'), contentType: 'image/png' });
    const response = await fetch(await signedUrlOf(provider, { key: 'photo.png', action: 'read', expiresIn: 60 }));
    expect(response.headers.get('content-disposition')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const denied = await fetch(`${base}/photo.png?expires=1&action=read&sig=x`);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves active content inline only when the signer opted in, and the opt-in is signed', async () => {
    await start({ inlineActiveContent: true });
    await provider.write({ key: 'page.html', body: body('<p>hi</p>'), contentType: 'text/html' });
    const url = new URL(await signedUrlOf(provider, { key: 'page.html', action: 'read', expiresIn: 60 }));
    expect(url.searchParams.get('inline')).toBe('1');
    const inline = await fetch(url);
    expect(inline.headers.get('content-disposition')).toBeNull();
    // Adding inline=1 to a URL signed without it breaks the signature.
    const plainProvider = createFsStorageProvider({ root, signingSecret: secret, baseUrl: base, clock });
    const plain = new URL(await signedUrlOf(plainProvider, { key: 'page.html', action: 'read', expiresIn: 60 }));
    plain.searchParams.set('inline', '1');
    expect((await fetch(plain)).status).toBe(403);
  });
});

describe('fs symbolic links (item 16)', () => {
  it('refuses to read, write, stat, copy or delete through a link that leaves the root', async () => {
    const outside = join(dir, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'secret.txt'), 'outside-secret');
    await start();
    // A directory link and a file link placed inside the root, pointing out of it.
    await symlink(outside, join(root, 'escape'));
    await symlink(join(outside, 'secret.txt'), join(root, 'leak.txt'));

    const refused = { code: 'permission', message: expect.stringContaining('outside the root') };
    await expect(provider.read({ key: 'escape/secret.txt' })).rejects.toMatchObject(refused);
    await expect(provider.read({ key: 'leak.txt' })).rejects.toMatchObject(refused);
    await expect(provider.stat({ key: 'leak.txt' })).rejects.toMatchObject(refused);
    await expect(provider.write({ key: 'escape/planted.txt', body: body('x') })).rejects.toMatchObject(refused);
    await expect(provider.write({ key: 'escape/new-dir/planted.txt', body: body('x') })).rejects.toMatchObject(refused);
    await expect(provider.copy!({ from: 'leak.txt', to: 'copy.txt' })).rejects.toMatchObject(refused);
    await expect(provider.delete({ key: 'escape/secret.txt' })).rejects.toMatchObject(refused);
    await expect(provider.setTags!({ key: 'leak.txt', tags: { a: 'b' } })).rejects.toMatchObject(refused);

    expect((await readdir(outside)).sort()).toEqual(['secret.txt']);
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside-secret');
    // And through the signed URL handler.
    const response = await fetch(buildSignedUrl(base, secret, { action: 'read', key: 'leak.txt', expires: NOW_S + 60 }));
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('outside-secret');
  });

  it('still follows links that stay inside the root, and a root that is itself a link', async () => {
    await mkdir(join(root, 'real'));
    await start();
    await provider.write({ key: 'real/a.txt', body: body('inside') });
    await symlink(join(root, 'real'), join(root, 'alias'));
    const read = await provider.read({ key: 'alias/a.txt' });
    expect(await new Response(read.body).text()).toBe('inside');
    const linkedRoot = join(dir, 'linked-root');
    await symlink(root, linkedRoot);
    const viaLink = createFsStorageProvider({ root: linkedRoot });
    expect(await new Response((await viaLink.read({ key: 'real/a.txt' })).body).text()).toBe('inside');
  });
});
