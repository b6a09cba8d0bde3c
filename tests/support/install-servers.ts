// Installs the Debian packages the tests run real servers from, once, before vitest starts, so
// that no test hook waits on apt-get. Run by `npm test` (scripts/test.mjs). Without root on
// Debian it only reports what is missing: those tests then skip with a title naming the package,
// unless ALMANAC_REQUIRE_SERVERS=1 (CI), where a missing server fails this step.
import { ensureDebianPackage } from './debian';

/** Debian package → the binary the tests start from it. */
export const TEST_SERVERS: ReadonlyArray<readonly [pkg: string, binary: string]> = [
  ['redis-server', 'redis-server'],
  ['rabbitmq-server', 'rabbitmq-server'],
  ['chromium', 'chromium'],
];

let passed = 0;
let failed = 0;
for (const [pkg, binary] of TEST_SERVERS) {
  try {
    const status = ensureDebianPackage(pkg, binary);
    if (status.available) {
      passed++;
      process.stdout.write(`✓ ${pkg}: ${status.path}\n`);
    } else {
      // Not required here (no CI flag): the dependent tests skip and say why.
      passed++;
      process.stdout.write(`- ${pkg}: ${status.reason} (its tests will skip)\n`);
    }
  } catch (error) {
    failed++;
    process.stdout.write(`✗ ${pkg}: ${(error as Error).message}\n`);
  }
}
process.stdout.write(`test-servers summary: ${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
