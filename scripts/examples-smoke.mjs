// Runs every example script (examples/*.ts) against the built packages, as a user would with
// `npx tsx`, and checks that each exits 0 and prints what it is meant to show: every example
// has a list of patterns below that its output must match, so an example that runs but
// computes something wrong (a webhook that verifies a tampered body, a fit that no longer
// reproduces the published CDNOW values) fails. An example with no patterns registered fails
// too, naming this file, so a new example cannot pass on "printed something".
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createReport } from './report.mjs';
import { repoRoot } from './workspace.mjs';

/** Example file → patterns its standard output must match (each is one check). */
export const EXPECTED_OUTPUT = {
  'quickstart.ts': [
    /^Almanac quick start \(embedded defaults, nothing leaves this machine\)$/m,
    // core: a retried GET, the vault round trip, webhook verification and replay protection.
    /^GET \/health -> 200 \{"status":"ok"\} after 2 attempts$/m,
    /decrypts back: true$/m,
    /^webhook signature valid: true$/m,
    /^tampered body accepted: false$/m,
    /^first delivery ok: true; replayed delivery ok: false \(duplicate\)$/m,
    // oracle: BG/NBD on the vendored CDNOW sample reproduces Fader, Hardie & Lee (2005).
    /^BG\/NBD r=0\.243 alpha=4\.414 a=0\.793 b=2\.426 \(log-likelihood -9582\.4\)$/m,
    /^HPA: 4 replicas at 180% of target CPU -> 8 replicas/m,
    // bookings: a meeting booked once, the retry returning the same event.
    /retry returned the same event: true$/m,
    // identity: the impossible-travel login blocked, the audit chain intact.
    /ana blocked: true$/m,
    /^audit log verified: ok, \d+ entries chained$/m,
  ],
  'storage-scan.ts': [
    // The seeded card number, SSN and cloud key are found and shown masked only.
    /^ {2}found: 1 credit_card e\.g\. \*{4} \*{4} \*{4} 1111$/m,
    /^ {2}found: 1 us_ssn e\.g\. \*{3}-\*{2}-8834$/m,
    /^ {2}found: 1 aws_access_key_id e\.g\. AKIA\*+MPLE$/m,
    /^ {2}security findings: \{ info: 0, low: 0, medium: 1, high: 1 \}$/m,
    // The 64 MiB archive untouched since 2024 goes to the coldest class, for real.
    /^Tiering dry run: would move logs\/2024\/api-archive\.log\.gz STANDARD -> DEEP_ARCHIVE$/m,
    /^Tiering applied: 1 moved, 0 failed/m,
    /^ {2}archive is now DEEP_ARCHIVE$/m,
    /^Bucket posture$/m,
  ],
  'aetherium-report.ts': [
    // The FOCUS sample aggregated by DuckDB (September 2024 billed total), the spec example's unused commitment, the report file.
    /^billed 20\.52 USD, effective 14\.98, \d+ service-days$/m,
    /^ {2}commitment-utilization <my-commitment-discount-id>: 1095\.75 USD\/month$/m,
    // The inventory through the engine simulator and library memory storage: one metrics call for the fleet, idle and rightsizing savings, a prefix-grouped tiering move.
    /^== inventory: 3 instances, 3 measured in 1 metrics call\(s\)$/m,
    /^ {2}idle i-batch-idle: 140\.16 USD\/month$/m,
    /^ {2}rightsize i-web-oversized: \d+\.\d\d USD\/month$/m,
    /^ {2}acme-logs\/logs\/: 3 objects STANDARD -> [A-Z_]+ after 500 days/m,
    /^== report written to .*\.html$/m,
  ],
  'arcade-rewards.ts': [/^== rewards: EventSub deliveries -> rules -> grants$/m, /^== matchmaking: Glicko-2 queue with widening windows$/m],
  'cdp-cdnow.ts': [
    // CDNOW through the embedded warehouse: the published BG/NBD and Gamma-Gamma parameters, and
    // mean LTV falling as churn risk rises.
    /^loaded 6919 CDNOW transactions into the embedded warehouse$/m,
    /^BG\/NBD on 2357 customers: r 0\.243, α 4\.414, a 0\.793, b 2\.426 /m,
    /^Gamma-Gamma on 946 repeat customers: p 6\.25, q 3\.74, γ 15\.44$/m,
    /^ {2}low +\d+ customers, mean predicted LTV \$1\d\d\.\d\d;/m,
    /^ {2}high +\d+ customers, mean predicted LTV \$\d\d\.\d\d;/m,
    /^audience valuable_at_risk: \d+ customers/m,
  ],
};

/** Values that must never reach an example's output (they are masked by the SDK). */
const NEVER_PRINTED = {
  'storage-scan.ts': ['4111 1111 1111 1111', '536-22-8834', 'AKIAIOSFODNN7EXAMPLE'],
};

const report = createReport('examples');
const dir = join(repoRoot, 'examples');
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts')).sort()) {
  let output;
  try {
    output = execFileSync(tsx, [join(dir, file)], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe', timeout: 120_000 });
  } catch (error) {
    report.record(`example ${file} runs`, false, `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error));
    continue;
  }
  report.record(`example ${file} runs`, true);
  const patterns = EXPECTED_OUTPUT[file];
  if (patterns === undefined) {
    report.record(`example ${file} output`, false, `no expected output registered for ${file} in scripts/examples-smoke.mjs (EXPECTED_OUTPUT)`);
    continue;
  }
  for (const pattern of patterns) {
    report.record(`example ${file} prints ${pattern}`, pattern.test(output), `output was:\n${output.slice(0, 4000)}`);
  }
  for (const secret of NEVER_PRINTED[file] ?? []) {
    report.record(`example ${file} never prints ${secret.slice(0, 4)}…`, !output.includes(secret), 'a value the SDK masks appeared in the output');
  }
}
report.finish();
