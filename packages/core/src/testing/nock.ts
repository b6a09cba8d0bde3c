import type Nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createPeerLoader } from '../kit/peer';

/** Options of {@link useStrictNock}. */
export interface StrictNockOptions {
  /**
   * Hosts real connections may still reach besides loopback (`localhost`, `127.0.0.1`, `::1`),
   * e.g. an emulator's host name. Matched against the host with or without its port.
   */
  readonly allowHosts?: readonly (string | RegExp)[] | undefined;
}

const LOOPBACK: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function hostName(host: string): string {
  // `host` is `name:port` (or `[v6]:port`); strip the port.
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon > 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

/** What a test hook is told about the test that just ran (a slice of vitest's context). */
interface FinishedTest {
  readonly task: { readonly result?: { readonly state?: string | undefined } | undefined };
}

/**
 * The hooks {@link useStrictNock} registers, as plain functions so they can be tested.
 *
 * @internal
 */
export function strictNockHooks(options: StrictNockOptions = {}) {
  const allowed = options.allowHosts ?? [];
  const permits = (host: string): boolean => {
    const name = hostName(host);
    if (LOOPBACK.has(name) || host.startsWith('::1:')) return true;
    return allowed.some((entry) => (typeof entry === 'string' ? entry === host || entry === name : entry.test(host)));
  };
  // Loaded when a block uses it, so importing this entry never requires nock (an optional peer).
  const loadNock = createPeerLoader<{ default: typeof Nock }>({
    pkg: 'nock',
    provider: 'nock',
    requiredBy: 'useStrictNock',
    importer: () => import('nock'),
    exportName: 'default.disableNetConnect',
    install: '--save-dev nock',
  });
  let nock: typeof Nock | undefined;
  return {
    permits,
    async beforeAll(): Promise<void> {
      nock = (await loadNock()).default;
      nock.disableNetConnect();
      nock.enableNetConnect(permits);
    },
    afterEach(test: FinishedTest): void {
      if (nock === undefined) return;
      const pending = nock.pendingMocks();
      nock.cleanAll();
      // A failed test usually leaves mocks unused; repeating that would hide the real failure.
      if (test.task.result?.state === 'fail') return;
      if (pending.length > 0) {
        throw new Error(`nock: ${pending.length} mock(s) were never called:\n  ${pending.join('\n  ')}`);
      }
    },
    afterAll(): void {
      if (nock === undefined) return;
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

/**
 * Strict nock for the enclosing `describe` block (or file): no real network except loopback
 * (and `allowHosts`), so a forgotten mock fails instead of calling a real API; after each test
 * that otherwise passed, fails if any mock was not used (listing them); every mock is removed
 * after each test; real connections are allowed again after the block. nock is imported when
 * the block starts (`npm install --save-dev nock` if it is missing).
 */
export function useStrictNock(options: StrictNockOptions = {}): void {
  const hooks = strictNockHooks(options);
  beforeAll(hooks.beforeAll);
  afterEach((context) => hooks.afterEach(context));
  afterAll(hooks.afterAll);
}
