/**
 * Storage intelligence on the memory adapter: no cloud account needed.
 *
 *   npx tsx examples/storage-scan.ts
 *
 * Seeds a bucket (a CSV with a card number, an HR file with an SSN, an `.env` file with a cloud
 * key, a 64 MiB log archive last touched in 2024, an image and a README), then scans it:
 * classification with masked findings, GDPR compliance, security findings, storage-class
 * recommendations from the S3 price table, a dry run and a real run of the tiering plan, and the
 * bucket posture. The memory store is given S3's class names so the S3 price table applies.
 */
import { createManualClock } from '@almanac/core';
import { createMemoryStorage } from '@almanac/library/memory';
import { applyTiering, checkPosture, type ScanResult, scan } from '@almanac/library';

const DAY_MS = 86_400_000;
const now = new Date('2026-11-01T09:00:00Z');
const clock = createManualClock(Date.parse('2024-03-01T00:00:00Z'));
const storage = createMemoryStorage({ clock, storageClasses: ['STANDARD', 'STANDARD_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] });

// The archive is written "in 2024"; everything else a week before the scan.
await storage.write('logs/2024/api-archive.log.gz', new Uint8Array(64 * 1024 * 1024), { contentType: 'application/gzip' });
clock.set(now.getTime() - 7 * DAY_MS);
await storage.write('payments/2026-10.csv', 'order,name,card,amount\n1001,Ann Lee,4111 1111 1111 1111,42.00\n1002,Bo Chen,n/a,17.50\n', {
  contentType: 'text/csv',
});
await storage.write('people/onboarding.txt', 'Name: Carol Diaz\nSSN: 536-22-8834\nStart: 2026-11-03\n', { contentType: 'text/plain' });
await storage.write('app/.env', 'DATABASE_URL=postgres://app@db.internal/prod\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n');
await storage.write('assets/logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), { contentType: 'image/png' });
await storage.write('docs/README.md', '# Team handbook\nWelcome aboard.\n', { contentType: 'text/markdown' });

// Access data usually comes from access logs; unknown access is never treated as "never read".
const lastRead: Record<string, number> = { 'logs/2024/api-archive.log.gz': 400 };
const usd = (n: number): string => `$${n.toFixed(6)}`;

function describe(r: ScanResult): string {
  const lines = [`${r.key}  [${r.storageClass ?? '?'}, ${r.size} B]`];
  lines.push(`  label: ${r.classification} (confidence ${r.confidence})${r.sampled ? '' : `, content not read: ${r.sampleSkipped}`}`);
  for (const f of r.findings) lines.push(`  found: ${f.count} ${f.type} e.g. ${f.samples.join(', ')}`);
  for (const s of r.securityFindings) lines.push(`  security ${s.severity}: ${s.message}`);
  if (r.compliance?.inScope) lines.push(`  GDPR: ${r.compliance.status} (encryption ${r.compliance.encryption.source})`);
  if (r.tiering !== null && r.tiering.storageClass !== r.tiering.currentClass) {
    lines.push(`  tiering: ${r.tiering.currentClass} -> ${r.tiering.storageClass}, saves ${usd(r.tiering.monthlySavings)}/month`);
  }
  return lines.join('\n');
}

const run = scan(storage, {
  now,
  standard: 'gdpr',
  region: 'us-east-1',
  accessStats: (key) => (lastRead[key] === undefined ? undefined : { daysSinceLastAccess: lastRead[key] }),
});
// Results stream in listing order; only the tiering plan is kept, to apply it below.
const plan: ScanResult[] = [];
for await (const result of run) {
  console.log(describe(result));
  if (result.tiering !== null && result.tiering.storageClass !== result.tiering.currentClass) plan.push(result);
}

const summary = run.summary();
console.log('\nSummary');
console.log(`  ${summary.objects} objects, ${summary.bytes} bytes; ${summary.sampled} sampled, ${summary.notSampled} not sampled`, summary.notSampledByReason);
const nonZero = Object.entries(summary.bytesByClassification).filter(([, bytes]) => bytes > 0);
console.log(`  bytes by classification: ${nonZero.map(([label, bytes]) => `${label} ${bytes}`).join(', ')}`);
console.log('  security findings:', summary.securityFindingsBySeverity);
console.log('  GDPR:', summary.complianceByStatus);
console.log(`  projected savings: ${usd(summary.monthlySavings)} ${summary.currency}/month`);
for (const [target, totals] of Object.entries(summary.savingsByTargetClass)) {
  console.log(`    -> ${target}: ${totals.objects} object(s), ${totals.bytes} bytes, ${usd(totals.monthlySavings)}/month`);
}

const dry = await applyTiering(storage, plan);
console.log(`\nTiering dry run: would move ${dry.changed.map((c) => `${c.key} ${c.from} -> ${c.to}`).join('; ')}`);
const applied = await applyTiering(storage, plan, { dryRun: false });
console.log(`Tiering applied: ${applied.changed.length} moved, ${applied.failed.length} failed, ${usd(applied.totalMonthlySavings)}/month saved`);
console.log(`  archive is now ${(await storage.stat('logs/2024/api-archive.log.gz')).storageClass}`);

console.log('\nBucket posture');
for (const f of await checkPosture(storage)) console.log(`  ${f.passed ? 'pass' : 'FAIL'} ${f.rule} (${f.severity}): ${f.message}`);
