import type { AuditStore } from './types';

/** An in-memory {@link AuditStore}, for tests and demos; `snapshot()` shows what is stored. */
export interface MemoryAuditStore extends AuditStore {
  /** The stored lines, in order (a copy). */
  snapshot(): string[];
}

/** Creates an in-memory audit store, optionally holding `lines` already (e.g. to test `verify`). */
export function createMemoryAuditStore(initial: readonly string[] = []): MemoryAuditStore {
  const lines: string[] = [...initial];
  return {
    async append(line) {
      lines.push(line);
    },
    async last() {
      return lines.at(-1);
    },
    lines() {
      const copy = [...lines];
      return {
        async *[Symbol.asyncIterator]() {
          yield* copy;
        },
      };
    },
    snapshot: () => [...lines],
  };
}
