/**
 * The `Storage` facade: one interface over any `StorageProvider`, with key normalisation,
 * validation, capability checks, deadlines, error mapping and audit events.
 *
 * @packageDocumentation
 */
export { createStorage } from './create-storage';
export { normalizeKey, normalizePrefix, utf8Length } from './keys';
export { collectStream } from './streams';
export type {
  DeleteManyResult,
  ListOptions,
  Listing,
  ReadOptions,
  SignedUrlOptions,
  Storage,
  StorageAuditEvent,
  StorageCallOptions,
  StorageCapabilitySupport,
  StorageOptions,
  WriteBody,
  WriteOptions,
} from './types';
