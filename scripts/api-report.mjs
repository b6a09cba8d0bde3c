// Runs api-extractor for every published entry point of every package.
// Default: check mode (fails when the public API changed and etc/*.api.md was not updated).
// --local: rewrite the reports (run after an intended API change, then commit them).
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { listPackages } from './workspace.mjs';

const localBuild = process.argv.includes('--local');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const results = [];

for (const pkg of listPackages()) {
  if (only.length > 0 && !only.includes(pkg.folder)) continue;
  for (const entry of pkg.entries) {
    const reportName = entry.subpath === '.' ? pkg.folder : `${pkg.folder}-${entry.subpath.slice(2).replaceAll('/', '-')}`;
    const label = `api-report ${entry.specifier}`;
    const dts = join(pkg.dir, entry.importTypes);
    if (!existsSync(dts)) {
      results.push({ label, ok: false, detail: `missing ${entry.importTypes}: run npm run build first` });
      continue;
    }
    mkdirSync(join(pkg.dir, 'etc'), { recursive: true });
    const config = ExtractorConfig.loadFile(join(pkg.dir, 'api-extractor.json'));
    config.mainEntryPointFilePath = dts;
    config.apiReport.reportFileName = reportName;
    const prepared = ExtractorConfig.prepare({
      configObject: config,
      configObjectFullPath: join(pkg.dir, 'api-extractor.json'),
      packageJsonFullPath: join(pkg.dir, 'package.json'),
    });
    const messages = [];
    const result = Extractor.invoke(prepared, {
      localBuild,
      showVerboseMessages: false,
      messageCallback(message) {
        if (message.logLevel === 'error' || message.logLevel === 'warning') {
          messages.push(`${message.logLevel}: ${message.text}`);
        }
        message.handled = true;
      },
    });
    const ok = result.succeeded && !(result.apiReportChanged && !localBuild);
    if (result.apiReportChanged) {
      messages.unshift(
        localBuild ? 'report updated' : `public API changed: run "npm run api:update" and commit etc/${reportName}.api.md`,
      );
    }
    const detail = messages.join('\n');
    results.push({ label, ok, detail });
  }
}

for (const { label, ok, detail } of results) {
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${label}${detail ? `\n     ${detail.replaceAll('\n', '\n     ')}` : ''}\n`);
}
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`api-report summary: ${results.length - failed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
