import type { CapabilitySupport } from '@almanac/core/kit';
import { STORAGE_CAPABILITY_METHODS } from '../spec';
import type { StorageCapability } from '../spec';
import type { StorageRunner } from './kernel';
import type { StorageCapabilitySupport } from './types';

/** The report of `Storage.describeCapabilities`: each capability as the facade provides it. */
export function describeStorageCapabilities(runner: StorageRunner): StorageCapabilitySupport {
  const report: Record<string, CapabilitySupport> = {};
  for (const capability of Object.keys(STORAGE_CAPABILITY_METHODS) as StorageCapability[]) {
    report[capability] = runner.supports(capability) ? 'native' : false;
  }
  report['deleteMany'] = typeof runner.provider.deleteMany === 'function' ? 'native' : 'emulated';
  report['move'] = runner.supports('copy') ? 'native' : 'emulated';
  return Object.freeze(report) as StorageCapabilitySupport;
}
