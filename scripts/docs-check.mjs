// The docs step of `npm test`: enforces "TSDoc on every export" and builds the TypeDoc site (docs/api).
//
// Why the checks are set where they are: with `entryPointStrategy: "packages"` TypeDoc converts each
// package with that package's own typedoc.json, and options of the root typedoc.json are NOT passed
// down. At the root, after merging, `notDocumented` only looks at reflections of the root project's
// own package name, which the merged project does not have: it flags nothing. So `validation` and
// `treatValidationWarningsAsErrors` live in typedoc.base.json, which every packages/*/typedoc.json
// extends; TypeDoc then validates each package (undocumented exports, referenced but unexported
// types) while converting it, and checks links once, across packages, at the root.
//
// Checks, one counted test each:
//   - per package: its typedoc.json extends typedoc.base.json without weakening validation, and its
//     entry points are exactly the sources of its package.json export subpaths (so every subpath,
//     not only the root, is validated and documented);
//   - per package: TypeDoc converted it with no warning or error (every export documented);
//   - the merged site: every {@link} resolves (TypeDoc checks links only after merging) and
//     docs/api was written (TypeDoc writes nothing when a check failed).
// All packages go through one TypeDoc process, one after the other: about 50 s of CPU, 1–2 min
// on the shared 2-core machine.
//
// `node scripts/docs-check.mjs --entries-only` runs only the fast entry-point checks.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { createReport } from './report.mjs';
import { findingsIn, splitTypedocLog, withoutInfo } from './typedoc-log.mjs';
import { listPackages, repoRoot } from './workspace.mjs';

const BASE = '../../typedoc.base.json';
// Options that would let an undocumented export through if a package set them itself.
const WEAKENING_OPTIONS = ['validation', 'requiredToBeDocumented', 'intentionallyNotDocumented', 'packagesRequiringDocumentation', 'treatValidationWarningsAsErrors'];

const report = createReport('docs');
const packages = listPackages();

for (const pkg of packages) {
  const label = `typedoc config of ${pkg.name}: extends typedoc.base.json, one entry point per export subpath`;
  try {
    const problems = await configProblems(pkg);
    report.record(label, problems.length === 0, problems.join('\n'));
  } catch (error) {
    report.record(label, false, error instanceof Error ? error.message : String(error));
  }
}

if (!process.argv.includes('--entries-only')) runTypedoc();
report.finish();

/** What is wrong with a package's typedoc.json, as readable lines (empty when nothing is). */
async function configProblems(pkg) {
  const file = join(pkg.dir, 'typedoc.json');
  if (!existsSync(file)) return ['no typedoc.json'];
  const config = JSON.parse(readFileSync(file, 'utf8'));
  const problems = [];
  if (![config.extends ?? []].flat().includes(BASE)) problems.push(`typedoc.json must have "extends": ["${BASE}"] (it holds the validation settings)`);
  for (const key of WEAKENING_OPTIONS) {
    if (key in config) problems.push(`typedoc.json sets "${key}": validation is set once, in typedoc.base.json`);
  }
  const expected = new Map(); // source file -> export subpath
  const built = await builtEntries(pkg);
  for (const entry of pkg.entries) {
    const name = entry.importTypes?.match(/^\.\/dist\/(.+)\.d\.ts$/)?.[1];
    const source = name === undefined ? undefined : built.get(name);
    if (source === undefined) problems.push(`export "${entry.subpath}" (${entry.importTypes}) matches no entry of tsup.config.ts`);
    else expected.set(posix.normalize(source), entry.subpath);
  }
  const listed = new Set((config.entryPoints ?? []).map((path) => posix.normalize(path)));
  for (const [source, subpath] of expected) {
    if (!listed.has(source)) problems.push(`export "${subpath}" is not validated: add "${source}" to entryPoints`);
  }
  for (const source of listed) {
    if (!expected.has(source)) problems.push(`entry point "${source}" is not an export subpath of package.json`);
  }
  return problems;
}

/** The package's build entries from its tsup.config.ts: output name (`index`, `s3`) -> source file. */
async function builtEntries(pkg) {
  const module = await tsImport(join(pkg.dir, 'tsup.config.ts'), import.meta.url);
  const entries = new Map();
  for (const options of [module.default].flat()) {
    for (const [name, source] of Object.entries(options.entry ?? {})) entries.set(name, source);
  }
  return entries;
}

/**
 * Runs TypeDoc once at the root and splits its log by the package being converted, so a finding
 * fails the check of the package it is in. Whatever is logged after the merge (links across
 * packages, writing the site) belongs to the site check, as does a failure no package claimed.
 */
function runTypedoc() {
  // One file for stdout and stderr keeps TypeDoc's lines in order ("Converting project at" on
  // stdout, then that package's warnings and errors on stderr).
  const dir = mkdtempSync(join(tmpdir(), 'almanac-typedoc-'));
  const logFile = join(dir, 'typedoc.log');
  const fd = openSync(logFile, 'w');
  let child;
  try {
    child = spawnSync(join(repoRoot, 'node_modules', '.bin', 'typedoc'), ['--lang', 'en'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const output = `${readFileSync(logFile, 'utf8')}${child.error ? `\n${child.error.message}` : ''}`;
  rmSync(dir, { recursive: true, force: true });

  const sections = splitTypedocLog(output);
  let claimed = false;
  for (const pkg of packages) {
    const lines = sections.get(pkg.folder);
    const label = `typedoc ${pkg.name}: every export documented, no unexported referenced type`;
    if (lines === undefined) {
      report.record(label, false, 'TypeDoc did not convert this package (see the site check)');
      continue;
    }
    const findings = findingsIn(lines);
    if (findings.length > 0) claimed = true;
    report.record(label, findings.length === 0, `${findings.length} finding(s):\n${withoutInfo(lines)}`);
  }
  const site = sections.get('');
  const ok = child.status === 0 && findingsIn(site).length === 0;
  const unclaimed = findingsIn(site).length > 0 || !claimed;
  // Nothing claimed by a package (a crash, an option error, a broken link): show the whole log.
  const detail = unclaimed ? `typedoc exited with ${child.status}:\n${withoutInfo([...sections.values()].flat())}` : 'not written: see the failing packages above';
  report.record('typedoc site docs/api: every {@link} resolves, site written', ok, detail);
}
