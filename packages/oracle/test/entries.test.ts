import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index';

const pkgDir = join(import.meta.dirname, '..');
const exportsMap = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).exports as Record<string, unknown>;
// math/ holds numerical internals; only its seeded generator is public, from the root.
const folders = readdirSync(join(pkgDir, 'src'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'math' && existsSync(join(pkgDir, 'src', entry.name, 'index.ts')))
  .map((entry) => entry.name);
const entries = [...folders.map((folder) => [folder, `../src/${folder}/index`] as const), ['errors', '../src/errors'] as const];

describe('subpath entries', () => {
  it('give every folder (and errors) its own ESM and CJS entry', () => {
    expect(folders.length).toBeGreaterThanOrEqual(10);
    for (const [name] of entries) {
      expect(exportsMap[`./${name}`], name).toEqual({
        import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
        require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
      });
    }
    const tsup = readFileSync(join(pkgDir, 'tsup.config.ts'), 'utf8');
    for (const folder of folders) expect(tsup, folder).toContain(`'${folder}'`);
  });

  it('are all re-exported from the root, as the same values', async () => {
    for (const [name, path] of entries) {
      const entry = (await import(path)) as Record<string, unknown>;
      expect(Object.keys(entry).length, name).toBeGreaterThan(0);
      for (const [key, value] of Object.entries(entry)) expect((root as Record<string, unknown>)[key], `${name}.${key}`).toBe(value);
    }
  });
});
