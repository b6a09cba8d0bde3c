import type { ConformanceOptions } from '@almanac/core/testing';
import type { Storage } from '../facade/types';

/** Ids of the conformance tests, usable in {@link StorageConformanceOptions.skip}. */
export type ConformanceTestId =
  | 'roundtrip'
  | 'overwrite'
  | 'empty'
  | 'metadata'
  | 'special-keys'
  | 'long-key'
  | 'invalid-keys'
  | 'not-found'
  | 'delete'
  | 'delete-many'
  | 'copy'
  | 'move'
  | 'pagination'
  | 'delimiter'
  | 'range'
  | 'large-object'
  | 'conditional'
  | 'checksum'
  | 'signed-read'
  | 'signed-write'
  | 'signed-write-untyped'
  | 'signed-read-request'
  | 'signed-expiry'
  | 'abort-upload'
  | 'failed-upload'
  | 'storage-class'
  | 'tags'
  | 'versioning'
  | 'posture'
  | 'declarations'
  | 'capabilities';

/**
 * Options of {@link runStorageConformance}: core's one conformance option shape
 * (`{ name, create, destroy, skip }`, see `ConformanceOptions` of `@almanac/core/testing`) plus
 * the storage suite's knobs. `create` builds the storage under test once for the whole suite;
 * `destroy` gets it back after the suite deleted everything it wrote (stop an emulator there).
 */
export interface StorageConformanceOptions extends ConformanceOptions<Storage> {
  /**
   * Tests to skip (keep the reason next to the list), e.g. `['signed-expiry']`, or a predicate
   * on the test's title (`[id] name`). Tests a storage cannot run (missing capabilities) skip
   * themselves.
   */
  readonly skip?: readonly ConformanceTestId[] | ((testName: string) => boolean) | undefined;
  /** Size of the large streamed object; default 21 MB, raised above `multipartMinSize` if needed. */
  readonly largeObjectBytes?: number | undefined;
  /** Keys written for the pagination test (listed with page size 100); default 1,050. */
  readonly paginationKeys?: number | undefined;
  /** Root under which the random run prefix is created; default `almanac-conformance/`. */
  readonly root?: string | undefined;
}
