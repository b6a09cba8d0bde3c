// `@opentelemetry/api` loads on the first operation or request, not when a package root is
// imported (cold-import budget, issue 20), and spans still reach the SDK the application
// registered through its own copy of the API. Runs in a fresh process against the build, as a
// consumer would (npm test builds first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const repo = join(import.meta.dirname, '..', '..', '..');
const built = existsSync(join(repo, 'packages', 'core', 'dist', 'index.js'));

// A module hook logs every ES module the child loads (synchronously, to a file); CommonJS
// loads show in require.cache.
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.ALMANAC_LOAD_LOG, url + '\\n');
  return next(url, context);
}
`;

const SCRIPT = `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
const otelLoaded = () => Object.keys(cache).some((path) => path.includes('@opentelemetry')) || readFileSync(process.env.ALMANAC_LOAD_LOG, 'utf8').includes('@opentelemetry');
const core = await import('@almanac/core');
const kit = await import('@almanac/core/kit');
const afterImport = otelLoaded();
const { trace } = await import('@opentelemetry/api');
const names = [];
const span = { spanContext: () => trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 }).spanContext(), setAttribute() { return this; }, setAttributes() { return this; }, addEvent() { return this; }, addLink() { return this; }, addLinks() { return this; }, setStatus() { return this; }, updateName() { return this; }, end() {}, isRecording: () => false, recordException() {} };
trace.setGlobalTracerProvider({ getTracer: () => ({ startSpan: (name) => { names.push(name); return span; }, startActiveSpan: () => { throw new Error('unused'); } }) });
const provider = { name: 'memory', specificationVersion: kit.SPECIFICATION_VERSION ?? 1, capabilities: {} };
let runnerSpans = 'skipped';
try {
  const runner = kit.createOperationRunner({ domain: 'notes', provider: { ...provider }, capabilityMethods: {}, defaultTimeoutMs: 1000 });
  await runner.run('read', { id: 'a' }, undefined, async () => 'ok');
  runnerSpans = names.slice();
} catch (error) { runnerSpans = 'error: ' + error.message; }
const afterRun = otelLoaded();
process.stdout.write(JSON.stringify({ afterImport, afterRun, runnerSpans, exports: typeof core.createHttpClient }));
`;

describe('OpenTelemetry API loads lazily', () => {
  it.skipIf(!built)('importing @almanac/core loads no @opentelemetry module; the first operation does, and its span reaches the globally registered provider', () => {
    const dir = mkdtempSync(join(tmpdir(), 'almanac-otel-lazy-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const hooks = join(dir, 'hooks.mjs');
    const log = join(dir, 'loaded.txt');
    writeFileSync(hooks, HOOKS);
    writeFileSync(log, '');
    const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`;
    const child = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', SCRIPT], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, ALMANAC_LOAD_LOG: log },
    });
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout) as { afterImport: boolean; afterRun: boolean; runnerSpans: unknown; exports: string };
    expect(result.exports).toBe('function');
    // The hook saw the package load (so an eager import would have shown), but no OpenTelemetry module.
    expect(readFileSync(log, 'utf8')).toContain('/core/dist/index.js');
    expect(result.afterImport).toBe(false);
    expect(result.runnerSpans).toEqual(['notes.read']);
    expect(result.afterRun).toBe(true);
  });
});
