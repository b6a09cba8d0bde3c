// Factories called from plain JavaScript with no options, or a misspelt one, get a ConfigError
// naming the field instead of "Cannot destructure property 'root' of 'options'".
import { describe, expect, it } from 'vitest';
import { createAzureStorage } from '../src/adapters/azure/index';
import { createFsStorage } from '../src/adapters/fs/index';
import { createGcsStorage } from '../src/adapters/gcs/index';
import { createMemoryStorage } from '../src/adapters/memory/index';
import { createS3Storage } from '../src/adapters/s3/index';

type AnyFactory = (options?: unknown) => unknown;
const call = (factory: unknown, options?: unknown) => () => (factory as AnyFactory)(options);

describe('storage factories check their options', () => {
  it.each([
    ['createFsStorage', 'root', createFsStorage],
    ['createS3Storage', 'bucket', createS3Storage],
    ['createGcsStorage', 'bucket', createGcsStorage],
    ['createAzureStorage', 'container', createAzureStorage],
  ])('%s() without options is a ConfigError naming %s', (name, required, factory) => {
    expect(call(factory)).toThrow(expect.objectContaining({ code: 'config', message: `${name}: options: must be an options object with ${required}, got nothing` }));
  });

  it('suggests the option a typo meant, without echoing values', () => {
    let caught: unknown;
    try {
      call(createFsStorage, { roots: '/tmp/x', singingSecret: 'do-not-print-me' })();
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'config', provider: 'fs' });
    const message = (caught as Error).message;
    expect(message).toContain('options.roots: unknown option (did you mean "root"?)');
    expect(message).toContain('options.singingSecret: unknown option (did you mean "signingSecret"?)');
    expect(message).toContain('options.root: Required');
    expect(message).not.toContain('do-not-print-me');
  });

  it('accepts every option its type declares', () => {
    expect(createMemoryStorage({ name: 'm', timeoutMs: undefined }).provider.name).toBe('m');
    expect(call(createMemoryStorage, { nmae: 'm' })).toThrow('did you mean "name"?');
  });
});

describe('errors say what to do', () => {
  it('a signed URL from fs without signing configured names signingSecret and baseUrl', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const root = mkdtempSync(join(tmpdir(), 'almanac-hint-'));
    try {
      const storage = createFsStorage({ root });
      await expect(storage.signedUrl('report.csv', { action: 'read', expiresIn: 60 })).rejects.toThrow(
        'Provider "fs" does not support signedRead (operation signedUrl): configure signingSecret and baseUrl in createFsStorage, and mount createSignedUrlHandler at baseUrl',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
