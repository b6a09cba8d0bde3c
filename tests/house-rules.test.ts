// The house rules that a linter does not check (each test below names one; the layering
// and provider-SDK rules are described in docs/architecture.md), enforced over every
// package's library source (tests, benches and examples are exempt).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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

  it('takes zod from @almanac/core/schema outside core (core bundles the one copy a process loads)', () => {
    expect(offenders(/from\s+['"]zod(\/[^'"]*)?['"]|import\(\s*['"]zod/, ({ name }) => name !== 'core')).toEqual([]);
  });
});

// Provider SDKs may only load from the subpath that needs them.
const PROVIDER_SDK = /^(googleapis|@googleapis\/|@google-cloud\/|@aws-sdk\/|@azure\/|@microsoft\/microsoft-graph-client|auth0|@segment\/|@duckdb\/|redis$|@redis\/|amqplib)/;
const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)["']([^"']+)["']/gm;

/** Every bare module specifier reachable from a built entry file through relative imports. */
function reachableSpecifiers(entry: string): Set<string> {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT_SPECIFIER)) {
      const specifier = match[1] as string;
      if (specifier.startsWith('.')) visit(join(dirname(file), specifier));
      else bare.add(specifier);
    }
  };
  visit(entry);
  return bare;
}

describe('package roots load no provider SDK', () => {
  for (const name of packages) {
    for (const file of ['index.js', 'index.cjs']) {
      const entry = join(packagesDir, name, 'dist', file);
      it.skipIf(!existsSync(entry))(`@almanac/${name} ${file}${existsSync(entry) ? '' : ' (skipped: not built; npm test builds first)'}`, () => {
        expect([...reachableSpecifiers(entry)].filter((specifier) => PROVIDER_SDK.test(specifier))).toEqual([]);
      });
    }
  }

  // Cold import (issue 20): zod, uuid and lru-cache are ~120 small modules as packages; core
  // bundles them, so no built entry of any package may load them by name.
  for (const name of packages) {
    const entry = join(packagesDir, name, 'dist', 'index.js');
    it.skipIf(!existsSync(entry))(`@almanac/${name} root reaches no unbundled zod, uuid or lru-cache`, () => {
      expect([...reachableSpecifiers(entry)].filter((specifier) => /^(zod|uuid|lru-cache)(\/|$)/.test(specifier))).toEqual([]);
    });
  }

  const google = join(packagesDir, 'bookings', 'dist', 'google.js');
  it.skipIf(!existsSync(google))('the check sees a lazily loaded SDK in an adapter entry', () => {
    expect([...reachableSpecifiers(google)]).toContain('@googleapis/calendar');
  });

  const coreRedis = join(packagesDir, 'core', 'dist', 'redis.js');
  it.skipIf(!existsSync(coreRedis))('the check sees the lazily loaded redis client in @almanac/core/redis', () => {
    expect([...reachableSpecifiers(coreRedis)]).toContain('redis');
  });
});
