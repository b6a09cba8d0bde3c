// StrykerJS settings shared by every mutation module. What is mutated and which tests must kill
// it is decided per module in scripts/mutation.mjs (`npm run mutation`); running
// `npx stryker run` directly uses the `mutate`/`testFiles` below (core webhooks) as an example.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  // Only the module's own test files run (testFiles), not whatever imports the file; workspace
  // packages resolve to their source, not dist (see vitest.mutation.config.ts).
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  // The TypeScript checker is opt-in (`node scripts/mutation.mjs --check`); see scripts/mutation.mjs.
  checkers: [],
  tsconfigFile: 'packages/core/tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: ['packages/core/src/webhooks/*.ts', '!packages/core/src/webhooks/index.ts'],
  testFiles: ['packages/core/test/webhooks-*.test.ts'],
  coverageAnalysis: 'perTest',
  // A score below 80 % fails the run; 90 % and up is "high" in the report.
  thresholds: { high: 90, low: 80, break: 80 },
  reporters: ['json', 'progress-append-only'],
  jsonReporter: { fileName: '.tmp/mutation/mutation.json' },
  // The sandbox copy lives under .tmp (git-ignored); what tests never read is not copied.
  tempDirName: '.tmp/stryker',
  cleanTempDir: 'always',
  ignorePatterns: ['docs', 'bench', 'examples', '.tmp', '.turbo', '.test-results', 'temp', 'coverage', '**/dist', '**/etc', '.changeset', '*.tgz'],
  // The machine running this is shared: give a slow test room before calling a mutant a timeout.
  timeoutMS: 10_000,
  timeoutFactor: 2,
  concurrency: 2,
  // Mutants of code that runs only while a module loads (module-level constants) need a fresh
  // test environment and every test each; on two cores they took two thirds of the run time, so
  // they are left out (the score is over the mutants of code that runs per call).
  ignoreStatic: true,
  logLevel: 'warn',
  fileLogLevel: 'off',
};
