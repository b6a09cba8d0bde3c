// The parent side of child.ts: runs probes in child processes under a watchdog. A probe
// that does not report within its limit is recorded as a hang, the child is killed, and a
// fresh child continues with the remaining probes.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ProbeResult } from './probes';

const CHILD = join(import.meta.dirname, 'child.ts');

/** What a run of probes produced. */
export interface IsolatedRun {
  readonly results: Map<string, ProbeResult>;
  /** Canary forms found in the children's captured logs and errors, and in their output. */
  readonly leaks: string[];
  /** Texts the children captured (logs, errors), summed: a scan over nothing proves nothing. */
  readonly captured: number;
  /** Everything the children wrote to stdout and stderr, for the canary scan. */
  readonly output: string[];
}

/** Runs `ids` of `kind` in child processes; each probe gets `probeTimeoutMs` before it counts as hung. */
export async function runIsolated(kind: 'text' | 'property', ids: readonly string[], probeTimeoutMs: number): Promise<IsolatedRun> {
  const results = new Map<string, ProbeResult>();
  const leaks: string[] = [];
  const output: string[] = [];
  let captured = 0;
  let remaining = [...ids];
  while (remaining.length > 0) {
    const hung = await runChild(kind, remaining, probeTimeoutMs, (result) => results.set(result.id, result), (message) => {
      leaks.push(...message.leaks);
      captured += message.captured;
    }, output);
    if (hung !== undefined) results.set(hung, { id: hung, outcome: 'hang', detail: `no result within ${probeTimeoutMs} ms; the child was killed` });
    const before = remaining.length;
    remaining = remaining.filter((id) => !results.has(id));
    // A child that died without starting anything would loop forever.
    if (remaining.length === before) {
      for (const id of remaining) results.set(id, { id, outcome: 'fail', detail: `the child process died before this probe: ${output.slice(-3).join(' ')}` });
      break;
    }
  }
  return { results, leaks, captured, output };
}

function runChild(
  kind: string,
  ids: readonly string[],
  probeTimeoutMs: number,
  onResult: (result: ProbeResult) => void,
  onCanaries: (message: { captured: number; leaks: string[] }) => void,
  output: string[],
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, kind, JSON.stringify(ids)], {
      cwd: join(import.meta.dirname, '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let running: string | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let hung: string | undefined;
    const arm = () => {
      clearTimeout(timer);
      // Also covers the child's start-up (loading tsx and every package) before the first probe.
      timer = setTimeout(() => {
        hung = running;
        child.kill('SIGKILL');
      }, running === undefined ? probeTimeoutMs + 30_000 : probeTimeoutMs);
    };
    arm();
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      let message: { type?: string; id?: string; result?: ProbeResult; captured?: number; leaks?: string[] };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return;
      }
      if (message.type === 'start') {
        running = message.id;
        arm();
      } else if (message.type === 'result' && message.result) {
        onResult(message.result);
        running = undefined;
        arm();
      } else if (message.type === 'canaries') {
        onCanaries({ captured: message.captured ?? 0, leaks: message.leaks ?? [] });
      }
    });
    createInterface({ input: child.stderr }).on('line', (line) => output.push(line));
    child.on('close', () => {
      clearTimeout(timer);
      resolve(hung);
    });
  });
}
