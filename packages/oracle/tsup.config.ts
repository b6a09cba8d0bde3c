import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base';

// One entry per folder (`@almanac/oracle/<folder>`), plus the root that re-exports them all.
const FOLDERS = [
  'anomaly',
  'churn',
  'classification',
  'forecast',
  'ratings',
  'risk',
  'scaling',
  'slots',
  'tiering',
  'time',
] as const;

export default defineConfig(
  packageBuild({
    index: 'src/index.ts',
    errors: 'src/errors.ts',
    ...Object.fromEntries(FOLDERS.map((folder) => [folder, `src/${folder}/index.ts`])),
  }),
);
