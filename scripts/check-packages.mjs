// Packaging checks for every package: publint (package.json and files) and
// @arethetypeswrong/cli (types resolve for ESM and CJS consumers) on the packed tarball.
// Folder names as arguments restrict the checks to those packages (`... check-packages.mjs identity`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReport } from './report.mjs';
import { repoRoot, selectPackages } from './workspace.mjs';

const report = createReport('packaging');
const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const run = (command, args, cwd) => {
  try {
    return { ok: true, output: execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    return { ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error) };
  }
};

const packages = selectPackages();
const packDir = mkdtempSync(join(tmpdir(), 'almanac-pack-'));
try {
  for (const pkg of packages) {
    const publint = run(bin('publint'), ['--strict', '--level', 'suggestion'], pkg.dir);
    const clean = publint.ok && !/(Suggestion|Warning|Error)/i.test(publint.output.replace(/All good!/i, ''));
    report.record(`publint ${pkg.name}`, clean, publint.output);

    const packed = run('npm', ['pack', '--silent', '--pack-destination', packDir], pkg.dir);
    if (!packed.ok) {
      report.record(`attw ${pkg.name}`, false, packed.output);
      continue;
    }
    const tarball = join(packDir, packed.output.trim().split('\n').pop());
    // Every profile, node10 included: subpath types resolve there through `typesVersions`
    // (scripts/package-metadata.mjs). Entries without a `require` condition are ESM-only on
    // purpose (e.g. a vitest-based conformance suite): they are checked separately, with CJS
    // (and node10) resolution expected to fail.
    const esmOnly = pkg.entries.filter((entry) => entry.requireDefault === undefined).map((entry) => entry.subpath);
    const attwArgs = [tarball, '--format', 'table-flipped', '--no-color'];
    const attw = run(bin('attw'), esmOnly.length > 0 ? [...attwArgs, '--exclude-entrypoints', ...esmOnly] : attwArgs, pkg.dir);
    report.record(`attw ${pkg.name}`, attw.ok, attw.output);
    if (esmOnly.length > 0) {
      const esm = run(bin('attw'), [...attwArgs, '--entrypoints', ...esmOnly, '--ignore-rules', 'no-resolution'], pkg.dir);
      report.record(`attw ${pkg.name} ESM-only entries ${esmOnly.join(', ')}`, esm.ok, esm.output);
    }
  }
} finally {
  rmSync(packDir, { recursive: true, force: true });
}
report.finish();
