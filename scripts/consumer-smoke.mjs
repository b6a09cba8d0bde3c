// Consumer smoke test: pack every package, install the tarballs into a fresh project
// (as a user would, from the registry for third-party dependencies), then check that
// every published entry point loads with `import` (ESM) and `require` (CJS) and that
// its types resolve for a TypeScript consumer (`tsc --noEmit`, NodeNext resolution).
// Folder names as arguments check only those packages' entries (the @almanac packages they
// depend on are packed and installed too); `--keep` keeps the project and prints its path.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReport } from './report.mjs';
import { repoRoot, selectPackages, withInternalDependencies } from './workspace.mjs';

const report = createReport('consumer-smoke');
const run = (command, args, cwd) => {
  try {
    return { ok: true, output: execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    return { ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error) };
  }
};

const work = mkdtempSync(join(tmpdir(), 'almanac-consumer-'));
const keep = process.argv.includes('--keep');
try {
  const packages = selectPackages();
  const packed = withInternalDependencies(packages);
  const tarballDir = join(work, 'tarballs');
  const app = join(work, 'app');
  mkdirSync(tarballDir);
  mkdirSync(app);

  const dependencies = {};
  for (const pkg of packed) {
    const tarball = run('npm', ['pack', '--silent', '--pack-destination', tarballDir], pkg.dir);
    report.record(`pack ${pkg.name}`, tarball.ok, tarball.output);
    if (tarball.ok) dependencies[pkg.name] = `file:${join(tarballDir, tarball.output.trim().split('\n').pop())}`;
  }
  // Internal dependencies between @almanac packages resolve to the tarballs too. A user of a
  // `/testing` entry (a conformance suite) has vitest, its optional peer, installed.
  const devDependencies = packages.some((pkg) => pkg.entries.some((entry) => entry.subpath === './testing'))
    ? { vitest: JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'vitest', 'package.json'), 'utf8')).version }
    : {};
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'almanac-consumer', private: true, dependencies, devDependencies, overrides: dependencies }, null, 2),
  );
  const installed = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
  report.record('install tarballs into a fresh project', installed.ok, installed.output);
  if (!installed.ok) throw new Error('install failed');

  const entries = packages.flatMap((pkg) => pkg.entries);
  for (const entry of entries) {
    const spec = JSON.stringify(entry.specifier);
    const keys = 'Object.keys(m).filter((k) => k !== "default" && k !== "__esModule").sort()';
    const esm = run(process.execPath, ['--input-type=module', '-e', `const m = await import(${spec}); console.log(JSON.stringify(${keys}));`], app);
    report.record(`import ${entry.specifier} (ESM)`, esm.ok, esm.output);
    if (entry.requireDefault === undefined) continue; // ESM-only entry: no require condition on purpose.
    const cjs = run(process.execPath, ['-e', `const m = require(${spec}); console.log(JSON.stringify(${keys}));`], app);
    // The CJS build must expose exactly what the ESM build does (dual-package consistency).
    const same = esm.ok && cjs.ok && esm.output.trim() === cjs.output.trim();
    const count = esm.ok ? JSON.parse(esm.output).length : 0;
    report.record(`require ${entry.specifier} (CJS, same ${count} exports as ESM)`, same, cjs.ok ? `ESM ${esm.output}\nCJS ${cjs.output}` : cjs.output);
  }

  // Adapters whose provider SDK is an optional peer: the consumer above installed none, so
  // first use must fail with a ConfigError that names the package to install.
  const range = "{ start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z' }";
  const missingSdk = [
    ['@almanac/bookings/google', '@googleapis/calendar', `m.createGoogleCalendar({ tokens: { getToken: async () => 't' } }).freeBusy({ calendars: ['primary'], range: ${range} })`],
    ['@almanac/bookings/microsoft', '@microsoft/microsoft-graph-client', `m.createMicrosoftCalendar({ getAccessToken: async () => 't' }).freeBusy({ calendars: ['primary'], range: ${range} })`],
    ['@almanac/library/s3', '@aws-sdk/client-s3', `m.createS3Storage({ bucket: 'almanac-bucket', region: 'us-east-1' }).stat('k')`],
    ['@almanac/library/gcs', '@google-cloud/storage', `m.createGcsStorage({ bucket: 'almanac-bucket' }).stat('k')`],
    ['@almanac/library/azure', '@azure/storage-blob', `m.createAzureStorage({ container: 'almanac', connectionString: 'UseDevelopmentStorage=true' }).stat('k')`],
  ];
  for (const [specifier, sdk, call] of missingSdk) {
    if (!entries.some((entry) => entry.specifier === specifier)) continue;
    const script = `const m = await import(${JSON.stringify(specifier)});
try { await ${call}; console.log('no error'); process.exit(1); }
catch (error) { console.log(error.code, error.message); process.exit(error.code === 'config' && error.message.includes(${JSON.stringify(sdk)}) ? 0 : 1); }`;
    const result = run(process.execPath, ['--input-type=module', '-e', script], app);
    report.record(`${specifier} without ${sdk}: ConfigError naming the package`, result.ok, result.output);
  }

  // Types: one ESM and one CJS consumer file importing every entry point.
  const consumer = (list) =>
    `${list.map((entry, i) => `import * as entry${i} from ${JSON.stringify(entry.specifier)};\nexport const use${i}: object = entry${i};`).join('\n')}\n`;
  writeFileSync(join(app, 'esm.mts'), consumer(entries));
  writeFileSync(join(app, 'cjs.cts'), consumer(entries.filter((entry) => entry.requireDefault !== undefined)));
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        strict: true,
        // Users with this flag pass `{ signal: maybeSignal }`: every optional property must say `| undefined`.
        exactOptionalPropertyTypes: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(repoRoot, 'node_modules', '@types')],
      },
      files: ['esm.mts', 'cjs.cts'],
    }),
  );
  const tsc = run(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app);
  report.record('types resolve for ESM and CJS consumers (tsc --noEmit)', tsc.ok, tsc.output);
} catch (error) {
  if (String(error) !== 'Error: install failed') report.record('consumer smoke', false, String(error?.stack ?? error));
} finally {
  if (keep) process.stdout.write(`kept ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
}
report.finish();
