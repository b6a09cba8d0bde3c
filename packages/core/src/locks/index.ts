/**
 * Locks: the {@link Lock} interface (expiring leases with fencing tokens) and its in-process
 * implementation. `@almanac/core/redis` has one shared between instances.
 *
 * @packageDocumentation
 */
export type { Lock, LockAcquireOptions, LockLease } from './types';
export { createMemoryLock } from './memory-lock';
export type { MemoryLockOptions } from './memory-lock';
export { withLock } from './with-lock';
