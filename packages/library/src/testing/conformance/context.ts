import { expect } from 'vitest';
import type { ConformanceSuite } from '@almanac/core/testing';
import type { Storage } from '../../facade/types';
import type { ListEntry } from '../../spec';
import type { StorageConformanceOptions } from '../options';

/** What every test group of one suite run shares: its options, the run prefix and the keys written under it. */
export interface SuiteRun {
  /** The suite's options. */
  readonly options: StorageConformanceOptions;
  /** Registers tests. */
  readonly suite: ConformanceSuite<Storage>;
  /** The random prefix of this run (set once the storage is created). */
  prefix(): string;
  /** A key under the run prefix, remembered so cleanup deletes it. */
  key(name: string): string;
  /** Remembers the bucket's versioning state before the suite changed it, to restore it. */
  rememberVersioning(enabled: boolean): void;
}

/** The error a call failed with; fails the test when the call succeeds. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Asserts `error` is an instance of an Almanac error class (brand-checked, so any copy of core works). */
export function expectError(error: unknown, kind: { isInstance(value: unknown): boolean; name: string }): void {
  expect(kind.isInstance(error), `expected ${kind.name}, got ${String(error)}`).toBe(true);
}

/** Runs `work` over `items`, `limit` at a time. */
export async function mapLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The object keys of listing entries (common prefixes left out). */
export const keysOf = (entries: readonly ListEntry[]): string[] => entries.flatMap((entry) => (entry.type === 'object' ? [entry.key] : []));
