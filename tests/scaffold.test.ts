// The scaffold (`node scripts/new-package.mjs <domain>`) and the worked example of
// docs/architecture.md, proved end to end in a temporary copy of the repository: the generated
// `demo-domain` package builds, type-checks, lints, passes its own tests and TypeDoc's
// documentation check, passes api-extractor, publint, attw and the consumer smoke test, and its
// README example runs. Nothing is written to this repository: the copy gets its own
// node_modules/@almanac links to its own packages (npm's workspace links are relative, so a
// symlinked node_modules would lead back to the real packages/), the other node_modules
// entries are links to the real ones, and the dist of each @almanac package the new one
// depends on is copied in. Slow by nature (a build, several checkers, an npm install), so it
// runs its steps as child processes without blocking vitest, and the consumer smoke test
// (mostly npm install) overlaps the other checks.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTsBlocks } from './support/readme-code';

const repo = join(import.meta.dirname, '..');
const DOMAIN = 'demo-domain';
const STEP_TIMEOUT_MS = 300_000;
const TEST_TIMEOUT_MS = 600_000;

interface Outcome {
  readonly ok: boolean;
  readonly output: string;
}

// The child processes must not think they run inside this vitest worker.
const childEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries({ ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', TURBO_TELEMETRY_DISABLED: '1' }).filter(([key]) => !key.startsWith('VITEST')),
);

function run(command: string, args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: childEnv, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: STEP_TIMEOUT_MS }, (error, stdout, stderr) => {
      resolve({ ok: error === null, output: `${stdout}${stderr}${error && !stdout && !stderr ? String(error) : ''}` });
    });
  });
}

/** Asserts a step succeeded, showing its output (the last 60 lines) when it did not. */
function expectOk(outcome: Outcome, step: string): void {
  expect(outcome.ok, `${step} failed:\n${outcome.output.split('\n').slice(-60).join('\n')}`).toBe(true);
}

const node = (cwd: string, ...args: string[]) => run(process.execPath, args, cwd);

// Paths (relative to the repository) not copied: installs, builds, caches, reports of earlier runs.
const SKIP_AT_ROOT = new Set(['node_modules', '.git', '.turbo', '.test-results', '.ci', '.tmp', 'coverage']);
const SKIP_IN_PACKAGE = new Set(['node_modules', 'dist', 'temp', '.turbo']);
// node_modules entries the tools in the copy write to: each copy gets its own.
const UNLINKED_MODULES = new Set(['@almanac', '.vite', '.cache', '.package-lock.json']);

function copyRepository(target: string): void {
  cpSync(repo, target, {
    recursive: true,
    filter: (source) => {
      const parts = relative(repo, source).split(sep);
      if (parts[0] === '') return true;
      if (parts.length === 1 && SKIP_AT_ROOT.has(parts[0] as string)) return false;
      if (parts[0] === 'docs' && parts[1] === 'api') return false;
      if (parts[0] === 'packages' && parts[1] === DOMAIN) return false;
      if (parts[0] === 'packages' && parts.length === 3 && SKIP_IN_PACKAGE.has(parts[2] as string)) return false;
      return !source.endsWith('.tgz');
    },
  });
  const modules = join(target, 'node_modules');
  mkdirSync(join(modules, '@almanac'), { recursive: true });
  for (const entry of readdirSync(join(repo, 'node_modules'))) {
    if (!UNLINKED_MODULES.has(entry)) symlinkSync(join(repo, 'node_modules', entry), join(modules, entry));
  }
  linkWorkspaces(target);
}

/** What `npm install` does for workspaces: node_modules/@almanac/<folder> → ../../packages/<folder>, in the copy. */
function linkWorkspaces(target: string): void {
  for (const folder of readdirSync(join(target, 'packages'))) {
    const link = join(target, 'node_modules', '@almanac', folder);
    if (existsSync(join(target, 'packages', folder, 'package.json')) && !existsSync(link)) symlinkSync(join('..', '..', 'packages', folder), link);
  }
}

/** Copies the built dist of `folder` into the copy, checking every file its exports map names is there. */
function copyDist(target: string, folder: string): void {
  const source = join(repo, 'packages', folder);
  const json = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const files = JSON.stringify(json.exports).match(/\.\/dist\/[^"]+/g) ?? [];
  const missing = files.filter((file) => !existsSync(join(source, file)));
  if (missing.length > 0) throw new Error(`packages/${folder} is not built (missing ${missing.join(', ')}): run the build first`);
  cpSync(join(source, 'dist'), join(target, 'packages', folder, 'dist'), { recursive: true });
}

/** The ```ts blocks of a Markdown file that follow an `<!-- file: path -->` comment. */
// The multi-file example's blocks (`<!-- file: path -->` before the fence), as the README test reads them.
function fileBlocks(markdown: string): { path: string; code: string }[] {
  return extractTsBlocks(markdown).flatMap((block) => (block.path === undefined ? [] : [{ path: block.path, code: `${block.code}\n` }]));
}

const realState = () => ({
  package: existsSync(join(repo, 'packages', DOMAIN)),
  changeset: existsSync(join(repo, '.changeset', `${DOMAIN}-package.md`)),
});

describe(`node scripts/new-package.mjs ${DOMAIN}, in a temporary copy of the repository`, () => {
  const before = realState();
  let copy = '';
  let pkg = '';
  let scaffold: Outcome | undefined;
  let consumerSmoke: Promise<Outcome> | undefined;
  let keptConsumer: string | undefined;

  beforeAll(async () => {
    copy = mkdtempSync(join(tmpdir(), 'almanac-scaffold-'));
    pkg = join(copy, 'packages', DOMAIN);
    copyRepository(copy);
    scaffold = await node(copy, 'scripts/new-package.mjs', DOMAIN);
    if (!scaffold.ok) return;
    linkWorkspaces(copy);
    const json = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(json.dependencies ?? {})) {
      if (name.startsWith('@almanac/')) copyDist(copy, name.slice('@almanac/'.length));
    }
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    await consumerSmoke?.catch(() => undefined);
    if (keptConsumer !== undefined) rmSync(keptConsumer, { recursive: true, force: true });
    if (copy !== '') rmSync(copy, { recursive: true, force: true });
  }, TEST_TIMEOUT_MS);

  it('works in a copy whose @almanac packages resolve to the copy', () => {
    expect(realpathSync(join(copy, 'node_modules', '@almanac', 'core'))).toBe(realpathSync(join(copy, 'packages', 'core')));
    expect(realpathSync(join(copy, 'node_modules', '@almanac', DOMAIN))).toBe(realpathSync(pkg));
  });

  it('generates the package, its conformance test and a changeset, with identifiers in PascalCase', () => {
    expectOk(scaffold as Outcome, 'new-package.mjs');
    const json = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    const library = JSON.parse(readFileSync(join(copy, 'packages', 'library', 'package.json'), 'utf8'));
    expect(json.name).toBe(`@almanac/${DOMAIN}`);
    expect(Object.keys(json.exports)).toEqual(['.', './memory', './testing', './package.json']);
    expect(json.exports['./testing'].require).toBeUndefined();
    expect(json.sideEffects).toBe(false);
    expect(json.engines.node).toBe('>=20');
    expect(json.files).toContain('dist');
    expect(json.dependencies).toEqual({ '@almanac/core': library.dependencies['@almanac/core'] });
    const read = (file: string) => readFileSync(join(pkg, file), 'utf8');
    expect(read('src/spec.ts')).toMatch(/export interface DemoDomainProvider extends ProviderContract/);
    expect(read('src/spec.ts')).toMatch(/export const DEMO_DOMAIN_CAPABILITY_METHODS = defineCapabilityMethods<DemoDomainProvider>\(\)/);
    expect(read('src/facade/create-demo-domain.ts')).toMatch(/export function createDemoDomain\(provider: DemoDomainProvider/);
    expect(read('src/facade/create-demo-domain.ts')).toContain("domain: 'demo-domain'");
    expect(read('src/adapters/memory/index.ts')).toMatch(/export function createMemoryDemoDomain\(/);
    expect(read('src/adapters/memory/provider.ts')).toMatch(/export function createMemoryDemoDomainProvider\(/);
    expect(read('src/testing/suite.ts')).toMatch(/export function describeDemoDomainConformance\(/);
    expect(read('test/memory-conformance.test.ts')).toContain('describeDemoDomainConformance(');
    expect(read('README.md')).toMatch(/\| `search` \| yes \|/);
    for (const file of ['tsup.config.ts', 'tsconfig.json', 'typedoc.json', 'api-extractor.json']) expect(existsSync(join(pkg, file)), file).toBe(true);
    expect(readFileSync(join(copy, '.changeset', `${DOMAIN}-package.md`), 'utf8')).toMatch(/^---\n"@almanac\/demo-domain": minor\n---\n\n\S/);
  });

  it('refuses a bad name or an existing folder, writing nothing', async () => {
    const packagesBefore = readdirSync(join(copy, 'packages')).sort();
    const refusals: [string[], RegExp][] = [
      [[], /usage: node scripts\/new-package\.mjs <domain>/],
      [['Demo_Domain'], /invalid domain name "Demo_Domain"/],
      [['demo--domain'], /invalid domain name "demo--domain"/],
      [['2fa'], /invalid domain name "2fa"/],
      [['class'], /"class" is a reserved word/],
      [['core'], /packages\/core already exists/],
      [[DOMAIN], /packages\/demo-domain already exists/],
    ];
    for (const [args, message] of refusals) {
      const outcome = await node(copy, 'scripts/new-package.mjs', ...args);
      expect(outcome.ok, `new-package.mjs ${args.join(' ')} should fail`).toBe(false);
      expect(outcome.output).toMatch(message);
    }
    expect(readdirSync(join(copy, 'packages')).sort()).toEqual(packagesBefore);
  });

  it(
    'builds ESM, CJS and declarations for every entry of its exports map',
    async () => {
      expectOk(await run('npm', ['run', 'build', '--silent'], pkg), 'npm run build');
      const json = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
      const files = JSON.stringify(json.exports).match(/\.\/dist\/[^"]+/g) ?? [];
      expect(files.length).toBeGreaterThanOrEqual(10);
      for (const file of files) expect(existsSync(join(pkg, file)), file).toBe(true);
      // Mostly npm install: started now, so it overlaps the checks below; awaited in its own test.
      consumerSmoke = node(copy, 'scripts/consumer-smoke.mjs', DOMAIN, '--keep');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'type-checks its sources and tests, and the examples of docs/architecture.md; lints clean',
    async () => {
      const blocks = fileBlocks(readFileSync(join(copy, 'docs', 'architecture.md'), 'utf8'));
      expect(blocks.map((block) => block.path)).toEqual(['notes/spec.ts', 'notes/facade.ts', 'notes/adapters/acme.ts', 'notes/acme.test.ts']);
      for (const { path, code } of blocks) {
        const file = join(copy, 'tests', 'architecture-example', path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, code);
      }
      writeFileSync(
        join(copy, 'tsconfig.scaffold.json'),
        JSON.stringify({
          extends: './tsconfig.base.json',
          compilerOptions: { noEmit: true },
          include: [`packages/${DOMAIN}/src`, `packages/${DOMAIN}/test`, 'tests/architecture-example'],
        }),
      );
      expectOk(await node(copy, 'node_modules/typescript/bin/tsc', '-p', 'tsconfig.scaffold.json'), 'tsc');
      expectOk(await run(join(copy, 'node_modules', '.bin', 'biome'), ['lint', `packages/${DOMAIN}`], copy), 'biome lint');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'passes its own tests (the conformance suite on memory with and without search, the facade tests) and the architecture example test',
    async () => {
      const report = join(copy, '.vitest-report.json');
      const outcome = await run(
        join(copy, 'node_modules', '.bin', 'vitest'),
        ['run', `packages/${DOMAIN}/test`, 'tests/architecture-example', '--reporter=json', `--outputFile=${report}`],
        copy,
      );
      expectOk(outcome, 'vitest');
      const results = JSON.parse(readFileSync(report, 'utf8')) as {
        numFailedTests: number;
        testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string }[] }[];
      };
      expect(results.numFailedTests).toBe(0);
      const tests = results.testResults.flatMap((file) => file.assertionResults);
      const status = (suite: string, title: string) => tests.find((test) => test.ancestorTitles.includes(suite) && test.title === title)?.status;
      for (const suite of ['demo-domain conformance: memory', 'demo-domain conformance: memory (no search)']) {
        expect(status(suite, '[capability-table] every declared capability has its methods; every other one is refused before the provider is called')).toBe('passed');
        expect(status(suite, '[get] returns each fixture item with its id and name')).toBe('passed');
      }
      expect(status('demo-domain conformance: memory', '[search] finds items by a case-insensitive part of the name, in a stable order, up to the limit')).toBe('passed');
      expect(status('demo-domain conformance: memory (no search)', '[search] finds items by a case-insensitive part of the name, in a stable order, up to the limit')).toBe('skipped');
      expect(status('notes conformance: acme (fake client)', 'declares only what it does')).toBe('passed');
      expect(tests.filter((test) => test.status === 'passed').length).toBeGreaterThanOrEqual(20);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'documents every export (TypeDoc validation as errors) and passes api-extractor',
    async () => {
      const typedoc = await run(
        join(copy, 'node_modules', '.bin', 'typedoc'),
        ['--validation.notExported', '--validation.invalidLink', '--validation.notDocumented', '--treatValidationWarningsAsErrors', '--out', join(copy, '.typedoc-out')],
        pkg,
      );
      expectOk(typedoc, 'typedoc');
      expect(typedoc.output).not.toMatch(/warning/i);
      // --local writes the reports; it fails on api-extractor errors, as the check mode does.
      const report = await node(copy, 'scripts/api-report.mjs', '--local', DOMAIN);
      expectOk(report, 'api-report --local');
      expect(report.output).toMatch(/api-report summary: \d+ passed, 0 failed/);
      expect(readdirSync(join(pkg, 'etc')).sort()).toEqual([`${DOMAIN}-memory.api.md`, `${DOMAIN}-testing.api.md`, `${DOMAIN}.api.md`]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'passes publint and attw (scripts/check-packages.mjs)',
    async () => {
      const outcome = await node(copy, 'scripts/check-packages.mjs', DOMAIN);
      expectOk(outcome, 'check-packages');
      expect(outcome.output).toMatch(/packaging summary: \d+ passed, 0 failed/);
      for (const check of ['publint', 'attw', 'attw @almanac/demo-domain ESM-only entries ./testing']) expect(outcome.output).toContain(`ok   ${check}`);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'passes the consumer smoke test (scripts/consumer-smoke.mjs), and its README example runs there',
    async () => {
      expect(consumerSmoke, 'the consumer smoke test starts once the build passed').toBeDefined();
      const outcome = await (consumerSmoke as Promise<Outcome>);
      keptConsumer = /^kept (.+)$/m.exec(outcome.output)?.[1];
      expectOk(outcome, 'consumer-smoke');
      expect(outcome.output).toMatch(/consumer-smoke summary: \d+ passed, 0 failed/);
      expect(outcome.output).toContain(`ok   require @almanac/${DOMAIN}/memory (CJS`);
      expect(outcome.output).toContain(`ok   import @almanac/${DOMAIN}/testing (ESM)`);
      const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
      const example = /## Example\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
      expect(example, 'README has an Example section with a ts block').toBeDefined();
      const app = join(keptConsumer as string, 'app');
      writeFileSync(join(app, 'readme-example.mjs'), example as string);
      const ran = await node(app, 'readme-example.mjs');
      expectOk(ran, 'README example');
      expect(ran.output).toBe("First item\n[ 'item-1' ]\n");
    },
    TEST_TIMEOUT_MS,
  );

  it('left the real repository untouched', () => {
    expect(realState()).toEqual(before);
  });
});
