import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// One entry per subpath export. The two builds run in parallel, so neither may clean dist/
// (the package's build script does).
export default defineConfig([
  {
    ...packageBuild({
      index: 'src/index.ts',
      memory: 'src/adapters/memory/index.ts',
      focus: 'src/adapters/focus/index.ts',
      aws: 'src/adapters/aws/index.ts',
      gcp: 'src/adapters/gcp/index.ts',
    }),
    clean: false,
  },
  // The conformance suite imports vitest, which is ESM-only: so is this entry.
  { ...packageBuild({ testing: 'src/testing/index.ts' }), format: ['esm'], clean: false },
]);
