// @almanac/library: the facade on the memory and fs adapters, and the fs adapter's paths.
import { createFsStorage } from '@almanac/library/fs';
import { createMemoryStorage } from '@almanac/library/memory';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { hostileOptions, hostileString, hostileValue } from '../harness/hostile';
import type { AdversarialTargets, FacadeOperation, FacadeTarget, TraversalTarget } from './types';
import { method } from './types';

type Storage = ReturnType<typeof createMemoryStorage>;

const key = fc.oneof(hostileString, fc.constant('docs/a.txt'));
const call = hostileOptions(['range', 'contentType', 'ifMatch', 'ifNoneMatch', 'metadata', 'checksum']);
const body = fc.oneof(hostileValue, fc.string(), fc.uint8Array({ maxLength: 64 }));

const operations: Record<string, FacadeOperation<Storage>> = {
  list: method('list', fc.tuple(hostileOptions(['prefix', 'delimiter', 'startAfter']))),
  stat: method('stat', fc.tuple(key, call)),
  exists: method('exists', fc.tuple(key, call)),
  readText: method('readText', fc.tuple(key, call)),
  write: method('write', fc.tuple(key, body, call)),
  delete: method('delete', fc.tuple(key, call)),
  deleteMany: method('deleteMany', fc.tuple(fc.oneof(hostileValue, fc.array(hostileString, { maxLength: 4 })), call)),
  copy: method('copy', fc.tuple(key, key, call)),
  move: method('move', fc.tuple(key, key, call)),
  signedUrl: method('signedUrl', fc.tuple(key, fc.oneof(hostileValue, fc.record({ action: fc.constantFrom('read', 'write', 'x'), expiresIn: hostileValue, contentType: hostileValue })))),
  signedRequest: method('signedRequest', fc.tuple(key, fc.oneof(hostileValue, fc.record({ action: fc.constantFrom('read', 'write', 'x'), expiresIn: hostileValue, contentType: hostileValue })))),
  getTags: method('getTags', fc.tuple(key, call)),
  setTags: method('setTags', fc.tuple(key, hostileValue, call)),
  supports: method('supports', fc.tuple(hostileValue)),
};

const memory: FacadeTarget<Storage> = {
  name: '@almanac/library createMemoryStorage',
  create: (ctx) => createMemoryStorage({ logger: ctx.capture.logger() } as never),
  operations,
  numRuns: 30,
};

// Each fs target gets its own temporary root; they are removed when the test process exits.
const fsRoots: string[] = [];
process.once('exit', () => {
  for (const root of fsRoots) rmSync(root, { recursive: true, force: true });
});
function fsRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'almanac-adversarial-fs-'));
  fsRoots.push(root);
  return root;
}

const fs: FacadeTarget<Storage> = {
  name: '@almanac/library createFsStorage',
  create: (ctx) =>
    createFsStorage({ root: fsRoot(), baseUrl: 'http://127.0.0.1:9/files', signingSecret: 'adversarial-signing-secret', logger: ctx.capture.logger() } as never),
  operations,
  numRuns: 20,
};

const fsPaths: TraversalTarget<Storage> = {
  name: '@almanac/library fs',
  create: ({ root }) => createFsStorage({ root }),
  operations: {
    write: (s, id) => s.write(id, 'planted'),
    readText: (s, id) => s.readText(id),
    delete: (s, id) => s.delete(id),
    'copy from': (s, id) => s.copy(id, 'inside/copy.txt'),
    'copy to': async (s, id) => {
      await s.write('inside/source.txt', 'x');
      return s.copy('inside/source.txt', id);
    },
    setTags: (s, id) => s.setTags(id, { a: 'b' }),
  },
};

export const libraryTargets: AdversarialTargets = {
  package: '@almanac/library',
  facades: [memory, fs],
  traversal: [fsPaths],
};
