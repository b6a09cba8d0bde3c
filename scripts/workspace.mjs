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
