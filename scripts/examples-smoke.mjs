// Runs every example script (examples/*.ts) against the built packages, as a user
// would with `npx tsx`, and checks that each exits 0 and prints something.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createReport } from './report.mjs';
import { repoRoot } from './workspace.mjs';

const report = createReport('examples');
const dir = join(repoRoot, 'examples');
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts')).sort()) {
  try {
    const output = execFileSync(tsx, [join(dir, file)], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe', timeout: 120_000 });
    report.record(`example ${file}`, output.trim().length > 0, 'printed nothing');
  } catch (error) {
    report.record(`example ${file}`, false, `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error));
  }
}
report.finish();
