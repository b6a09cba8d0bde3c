// The vitest config of mutation runs (scripts/mutation.mjs, stryker.config.mjs): the ordinary one,
// plus `@almanac/<package>[/<subpath>]` resolved to the workspace package's TypeScript source
// instead of its built dist. A library or bookings test imports `@almanac/core`; through dist it
// needs a finished build, and while another build rewrites dist every test file failed to import,
// which Stryker read as "no test ran" and counted each mutant as survived (library signing/keys
// scored 54 %). From source, a mutation run needs no build at all, and the errors the tests
// import are the very classes the mutated source throws.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Plugin, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

/** Resolves `@almanac/x` to packages/x/src/index.ts and `@almanac/x/y` to src/y/index.ts or src/y.ts. */
function workspaceSources(): Plugin {
  let root = process.cwd();
  return {
    name: 'almanac-workspace-sources',
    enforce: 'pre',
    configResolved(config) {
      root = config.root;
    },
    resolveId(id) {
      const match = /^@almanac\/([a-z0-9-]+)(?:\/([a-z0-9/-]+))?$/.exec(id);
      if (match === null) return null;
      const [, name = '', subpath] = match;
      const src = join(root, 'packages', name, 'src');
      const candidates = subpath === undefined ? [join(src, 'index.ts')] : [join(src, subpath, 'index.ts'), join(src, `${subpath}.ts`)];
      return candidates.find((file) => existsSync(file)) ?? null;
    },
  };
}

export default mergeConfig(base, defineConfig({ plugins: [workspaceSources()] }));
