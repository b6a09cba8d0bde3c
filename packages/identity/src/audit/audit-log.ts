import { IntegrityError, ValidationError, systemClock } from '@almanac/core';
import type { Clock } from '@almanac/core';
import { GENESIS_HASH, canonicalJson } from './canonical';
import { sanitizeDetails } from './sanitize';
import type { AuditEntry, AuditEvent, AuditHead, AuditLog, AuditOutcome, AuditStore, AuditVerification, VerifyOptions } from './types';
import { hashOf, parseLine, verifyLines } from './verify';

/** Options of {@link createAuditLog}. */
export interface AuditLogOptions {
  /** Where entries go: `createFileAuditStore(path)` (JSONL) or `createMemoryAuditStore()`. */
  readonly store: AuditStore;
  /** Source of `at` when an event has none; the system clock by default. */
  readonly clock?: Clock | undefined;
}

const OUTCOMES: ReadonlySet<unknown> = new Set<AuditOutcome>(['attempt', 'success', 'failure']);

function isStore(value: unknown): value is AuditStore {
  const s = value as Partial<AuditStore> | null;
  return typeof s === 'object' && s !== null && typeof s.append === 'function' && typeof s.last === 'function' && typeof s.lines === 'function';
}

function checkEvent(event: AuditEvent): void {
  const issues: { path: string; message: string }[] = [];
  if (typeof event !== 'object' || event === null) throw new ValidationError(undefined, [{ path: 'event', message: 'must be an object' }]);
  if (typeof event.actor !== 'string' || event.actor.length === 0) issues.push({ path: 'event.actor', message: 'must be a non-empty string' });
  if (typeof event.action !== 'string' || event.action.length === 0) issues.push({ path: 'event.action', message: 'must be a non-empty string' });
  if (event.target !== null && typeof event.target !== 'string') issues.push({ path: 'event.target', message: 'must be a string or null' });
  if (!OUTCOMES.has(event.outcome)) issues.push({ path: 'event.outcome', message: "must be 'attempt', 'success' or 'failure'" });
  if (event.at !== undefined && (!(event.at instanceof Date) || Number.isNaN(event.at.getTime()))) {
    issues.push({ path: 'event.at', message: 'must be a valid Date' });
  }
  if (event.details !== undefined && (typeof event.details !== 'object' || event.details === null)) {
    issues.push({ path: 'event.details', message: 'must be an object' });
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues, { operation: 'audit.append' });
}

/**
 * Creates a tamper-evident audit log over a store. Each entry carries the SHA-256 of its
 * predecessor, so altering, removing, reordering or splicing in any entry breaks `verify()`,
 * which names the first bad position. Truncating the tail is caught against the head this
 * instance last saw, or a head you published (`head()`), since a bare chain cannot prove its
 * own end. Details are sanitised first: secret-looking keys never reach the store.
 *
 * One writer per store: appends are serialised within this instance, not across processes.
 */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  if (typeof options !== 'object' || options === null || !isStore(options.store)) {
    throw new ValidationError(undefined, [{ path: 'options.store', message: 'must be an AuditStore (append, last, lines)' }]);
  }
  const store = options.store;
  const clock = options.clock ?? systemClock;
  let tip: AuditHead | undefined;
  let loaded: Promise<void> | undefined;
  // Appends run one after another so each sees the previous hash.
  let queue: Promise<unknown> = Promise.resolve();

  const load = () => {
    loaded ??= (async () => {
      const line = await store.last();
      if (line === undefined) return;
      const parsed = parseLine(line);
      if ('problem' in parsed) {
        loaded = undefined;
        throw new IntegrityError(`The audit store's last entry is damaged (${parsed.reason}); run verify()`, { operation: 'audit.append' });
      }
      tip = { seq: parsed.entry.seq, hash: parsed.entry.hash };
    })();
    return loaded;
  };

  const append = async (event: AuditEvent): Promise<AuditEntry> => {
    await load();
    const body = {
      seq: (tip?.seq ?? 0) + 1,
      at: (event.at ?? new Date(clock.now())).toISOString(),
      actor: event.actor,
      action: event.action,
      target: event.target,
      outcome: event.outcome,
      details: sanitizeDetails(event.details),
      prevHash: tip?.hash ?? GENESIS_HASH,
    };
    const entry: AuditEntry = { ...body, hash: hashOf(body) };
    await store.append(canonicalJson(entry));
    tip = { seq: entry.seq, hash: entry.hash };
    return entry;
  };

  return {
    append(event) {
      try {
        checkEvent(event);
      } catch (error) {
        return Promise.reject(error);
      }
      const next = queue.then(() => append(event));
      queue = next.catch(() => undefined);
      return next;
    },

    async verify(verifyOptions: VerifyOptions = {}): Promise<AuditVerification> {
      // Wait for appends in flight, so the head we compare against is settled.
      await queue;
      // Stryker disable next-line ArrayDeclaration: equivalent (a head without a numeric seq matches no check)
      const heads: AuditHead[] = [];
      if (tip !== undefined) heads.push(tip);
      if (verifyOptions.head !== undefined) heads.push(verifyOptions.head);
      return verifyLines(store.lines(), heads);
    },

    entries(): AsyncIterable<AuditEntry> {
      return {
        async *[Symbol.asyncIterator]() {
          for await (const line of store.lines()) {
            const parsed = parseLine(line);
            if ('problem' in parsed) throw new IntegrityError(`Damaged audit entry: ${parsed.reason}; run verify()`, { operation: 'audit.entries' });
            yield parsed.entry;
          }
        },
      };
    },

    async head() {
      await queue;
      await load();
      return tip;
    },
  };
}
