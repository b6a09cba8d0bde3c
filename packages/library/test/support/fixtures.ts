import type { StorageCapabilities } from '../../src/index';

/** A provider that declares nothing (every flag off, no lists), with S3's key length. */
export const NO_CAPABILITIES: StorageCapabilities = {
  list: false,
  listDelimiter: false,
  rangeRead: false,
  multipartWrite: false,
  multipartMinSize: 0,
  signedRead: false,
  signedWrite: false,
  storageClass: false,
  storageClasses: [],
  versioning: false,
  tags: false,
  copy: false,
  conditionalWrite: false,
  checksums: [],
  maxKeyBytes: 1024,
  posture: false,
  restore: false,
};

/** The error a promise rejected with (fails the test when it resolves): the conformance suite's helper. */
export { rejection } from '../../src/testing/conformance/context';

/** The error Node's ESM loader throws for a package that is not installed. */
export function moduleNotFound(pkg: string): Error {
  return Object.assign(new Error(`Cannot find package '${pkg}' imported from /app/node_modules/@almanac/library/dist/adapter.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}
