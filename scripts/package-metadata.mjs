// Package metadata every published package needs, kept in one place so the nine cannot drift:
// `repository` (with `directory`), `homepage`, `bugs`, `license`, a LICENSE file and a
// CHANGELOG.md in the tarball, and `typesVersions` so subpath types resolve for consumers still
// on `moduleResolution: node10` (which ignores `exports`).
//   node scripts/package-metadata.mjs          check: lists what is missing, exits 1 if anything is
//   node scripts/package-metadata.mjs --write  fixes every package (and scripts/templates/domain)
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listPackages, repoRoot } from './workspace.mjs';

/** Where the repository lives; the single place to change it. */
export const REPOSITORY = 'https://github.com/almanac-sdk/almanac';

/** What `package.json` of the package in `packages/<folder>` should say, given its exports. */
export function expectedMetadata(folder, json) {
  const typesVersions = {};
  for (const [subpath, target] of Object.entries(json.exports ?? {})) {
    if (subpath === '.' || subpath === './package.json' || typeof target !== 'object') continue;
    // ESM-only entries (no `require`) cannot be loaded by a node10 (CommonJS) consumer anyway.
    const types = target.require?.types;
    if (types) typesVersions[subpath.slice(2)] = [types];
  }
  // The four every tarball needs, then whatever else the package ships (e.g. third-party notices).
  const required = ['dist', 'README.md', 'CHANGELOG.md', 'LICENSE'];
  const files = [...required, ...(Array.isArray(json.files) ? json.files.filter((file) => !required.includes(file)) : [])];
  return {
    license: 'MIT',
    repository: { type: 'git', url: `git+${REPOSITORY}.git`, directory: `packages/${folder}` },
    homepage: `${REPOSITORY}/tree/main/packages/${folder}#readme`,
    bugs: { url: `${REPOSITORY}/issues` },
    files,
    ...(Object.keys(typesVersions).length > 0 ? { typesVersions: { '*': typesVersions } } : {}),
  };
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Problems of one package, as sentences. */
export function problemsOf(pkg) {
  const problems = [];
  const expected = expectedMetadata(pkg.folder, pkg.json);
  for (const [key, value] of Object.entries(expected)) {
    if (!same(pkg.json[key], value)) problems.push(`${pkg.name}: package.json "${key}" should be ${JSON.stringify(value)}`);
  }
  if (!expected.typesVersions && pkg.json.typesVersions) problems.push(`${pkg.name}: package.json "typesVersions" is stale`);
  const license = join(pkg.dir, 'LICENSE');
  if (!existsSync(license) || readFileSync(license, 'utf8') !== readFileSync(join(repoRoot, 'LICENSE'), 'utf8')) {
    problems.push(`${pkg.name}: LICENSE missing or different from the repository's`);
  }
  if (!existsSync(join(pkg.dir, 'CHANGELOG.md'))) problems.push(`${pkg.name}: CHANGELOG.md missing`);
  return problems;
}

// Keys in the order npm and most packages use, so rewritten files stay readable.
const ORDER = ['name', 'version', 'description', 'keywords', 'license', 'repository', 'homepage', 'bugs', 'type', 'sideEffects', 'engines'];

function write(pkg) {
  const expected = expectedMetadata(pkg.folder, pkg.json);
  const merged = { ...pkg.json, ...expected };
  if (!expected.typesVersions) delete merged.typesVersions;
  const ordered = {};
  for (const key of ORDER) if (key in merged) ordered[key] = merged[key];
  for (const [key, value] of Object.entries(merged)) if (!(key in ordered)) ordered[key] = value;
  writeFileSync(join(pkg.dir, 'package.json'), `${JSON.stringify(ordered, null, 2)}\n`);
  copyFileSync(join(repoRoot, 'LICENSE'), join(pkg.dir, 'LICENSE'));
  const changelog = join(pkg.dir, 'CHANGELOG.md');
  // Changesets prepends release notes under this heading.
  if (!existsSync(changelog)) writeFileSync(changelog, `# ${pkg.name}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const packages = listPackages();
  if (process.argv.includes('--write')) {
    for (const pkg of packages) write(pkg);
    process.stdout.write(`package metadata written for ${packages.length} packages\n`);
  } else {
    const problems = packages.flatMap(problemsOf);
    for (const problem of problems) process.stdout.write(`${problem}\n`);
    process.stdout.write(`package-metadata: ${problems.length === 0 ? 'ok' : `${problems.length} problems`}\n`);
    process.exitCode = problems.length === 0 ? 0 : 1;
  }
}
