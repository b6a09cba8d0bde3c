// Runs probes in a process of its own, so a probe that blocks the event loop (an endless
// synchronous loop, catastrophic backtracking) can be killed by the parent's watchdog
// instead of hanging the test run. Reads probe ids as JSON from argv, writes JSON lines.
import { CanaryCapture } from './canary';
import { propertyProbes, runPropertyProbe, runTextProbe, textProbes } from './probes';
import type { Probe, ProbeResult } from './probes';

const [kind, idsJson] = process.argv.slice(2);
const wanted = new Set<string>(JSON.parse(idsJson ?? '[]') as string[]);
const all: Probe[] = kind === 'text' ? textProbes() : propertyProbes();
const capture = new CanaryCapture();
const emit = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function main(): Promise<void> {
  for (const probe of all) {
    if (!wanted.has(probe.id)) continue;
    emit({ type: 'start', id: probe.id });
    let result: ProbeResult;
    try {
      result = probe.kind === 'text' ? await runTextProbe(probe, { capture }) : await runPropertyProbe(probe, { capture });
    } catch (error) {
      capture.error(error);
      result = { id: probe.id, outcome: 'fail', detail: `the probe itself failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    // Scanned per probe: a later probe may hang and take this process down with it.
    emit({ type: 'canaries', ...capture.drain() });
    emit({ type: 'result', result });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`adversarial child failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
