// Every package ships what a user on npm needs: repository/homepage/bugs, a LICENSE, a
// CHANGELOG.md, node10 `typesVersions` for its subpaths, and source maps without inlined sources.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedMetadata, problemsOf } from '../scripts/package-metadata.mjs';
import { listPackages } from '../scripts/workspace.mjs';

const packages = listPackages() as { folder: string; name: string; dir: string; json: Record<string, unknown> }[];

describe('package metadata', () => {
  it('derives typesVersions from the CommonJS types of each subpath, leaving ESM-only entries out', () => {
    const expected = expectedMetadata('demo', {
      exports: {
        '.': { require: { types: './dist/index.d.cts' } },
        './s3': { import: { types: './dist/s3.d.ts' }, require: { types: './dist/s3.d.cts' } },
        './testing': { import: { types: './dist/testing.d.ts' } },
        './package.json': './package.json',
      },
    });
    expect(expected.typesVersions).toEqual({ '*': { s3: ['./dist/s3.d.cts'] } });
    expect(expected.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\/.+\.git$/), directory: 'packages/demo' });
  });

  for (const pkg of packages) {
    it(`${pkg.name} has repository, homepage, bugs, LICENSE, CHANGELOG.md and typesVersions`, () => {
      expect(problemsOf(pkg)).toEqual([]);
    });

    it(`${pkg.name} packs LICENSE, README.md and CHANGELOG.md`, { timeout: 60_000 }, () => {
      const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkg.dir, encoding: 'utf8' })) as {
        files: { path: string }[];
      }[];
      const paths = packed?.files.map((file) => file.path) ?? [];
      expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json']));
    });

    it(`${pkg.name} README links only absolute URLs (a reader on npm cannot follow relative ones)`, () => {
      const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8');
      const relative = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((match) => match[1] ?? '').filter((target) => !/^(https?:|mailto:|#)/.test(target));
      expect(relative).toEqual([]);
    });

    it(`${pkg.name} source maps carry no inlined sources`, () => {
      const maps = readdirSync(join(pkg.dir, 'dist')).filter((file) => file.endsWith('.map'));
      expect(maps.length).toBeGreaterThan(0);
      for (const map of maps) {
        const parsed = JSON.parse(readFileSync(join(pkg.dir, 'dist', map), 'utf8')) as { sourcesContent?: unknown };
        expect(parsed.sourcesContent, map).toBeUndefined();
      }
    });
  }
});
