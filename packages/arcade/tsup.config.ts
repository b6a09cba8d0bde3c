import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// One entry per subpath export; the build script cleans dist/ first.
export default defineConfig({
  ...packageBuild({
    index: 'src/index.ts',
    twitch: 'src/adapters/twitch/index.ts',
    discord: 'src/adapters/discord/index.ts',
    'vader-lexicon': 'src/sentiment/vader-lexicon/index.ts',
  }),
  clean: false,
});
