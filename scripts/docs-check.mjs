// Builds the TypeDoc site (docs/api). TypeDoc is configured to fail on any
// undocumented export, broken link or unexported referenced type.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createReport } from './report.mjs';
import { repoRoot } from './workspace.mjs';

const report = createReport('docs');
try {
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'typedoc'), [], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' });
  report.record('typedoc builds docs/api with every export documented', true);
} catch (error) {
  report.record('typedoc builds docs/api with every export documented', false, `${error.stdout ?? ''}${error.stderr ?? ''}`);
}
report.finish();
