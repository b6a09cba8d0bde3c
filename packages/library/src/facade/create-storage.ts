import { parse } from '@almanac/core';
import { assertProviderContract, createOperationRunner } from '@almanac/core/kit';
import type { OperationAuditEvent } from '@almanac/core/kit';
import { STORAGE_CAPABILITY_METHODS } from '../spec';
import type { StorageProvider } from '../spec';
import { bucketOperations } from './bucket';
import { describeStorageCapabilities } from './capabilities';
import { createInputSchemas } from './input';
import type { StorageKernel } from './kernel';
import { listingOperations } from './listing';
import { objectSettingOperations } from './object-settings';
import { readOperations } from './reads';
import { storageOptionsSchema } from './schemas';
import { transferOperations } from './transfer';
import type { Storage, StorageAuditEvent, StorageCapabilitySupport, StorageOptions } from './types';
import { writeOperations } from './writes';

const DEFAULT_TIMEOUT_MS = 60_000;

/** The runner's audit event in the shape `StorageOptions.onEvent` has always received. */
function toStorageAuditEvent(event: OperationAuditEvent): StorageAuditEvent {
  const { key, bytes } = event.attributes;
  return {
    action: event.operation,
    provider: event.provider,
    outcome: event.outcome,
    durationMs: event.durationMs,
    ...(typeof key === 'string' ? { key } : {}),
    ...(typeof bytes === 'number' ? { bytes } : {}),
    ...(event.errorCode === undefined ? {} : { errorCode: event.errorCode }),
  };
}

/**
 * Wraps a provider in the {@link Storage} facade, on core's operation runner. Keys are
 * normalised (see {@link normalizeKey}), inputs validated with zod (`ValidationError` naming
 * every bad field), capabilities checked before the provider is touched (`CapabilityError`),
 * each call bounded by `timeoutMs` and the caller's signal (`TimeoutError`/`AbortedError`), and
 * failures are always Almanac errors naming provider and operation (anything else becomes
 * `ProviderError`). Every operation emits one audit event and one OpenTelemetry span
 * (`storage.<operation>`, a no-op until the application registers an SDK).
 *
 * @throws `ConfigError` when `provider` is not a storage provider of contract version `'v1'`
 * (`specificationVersion`); `ValidationError` naming the field for bad `options`.
 */
export function createStorage(provider: StorageProvider, options: StorageOptions = {}): Storage {
  assertProviderContract(provider, { domain: 'storage' });
  const name = provider.name;
  parse(storageOptionsSchema, options, { provider: name, operation: 'createStorage', path: 'options' });
  const onEvent = options.onEvent;
  const runner = createOperationRunner({
    domain: 'storage',
    provider,
    capabilityMethods: STORAGE_CAPABILITY_METHODS,
    defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
    timeoutMs: options.timeoutMs,
    clock: options.clock,
    logger: options.logger,
    onAudit: onEvent === undefined ? undefined : (event) => onEvent(toStorageAuditEvent(event)),
  });
  const capabilities = provider.capabilities;
  const kernel: StorageKernel = {
    runner,
    provider,
    name,
    capabilities,
    logger: runner.logger,
    input: createInputSchemas(capabilities.maxKeyBytes),
    writeTimeoutMs: options.writeTimeoutMs,
    writeMinBytesPerSecond: options.writeMinBytesPerSecond,
  };
  let described: StorageCapabilitySupport | undefined;
  return {
    provider,
    name,
    capabilities,
    supports: (capability) => runner.supports(capability),
    describeCapabilities: () => {
      described ??= describeStorageCapabilities(runner);
      return described;
    },
    ...readOperations(kernel),
    ...writeOperations(kernel),
    ...transferOperations(kernel),
    ...listingOperations(kernel),
    ...bucketOperations(kernel),
    ...objectSettingOperations(kernel),
  };
}
