import { CapabilityError } from '@almanac/core';
import { checkCapabilityTable } from '@almanac/core/testing';
import type { CapabilityCalls } from '@almanac/core/testing';
import { expect } from 'vitest';
import { createStorage } from '../../facade/create-storage';
import type { Storage } from '../../facade/types';
import { STORAGE_CAPABILITY_METHODS, STORAGE_SPECIFICATION_VERSION } from '../../spec';
import type { ChecksumAlgorithm, StorageCapability } from '../../spec';
import type { SuiteRun } from './context';
import { expectError, rejection } from './context';

const CHECKSUMS: Readonly<Record<ChecksumAlgorithm, string>> = { md5: '0'.repeat(32), sha256: '0'.repeat(64), crc32c: 'AAAAAA==' };

// `multipartWrite` changes how large writes are sent but refuses nothing, so no facade call can
// prove it is off; when declared, the [large-object] test proves it works.
const { multipartWrite: _behaviourOnly, ...REFUSABLE } = STORAGE_CAPABILITY_METHODS;

/**
 * Checks what a storage's provider declares: contract version `'v1'`, flag types, the spec's
 * couplings between flags, and that `describeCapabilities()` agrees with `supports()`.
 *
 * @internal
 */
export function checkDeclarations(storage: Storage): void {
  const { provider } = storage;
  const flags = provider.capabilities;
  expect(provider.specificationVersion).toBe(STORAGE_SPECIFICATION_VERSION);
  for (const capability of Object.keys(STORAGE_CAPABILITY_METHODS) as StorageCapability[]) {
    expect(typeof flags[capability], `capabilities.${capability}`).toBe('boolean');
  }
  expect(Number.isInteger(flags.maxKeyBytes) && flags.maxKeyBytes > 0, 'capabilities.maxKeyBytes is a positive integer').toBe(true);
  expect(flags.checksums.every((algorithm) => algorithm in CHECKSUMS), 'capabilities.checksums are md5, sha256 or crc32c').toBe(true);
  // The spec's documented couplings between flags.
  expect(flags.storageClasses.length > 0, 'storageClasses is non-empty exactly when storageClass is true').toBe(flags.storageClass);
  if (!flags.multipartWrite) expect(flags.multipartMinSize, 'multipartMinSize is 0 without multipartWrite').toBe(0);
  if (flags.listDelimiter) expect(flags.list, 'listDelimiter refines list').toBe(true);
  // The facade's report agrees with supports(), and says how it builds what the provider lacks.
  const report = storage.describeCapabilities();
  for (const capability of Object.keys(STORAGE_CAPABILITY_METHODS) as StorageCapability[]) {
    expect(report[capability], `describeCapabilities().${capability}`).toBe(storage.supports(capability) ? 'native' : false);
  }
  expect(report.deleteMany, 'describeCapabilities().deleteMany').toBe(typeof provider.deleteMany === 'function' ? 'native' : 'emulated');
  expect(report.move, 'describeCapabilities().move').toBe(storage.supports('copy') ? 'native' : 'emulated');
}

/**
 * Checks the capability table against the provider (declared ⇒ its methods exist; undeclared ⇒
 * the facade refuses with `CapabilityError` before calling the provider), and that checksum
 * algorithms the provider does not list are refused too. `key` names keys the calls may use
 * (never written).
 *
 * @internal
 */
export async function checkRefusals(storage: Storage, key: (name: string) => string): Promise<void> {
  const k = key('capabilities.txt');
  const calls: CapabilityCalls<Storage> = {
    list: (s) => s.list(),
    listDelimiter: (s) => s.list({ delimiter: '/' }),
    rangeRead: (s) => s.readBytes(k, { range: { start: 0, end: 1 } }),
    signedRead: (s) => s.signedUrl(k, { action: 'read', expiresIn: 60 }),
    signedWrite: (s) => s.signedUrl(k, { action: 'write', expiresIn: 60 }),
    storageClass: (s) => s.setStorageClass(k, 'STANDARD'),
    versioning: (s) => s.getVersioning(),
    tags: (s) => s.getTags(k),
    copy: (s) => s.copy(k, key('capabilities-copy.txt')),
    conditionalWrite: (s) => s.write(k, 'x', { ifNoneMatch: '*' }),
    posture: (s) => s.posture(),
    restore: (s) => s.restore(k, { days: 1 }),
  };
  await checkCapabilityTable({ provider: storage.provider, capabilityMethods: REFUSABLE, facade: (provider) => createStorage(provider), calls });
  // Checksums are a list, not a flag: an algorithm the provider does not verify is refused too.
  for (const algorithm of Object.keys(CHECKSUMS) as ChecksumAlgorithm[]) {
    if (storage.capabilities.checksums.includes(algorithm)) continue;
    const error = await rejection(storage.write(k, 'x', { checksum: { algorithm, value: CHECKSUMS[algorithm] } }));
    expectError(error, CapabilityError);
    expect((error as CapabilityError).message).toContain(storage.name);
  }
}

/**
 * Whether what a provider declares matches what it does (see {@link checkDeclarations} and
 * {@link checkRefusals}). Declared capabilities are also exercised by the behavioural tests they
 * gate (copy, range, conditional, …).
 */
export function registerCapabilityTests(run: SuiteRun): void {
  run.suite.test('declares specificationVersion v1 and consistent capability flags', (storage) => checkDeclarations(storage), {
    id: 'declarations',
  });
  run.suite.test(
    'refuses unsupported operations with CapabilityError before calling the provider',
    (storage) => checkRefusals(storage, run.key),
    { id: 'capabilities' },
  );
}
