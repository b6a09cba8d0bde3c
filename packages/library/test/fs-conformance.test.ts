import { mkdtemp, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsStorageProvider, createSignedUrlHandler } from '../src/adapters/fs';
import { createStorage } from '../src/index';
import { runStorageConformance } from '../src/testing';

let dir = '';
let server: Server | undefined;

runStorageConformance({
  name: 'fs',
  async create() {
    dir = await mkdtemp(join(tmpdir(), 'almanac-fs-conformance-'));
    const signingSecret = 'conformance-secret';
    server = createServer();
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const provider = createFsStorageProvider({ root: dir, signingSecret, baseUrl: `http://127.0.0.1:${port}/files` });
    server.on('request', createSignedUrlHandler({ provider, signingSecret }));
    return createStorage(provider);
  },
  async destroy() {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir) await rm(dir, { recursive: true, force: true });
  },
});
