import { describe, expect, it } from 'vitest';
import { ConfigError, ValidationError } from '../src/errors';
import { createPeerLoader, isModuleNotFound, loadOptionalPeer } from '../src/kit/peer';

/** What Node throws for `import('pkg')` when pkg is not installed. */
function notFound(pkg: string, code = 'ERR_MODULE_NOT_FOUND'): Error {
  return Object.assign(new Error(`Cannot find package '${pkg}' imported from /app/node_modules/@almanac/library/dist/s3.js`), { code });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('loadOptionalPeer', () => {
  it('turns "this package is missing" into ConfigError with the exact install command', async () => {
    const cause = notFound('@aws-sdk/client-s3');
    const error = await failure(
      loadOptionalPeer({
        pkg: '@aws-sdk/client-s3',
        provider: 's3',
        install: '@aws-sdk/client-s3 @aws-sdk/lib-storage',
        importer: () => Promise.reject(cause),
      }),
    );
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).message).toBe(
      'The s3 adapter needs the optional peer dependency "@aws-sdk/client-s3": run `npm install @aws-sdk/client-s3 @aws-sdk/lib-storage`',
    );
    expect((error as ConfigError).provider).toBe('s3');
    expect((error as ConfigError).cause).toBe(cause);
  });

  it('recognises the CommonJS MODULE_NOT_FOUND form and the purpose wording', async () => {
    const cause = Object.assign(new Error("Cannot find module '@azure/msal-node'\nRequire stack:\n- /app/x.cjs"), { code: 'MODULE_NOT_FOUND' });
    const error = await failure(
      loadOptionalPeer({ pkg: '@azure/msal-node', provider: 'microsoft', purpose: 'use app-only credentials', importer: () => Promise.reject(cause) }),
    );
    expect((error as ConfigError).message).toBe(
      'The microsoft adapter needs the optional peer dependency "@azure/msal-node" to use app-only credentials: run `npm install @azure/msal-node`',
    );
  });

  it('really detects a missing package through a real dynamic import', async () => {
    const error = await failure(
      loadOptionalPeer({ pkg: 'almanac-no-such-package', provider: 'demo', importer: () => import('almanac-no-such-package' as string) }),
    );
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).message).toContain('npm install almanac-no-such-package');
  });

  it('rethrows any other load error wrapped in ConfigError with the cause, without install advice', async () => {
    const brokenDependency = notFound('some-transitive-dep');
    const syntax = new SyntaxError('Unexpected token');
    for (const cause of [brokenDependency, syntax]) {
      const error = await failure(loadOptionalPeer({ pkg: '@googleapis/calendar', provider: 'google', importer: () => Promise.reject(cause) }));
      expect(ConfigError.isInstance(error)).toBe(true);
      expect((error as ConfigError).cause).toBe(cause);
      expect((error as ConfigError).message).toContain('it is installed, but importing it failed');
      expect((error as ConfigError).message).toContain(cause.message);
      expect((error as ConfigError).message).not.toContain('npm install');
    }
  });

  it('reads the export from the namespace or, for CJS interop, from default', async () => {
    class Storage {}
    const direct = { Storage };
    expect(await loadOptionalPeer({ pkg: 'x', provider: 'gcs', exportName: 'Storage', importer: async () => direct })).toBe(direct);
    const interop = { default: { Storage } };
    expect(await loadOptionalPeer({ pkg: 'x', provider: 'gcs', exportName: 'Storage', importer: async () => interop })).toBe(interop.default);
    const nested = { default: { Client: { initWithMiddleware: () => ({}) } } };
    expect(
      await loadOptionalPeer({ pkg: 'x', provider: 'microsoft', exportName: 'Client.initWithMiddleware', importer: async () => nested }),
    ).toBe(nested.default);
  });

  it('names the version to install when the export is missing', async () => {
    const error = await failure(
      loadOptionalPeer({ pkg: '@google-cloud/storage', provider: 'gcs', exportName: 'Storage', minVersion: '7', importer: async () => ({ default: {} }) }),
    );
    expect((error as ConfigError).message).toBe('"@google-cloud/storage" did not export Storage; install a version >= 7');
    const unnamed = await failure(loadOptionalPeer({ pkg: 'p', provider: 'x', exportName: 'Y', importer: async () => ({}) }));
    expect((unnamed as ConfigError).message).toBe('"p" did not export Y; install a supported version');
  });

  it('validates its options naming the field', async () => {
    const error = await failure(loadOptionalPeer({ pkg: '', provider: 's3', importer: 'nope' as never }));
    expect(ValidationError.isInstance(error)).toBe(true);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['options.pkg', 'options.importer']);
  });
});

describe('createPeerLoader', () => {
  it('imports once and shares the result after a success', async () => {
    let imports = 0;
    const module = { Thing: 1 };
    const load = createPeerLoader<typeof module>({
      pkg: 'thing',
      provider: 'demo',
      importer: async () => {
        imports++;
        return module;
      },
    });
    expect(imports).toBe(0); // lazy
    const [a, b] = await Promise.all([load(), load()]);
    expect(await load()).toBe(module);
    expect(a).toBe(module);
    expect(b).toBe(module);
    expect(imports).toBe(1);
  });

  it('does not cache a failure, so installing and retrying works', async () => {
    let installed = false;
    let imports = 0;
    const load = createPeerLoader<{ ok: boolean }>({
      pkg: 'later',
      provider: 'demo',
      importer: async () => {
        imports++;
        if (!installed) throw notFound('later');
        return { ok: true };
      },
    });
    expect(ConfigError.isInstance(await failure(load()))).toBe(true);
    installed = true;
    expect(await load()).toEqual({ ok: true });
    expect(imports).toBe(2);
  });

  it('keeps one cache per loader (never module-wide)', async () => {
    let imports = 0;
    const options = {
      pkg: 'thing',
      provider: 'demo',
      importer: async () => {
        imports++;
        return {};
      },
    };
    await createPeerLoader(options)();
    await createPeerLoader(options)();
    expect(imports).toBe(2);
  });
});

describe('isModuleNotFound', () => {
  it('is true only when the named package itself (or a subpath of it) is missing', () => {
    expect(isModuleNotFound(notFound('@aws-sdk/client-s3'), '@aws-sdk/client-s3')).toBe(true);
    expect(isModuleNotFound(notFound('@aws-sdk/client-s3/dist-cjs'), '@aws-sdk/client-s3')).toBe(true);
    expect(isModuleNotFound(notFound('@aws-sdk/client-s3-extra'), '@aws-sdk/client-s3')).toBe(false);
    expect(isModuleNotFound(notFound('tslib'), '@aws-sdk/client-s3')).toBe(false);
    expect(isModuleNotFound(Object.assign(new Error("Cannot find package 'x'"), { code: 'EACCES' }), 'x')).toBe(false);
    expect(isModuleNotFound(Object.assign(new Error('Failed to load url "x" (resolved id: x)'), { code: 'ERR_MODULE_NOT_FOUND' }), 'x')).toBe(true);
    expect(isModuleNotFound('x', 'x')).toBe(false);
  });
});
