// Cold import cost of every `@almanac/*` package root and subpath (issue 20): CPU time of a fresh
// child process that imports it, minus an empty `node` measured the same way in the same rounds. Imports the
// built `dist` through the workspace links, as a consumer would (build first: `npm run build`).
// Rounds are interleaved (every entry once per round, in a rotated order) and the median is
// printed; every package root must stay within 150 ms of the empty baseline.
// ALMANAC_BENCH_IMPORT_ROUNDS overrides the 5 rounds. Always resolves.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT_BUDGET_MS = 150;
const ROUNDS = Number(process.env['ALMANAC_BENCH_IMPORT_ROUNDS'] ?? 5);
const repo = join(import.meta.dirname, '..');

/** One importable entry: `@almanac/core`, `@almanac/core/kit`, … */
interface Entry {
  readonly specifier: string;
  readonly root: boolean;
}

function entries(): Entry[] {
  const out: Entry[] = [];
  const packages = join(repo, 'packages');
  for (const folder of readdirSync(packages).sort()) {
    const manifest = join(packages, folder, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; private?: boolean; exports?: Record<string, unknown> };
    if (typeof pkg.name !== 'string' || pkg.exports === undefined) continue;
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (subpath.endsWith('.json') || subpath.includes('*')) continue;
      const importable = typeof target === 'string' || (typeof target === 'object' && target !== null && ('import' in target || 'default' in target));
      if (!importable) continue;
      out.push({ specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`, root: subpath === '.' });
    }
  }
  return out;
}

/**
 * CPU time (user + system) of one child that imports `specifier` (or nothing) and exits, in ms;
 * `undefined` if the import failed. CPU rather than wall time: on a shared machine the wall
 * clock mostly measures the neighbours, while the work an import does stays the same.
 */
function timeImport(specifier: string | undefined): number | undefined {
  const load = specifier === undefined ? '' : `await import(${JSON.stringify(specifier)});`;
  const code = `${load} const u = process.cpuUsage(); process.stdout.write(String(u.user + u.system));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  const micros = Number(child.stdout?.toString() ?? '');
  return child.status === 0 && Number.isFinite(micros) ? micros / 1000 : undefined;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Runs the benchmark and prints the table. */
export async function run(): Promise<void> {
  const all = entries();
  if (all.length === 0) {
    process.stdout.write('library-import-time: SKIP (no packages found)\n');
    return;
  }
  const baseline: number[] = [];
  const samples = new Map<string, number[]>();
  const failed = new Set<string>();
  for (let round = 0; round < ROUNDS; round++) {
    const first = timeImport(undefined);
    if (first !== undefined) baseline.push(first);
    for (let i = 0; i < all.length; i++) {
      const entry = all[(i + round) % all.length] as Entry;
      if (failed.has(entry.specifier)) continue;
      const elapsed = timeImport(entry.specifier);
      if (elapsed === undefined) failed.add(entry.specifier);
      else samples.set(entry.specifier, [...(samples.get(entry.specifier) ?? []), elapsed]);
    }
  }
  const base = median(baseline);
  process.stdout.write(`library-import-time: empty node ${base.toFixed(0)} ms CPU (median of ${ROUNDS}); cold import CPU over that, median per entry\n`);
  let misses = 0;
  for (const entry of all) {
    if (failed.has(entry.specifier)) {
      process.stdout.write(`library-import-time: ${entry.specifier.padEnd(34)}   import failed (not built?)\n`);
      if (entry.root) misses++;
      continue;
    }
    const over = median(samples.get(entry.specifier) ?? [base]) - base;
    const verdict = entry.root ? (over <= ROOT_BUDGET_MS ? ` (root, budget ${ROOT_BUDGET_MS} ms) PASS` : ` (root, budget ${ROOT_BUDGET_MS} ms) MISS`) : '';
    if (entry.root && over > ROOT_BUDGET_MS) misses++;
    process.stdout.write(`library-import-time: ${entry.specifier.padEnd(34)} ${over.toFixed(0).padStart(5)} ms${verdict}\n`);
  }
  process.stdout.write(`library-import-time: ${misses === 0 ? 'every root within budget: PASS' : `${misses} root(s) over budget or not importable: MISS`}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((error: unknown) => {
    process.stderr.write(`library-import-time bench failed: ${String(error)}\n`);
    process.exitCode = 1;
  });
}
