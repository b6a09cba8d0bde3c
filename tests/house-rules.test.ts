// The house rules from DEVELOPERS.md that a linter does not check, enforced over every
// package's library source (tests, benches and examples are exempt).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

// Comments may mention these words; only code counts.
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

const packages = readdirSync(packagesDir);
const files = packages.flatMap((name) => sourceFiles(join(packagesDir, name, 'src')).map((path) => ({ name, path })));

function offenders(pattern: RegExp, filter: (file: { name: string; path: string }) => boolean = () => true): string[] {
  return files
    .filter(filter)
    .filter(({ path }) => pattern.test(withoutComments(readFileSync(path, 'utf8'))))
    .map(({ path }) => relative(root, path));
}

describe('house rules for library source', () => {
  it('finds the sources it checks', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('never uses Math.random (ids and jitter use node:crypto; oracle uses seeded generators)', () => {
    expect(offenders(/\bMath\.random\s*\(/)).toEqual([]);
  });

  it('never reads process.env outside explicit fromEnv() helpers', () => {
    expect(offenders(/\bprocess\.env\b/, ({ path }) => !/from-env\.ts$/.test(path))).toEqual([]);
  });

  it('never calls console.* (use the injected logger)', () => {
    expect(offenders(/\bconsole\.(log|debug|info|warn|error|trace)\s*\(/)).toEqual([]);
  });

  it('keeps oracle pure: no node: imports, no hidden clock', () => {
    const oracle = ({ name }: { name: string }) => name === 'oracle';
    expect(offenders(/from\s+['"]node:/, oracle)).toEqual([]);
    expect(offenders(/\bDate\.now\s*\(|new Date\(\s*\)|performance\.now\s*\(/, oracle)).toEqual([]);
  });
});
