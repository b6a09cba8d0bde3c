// `npm test`: everything a change must pass, in order, counting every check.
//   build → typecheck → lint → unit and integration tests (vitest) → API reports →
//   packaging (publint, attw) → consumer smoke test → examples → docs.
// Each step runs even if an earlier one failed (except build), so one run shows every
// problem. The last line totals all of them; the bare `N passed, N failed` line is
// written to .test-results/summary.txt, which .ci/run prints last.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './workspace.mjs';

const results = join(repoRoot, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

let passed = 0;
let failed = 0;
const failures = [];

function step(name, command, args, { count } = {}) {
  process.stdout.write(`\n━━ ${name} ━━\n`);
  const started = Date.now();
  const child = spawnSync(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  process.stdout.write(child.stdout ?? '');
  const ok = child.status === 0;
  const counted = count?.(child.stdout ?? '') ?? scriptCount(child.stdout ?? '') ?? { passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
  // A step that exits non-zero counts as a failure even if its own tally says otherwise.
  if (!ok && counted.failed === 0) counted.failed = 1;
  passed += counted.passed;
  failed += counted.failed;
  if (!ok) failures.push(name);
  process.stdout.write(`── ${name}: ${ok ? 'ok' : 'FAILED'} (${counted.passed} passed, ${counted.failed} failed, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return ok;
}

// The check scripts end with "<step> summary: N passed, N failed".
function scriptCount(stdout) {
  const match = [...stdout.matchAll(/^[\w-]+ summary: (\d+) passed, (\d+) failed$/gm)].pop();
  return match ? { passed: Number(match[1]), failed: Number(match[2]) } : undefined;
}

// Skipped tests, printed before the final line. Conformance tests skipped because an adapter
// lacks a capability are legitimate; a skipped correctness test is not: oracle's tests are
// pure and their data are vendored in datasets/, so nothing there may skip, and anywhere a
// skip that names missing data (../shared, "not found") counts as a failure.
const skipped = { total: 0, failing: [] };
// Failed tests, repeated just before the final line: CI shows only the tail of the output,
// and a failure reported thousands of lines earlier would otherwise be invisible there.
const failedTests = [];
const CORRECTNESS_FILE = /(^|[\\/])packages[\\/]oracle[\\/]test[\\/]/;
const MISSING_DATA = /\.\.\/shared|data not found|missing data|datasets?\b.*(absent|missing)/i;
// Tests on real servers (Debian packages) skip on a developer's machine without them, but under
// CI (.ci/run sets ALMANAC_REQUIRE_SERVERS=1) such a skip is a failure: the servers must run.
const MISSING_SERVER = /needs Debian package/i;
const serversRequired = process.env.ALMANAC_REQUIRE_SERVERS === '1';

function vitestCount() {
  try {
    const report = JSON.parse(readFileSync(join(results, 'vitest.json'), 'utf8'));
    // Failed test files (e.g. a syntax error) have no tests; count each as one failure.
    const brokenFiles = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
    for (const file of report.testResults) {
      if (file.status === 'failed' && file.assertionResults.length === 0) failedTests.push(`${file.name.replace(repoRoot, '.')}: ${firstLine(file.message)}`);
      for (const test of file.assertionResults) {
        if (test.status === 'failed') failedTests.push(`${file.name.replace(repoRoot, '.')}: ${[...(test.ancestorTitles ?? []), test.title].join(' > ')}: ${firstLine(test.failureMessages?.[0])}`);
        if (test.status !== 'skipped' && test.status !== 'pending' && test.status !== 'todo') continue;
        skipped.total++;
        const title = [...(test.ancestorTitles ?? []), test.title].join(' > ');
        if (CORRECTNESS_FILE.test(file.name) || MISSING_DATA.test(title) || (serversRequired && MISSING_SERVER.test(title))) skipped.failing.push(`${file.name.replace(repoRoot, '.')}: ${title}`);
      }
    }
    return { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles + skipped.failing.length };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

function firstLine(message) {
  return (message ?? '').split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 300) ?? '(no message)';
}

const built = step('build (turbo: tsup ESM + CJS + d.ts for every package)', bin('turbo'), ['run', 'build', '--no-daemon', '--output-logs=errors-only']);
if (built) {
  step('typecheck (tsc --noEmit over sources, tests, examples, bench)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  step('lint (biome)', bin('biome'), ['lint', '.']);
  step('test servers (Debian packages: install when root on Debian)', bin('tsx'), ['tests/support/install-servers.ts']);
  step('unit and integration tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(results, 'vitest.json')}`], { count: vitestCount });
  // The critical modules within 20 minutes: today's group of the rotation first, then the next
  // groups while the budget lasts (scripts/mutation.mjs --ci, ciGroups); < 80 % fails.
  step('mutation testing (StrykerJS: critical modules, 20-minute budget)', process.execPath, ['scripts/mutation.mjs', '--ci', '--budget-minutes=20']);
  step('API reports (api-extractor)', process.execPath, ['scripts/api-report.mjs']);
  step('packaging (publint, attw)', process.execPath, ['scripts/check-packages.mjs']);
  step('consumer smoke test (packed tarballs)', process.execPath, ['scripts/consumer-smoke.mjs']);
  step('examples', process.execPath, ['scripts/examples-smoke.mjs']);
  step('docs (typedoc)', process.execPath, ['scripts/docs-check.mjs']);
}

if (failures.length > 0) process.stdout.write(`\nFailed steps: ${failures.join('; ')}\n`);
for (const name of failedTests) process.stdout.write(`failed test: ${name}\n`);
for (const name of skipped.failing) process.stdout.write(`skipped correctness test (counted as failed): ${name}\n`);
process.stdout.write(`\n${skipped.total} skipped (${skipped.total - skipped.failing.length} capability-gated or conditional, ${skipped.failing.length} correctness, counted as failed)\n`);
const summary = `${passed} passed, ${failed} failed`;
writeFileSync(join(results, 'summary.txt'), `${summary}\n`);
process.stdout.write(`All checks together: ${summary}\n`);
process.exitCode = failed > 0 || failures.length > 0 ? 1 : 0;
