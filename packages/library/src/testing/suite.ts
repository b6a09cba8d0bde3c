import { randomUUID } from 'node:crypto';
import { describeConformance } from '@almanac/core/testing';
import type { Storage } from '../facade/types';
import type { StorageCapability } from '../spec';
import { registerCapabilityTests } from './conformance/capabilities';
import { registerContentTests } from './conformance/content';
import type { SuiteRun } from './conformance/context';
import { registerListingTests } from './conformance/listing';
import { registerObjectTests } from './conformance/objects';
import { registerSettingTests } from './conformance/settings';
import { registerSignedUrlTests } from './conformance/signed';
import { registerTransferTests } from './conformance/transfer';
import type { StorageConformanceOptions } from './options';

/** Deletes what the suite wrote (and what a listing finds under its prefix), best effort. */
async function cleanUp(storage: Storage, prefix: string, written: ReadonlySet<string>, versioningWas: boolean | undefined): Promise<void> {
  if (versioningWas === false) await storage.setVersioning(false).catch(() => {});
  const keys = new Set(written);
  if (storage.supports('list')) {
    try {
      for await (const entry of storage.list({ prefix })) if (entry.type === 'object') keys.add(entry.key);
    } catch {
      // Cleanup is best effort; the tracked keys are still deleted below.
    }
  }
  await storage.deleteMany([...keys]).catch(() => {});
}

/**
 * Runs the storage conformance suite (core's `describeConformance`, titled
 * `storage conformance: <name>`): every operation, against a live (or emulated) provider, plus
 * checks that the provider's declared capabilities match what it does. The storage is created
 * once; everything happens under a random prefix, and every key the suite wrote is deleted
 * before `destroy`. Tests the storage cannot run (missing capabilities) are skipped, so one
 * suite serves every adapter. Call it at the top level of a test file.
 */
export function runStorageConformance(options: StorageConformanceOptions): void {
  const root = options.root ?? 'almanac-conformance/';
  let prefix = '';
  let versioningWas: boolean | undefined;
  const written = new Set<string>();

  describeConformance<Storage>(
    'storage',
    options,
    (suite) => {
      suite.afterCreate(() => {
        prefix = `${root}${randomUUID()}/`;
      });
      suite.beforeDestroy((storage) => cleanUp(storage, prefix, written, versioningWas));
      const run: SuiteRun = {
        options,
        suite,
        prefix: () => prefix,
        key(name) {
          const full = `${prefix}${name}`;
          written.add(full.normalize('NFC'));
          return full;
        },
        rememberVersioning(enabled) {
          versioningWas ??= enabled;
        },
      };
      registerObjectTests(run);
      registerTransferTests(run);
      registerListingTests(run);
      registerContentTests(run);
      registerSignedUrlTests(run);
      registerSettingTests(run);
      registerCapabilityTests(run);
    },
    { scope: 'suite', supports: (storage, capability) => storage.supports(capability as StorageCapability) },
  );
}
