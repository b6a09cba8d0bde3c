// ReDoS and cost guards: every registered free-text or format-parsing function gets every
// hostile 1 MB text and must answer (or throw an AlmanacError) within its bound. Probes run
// in child processes under a watchdog, so a regression that blocks the event loop fails
// this file instead of hanging the run. See docs/security.md.
import { beforeAll, describe, expect, it } from 'vitest';
import { runIsolated } from './harness/isolate';
import type { IsolatedRun } from './harness/isolate';
import { textProbes } from './harness/probes';

const probes = textProbes();
/** A probe builds its input, warms up at 16 KB and runs at 1 MB; this is far beyond any bound. */
const PROBE_TIMEOUT_MS = 10_000;
let run: IsolatedRun;

beforeAll(async () => {
  run = await runIsolated('text', probes.map((probe) => probe.id), PROBE_TIMEOUT_MS);
}, 120_000);

describe('hostile 1 MB texts', () => {
  it('has probes for every registered text target', () => {
    expect(probes.length).toBeGreaterThan(50);
  });

  it.each(probes.map((probe) => [probe.id, probe.budgetMs] as const))('%s (bound %i ms)', (id) => {
    const result = run.results.get(id);
    expect(result, 'no result').toBeDefined();
    expect(result?.detail ?? '').toBe('');
    expect(result?.outcome).toBe('ok');
  });

  it('leaks no canary secret in what the probes logged or threw', () => {
    expect(run.captured).toBeGreaterThan(0);
    expect(run.leaks).toEqual([]);
  });
});
