import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// One entry per folder (the subpath exports), plus the root that re-exports them.
const entries = {
  index: 'src/index.ts',
  errors: 'src/errors.ts',
  validation: 'src/validation/index.ts',
  logger: 'src/logger/index.ts',
  cache: 'src/cache/index.ts',
  pagination: 'src/pagination/index.ts',
  secrets: 'src/secrets/index.ts',
  webhooks: 'src/webhooks/index.ts',
  retry: 'src/retry/index.ts',
  http: 'src/http/index.ts',
  kit: 'src/kit/index.ts',
  ratelimit: 'src/ratelimit/index.ts',
  locks: 'src/locks/index.ts',
  events: 'src/events/index.ts',
  redis: 'src/redis/index.ts',
  rabbitmq: 'src/rabbitmq/index.ts',
  schema: 'src/schema/index.ts',
};

// The test harness imports vitest, which is ESM-only: so is its entry. It is built with the
// other ESM entries so they share chunks: one copy of each class in dist/*.js, not two.
// The two builds run in parallel, so neither may clean dist/ (the build script does).
// zod, uuid and lru-cache are bundled into core's chunks: as packages they are ~120 small ES
// modules whose resolution and loading dominated every package root's cold import; bundled,
// they are a few files. They stay dependencies for their type declarations. The other
// packages take zod from `@almanac/core/schema`, so a process loads one copy.
const bundled = ['zod', 'uuid', 'lru-cache'];

export default defineConfig([
  { ...packageBuild({ ...entries, testing: 'src/testing/index.ts' }), format: ['esm'], clean: false, noExternal: bundled },
  { ...packageBuild(entries), format: ['cjs'], clean: false, noExternal: bundled },
]);
