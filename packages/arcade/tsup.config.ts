import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// One entry per subpath export; the two builds run in parallel, so neither may clean dist/
// (the build script does).
export default defineConfig([
  {
    ...packageBuild({
      index: 'src/index.ts',
      twitch: 'src/adapters/twitch/index.ts',
      discord: 'src/adapters/discord/index.ts',
      'vader-lexicon': 'src/sentiment/vader-lexicon/index.ts',
    }),
    clean: false,
  },
  // The conformance suites import vitest, which is ESM-only: so is this entry.
  { ...packageBuild({ testing: 'src/testing/index.ts' }), format: ['esm'], clean: false },
]);
