// Shared helpers for the repo scripts: where the packages are and what they export.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..');

/** Every workspace package: { name, dir, json, entries: [{ subpath, importTypes, require, import }] }. */
export function listPackages() {
  const base = join(repoRoot, 'packages');
  return readdirSync(base)
    .filter((name) => existsSync(join(base, name, 'package.json')))
    .sort()
    .map((folder) => {
      const dir = join(base, folder);
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const entries = Object.entries(json.exports ?? {})
        .filter(([subpath, target]) => subpath !== './package.json' && typeof target === 'object')
        .map(([subpath, target]) => ({
          subpath,
          specifier: subpath === '.' ? json.name : `${json.name}/${subpath.slice(2)}`,
          importTypes: target.import?.types,
          importDefault: target.import?.default,
          requireDefault: target.require?.default,
        }));
      return { folder, name: json.name, dir, json, entries };
    });
}

/**
 * The packages a check script works on: every package, or only the folders named on the command
 * line (arguments not starting with `--`), e.g. `node scripts/check-packages.mjs demo-domain`.
 * An unknown folder is an error, so a typo cannot pass as "nothing to check".
 */
export function selectPackages(argv = process.argv.slice(2)) {
  const all = listPackages();
  const only = argv.filter((arg) => !arg.startsWith('--'));
  if (only.length === 0) return all;
  const unknown = only.filter((folder) => !all.some((pkg) => pkg.folder === folder));
  if (unknown.length > 0) throw new Error(`no package folder ${unknown.join(', ')} under packages/`);
  return all.filter((pkg) => only.includes(pkg.folder));
}

/**
 * `selected` plus every workspace package they depend on (dependencies and peer dependencies,
 * transitively): what must be packed together for the selected ones to install.
 */
export function withInternalDependencies(selected, all = listPackages()) {
  const byName = new Map(all.map((pkg) => [pkg.name, pkg]));
  const result = new Map();
  const visit = (pkg) => {
    if (result.has(pkg.name)) return;
    result.set(pkg.name, pkg);
    for (const name of Object.keys({ ...pkg.json.dependencies, ...pkg.json.peerDependencies })) {
      const dependency = byName.get(name);
      if (dependency) visit(dependency);
    }
  };
  for (const pkg of selected) visit(pkg);
  return all.filter((pkg) => result.has(pkg.name));
}
