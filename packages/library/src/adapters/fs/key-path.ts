import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ValidationError } from '@almanac/core';
import { checkKey } from '../../facade/keys';
import { ALMANAC_DIR, escapedName, naturalName } from './natural';

/**
 * Portable encoded names. Data files use natural names (`natural.ts`); these encoded names are
 * used for the sidecar folder `<root>/.almanac/meta/`, which mirrors the key tree with every
 * segment encoded, and were the data layout of 0.1 (`migrate.ts` moves such trees). Each
 * `/`-separated key segment becomes one path component that round-trips on any filesystem:
 *
 * - Characters outside `A-Z a-z 0-9 - _ . ~` are percent-encoded as UTF-8 bytes (uppercase hex),
 *   so names are plain ASCII, and `%` itself is always `%25`. A leading or trailing `.` is
 *   encoded too, so no encoded name starts with `.`: dot-names are free for internal files.
 * - An object is stored under the encoding of its last segment; a directory under the encoding of
 *   its segment plus `/` (so `photos/` is the directory `photos%2F`). An object `a` and the
 *   objects under `a/` therefore coexist, and a decoded name is exactly the entry's sort key.
 * - The empty last segment of a key ending in `/` is the object name `%`.
 * - An encoded name longer than {@link MAX_ENCODED_NAME} keeps a readable head and ends with
 *   `%%` plus a SHA-256 of the segment; `%%` never occurs in a plain encoding. The full segment
 *   is then read back from the object's sidecar, or from the `.segment` file of a directory.
 */

/** Encoded names longer than this are hashed. */
export const MAX_ENCODED_NAME = 200;
const HEAD_LENGTH = 96;
/** Marker between a hashed name's head and its hash. */
const HASH_MARKER = '%%';
/** File inside a hashed directory holding its full segment. */
export const SEGMENT_FILE = '.segment';

const PLAIN_NAME = /^[A-Za-z0-9_~-](?:[A-Za-z0-9._~-]*[A-Za-z0-9_~-])?$/;

/** One directory on the way to a key. */
export interface KeyDirectory {
  /** Name of the data directory (natural, or escaped when it must be). */
  readonly name: string;
  /** Encoded name of its mirror in the sidecar folder. */
  readonly metaName: string;
  /** Its sort key: the segment plus `/`. */
  readonly sortKey: string;
}

/** Where one key lives. */
export interface KeyLocation {
  /** Directories from the root. */
  readonly dirs: readonly KeyDirectory[];
  /** Absolute path of the object's directory. */
  readonly dir: string;
  /** Absolute path of the data file under its natural name. */
  readonly file: string;
  /** Absolute path of the data file when a directory holds its natural name (may equal `file`). */
  readonly escapedFile: string;
  /** Absolute path of the mirror directory in the sidecar folder. */
  readonly metaDir: string;
  /** Absolute path of its sidecar. */
  readonly sidecar: string;
}

/**
 * Validates a key with the facade's own rules (`checkKey`: the same rules and messages on every
 * adapter), so the provider is safe on its own too. `.` and `..` segments are refused there;
 * `\\` and `C:` are plain characters on POSIX and escaped on Windows (see `natural.ts`).
 *
 * @throws {@link ValidationError} naming `field`.
 */
export function assertSafeKey(key: string, field = 'key'): void {
  const check = checkKey(key, Number.POSITIVE_INFINITY);
  if (check.ok) return;
  throw new ValidationError(`Invalid ${field}: ${check.message}`, [{ path: field, message: check.message }], { provider: 'fs' });
}

/** Encodes one sort key (a segment, plus `/` for directories) as a file name. */
export function encodeName(sortKey: string): string {
  if (sortKey === '') return '%';
  let encoded = encodeURIComponent(sortKey).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (encoded.startsWith('.')) encoded = `%2E${encoded.slice(1)}`;
  if (encoded.endsWith('.')) encoded = `${encoded.slice(0, -1)}%2E`;
  if (encoded.length <= MAX_ENCODED_NAME) return encoded;
  // Cut the head before any partial escape so it stays decodable for people reading the tree.
  let head = encoded.slice(0, HEAD_LENGTH);
  const partial = head.lastIndexOf('%');
  if (partial > HEAD_LENGTH - 3) head = head.slice(0, partial);
  return `${head}${HASH_MARKER}${createHash('sha256').update(sortKey).digest('hex').slice(0, 40)}`;
}

/** Whether a name is a hashed long name (whose sort key must be read from disk). */
export function isHashedName(name: string): boolean {
  return name.includes(HASH_MARKER);
}

/**
 * Decodes a plain (not hashed) name into its sort key, or `undefined` when the name is not one
 * this adapter wrote (internal dot-files, hand-copied files).
 */
export function decodeName(name: string): string | undefined {
  if (name.startsWith('.') || isHashedName(name)) return undefined;
  if (name === '%') return '';
  // Most names need no decoding: skip the round-trip check, which dominates large listings.
  if (PLAIN_NAME.test(name)) return name;
  let decoded: string;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    return undefined;
  }
  return encodeName(decoded) === name ? decoded : undefined;
}

/** The sidecar folder of `root`: sidecars mirror the key tree under encoded names. */
export function metaRoot(root: string): string {
  return join(root, ALMANAC_DIR, 'meta');
}

/** Maps a validated key to its directory, data file and sidecar under `root`. */
export function locate(root: string, key: string): KeyLocation {
  const segments = key.split('/');
  const last = segments.pop() as string;
  const dirs = segments.map((segment, index): KeyDirectory => {
    const sortKey = `${segment}/`;
    return { name: naturalName(segment, 'dir', index === 0), metaName: encodeName(sortKey), sortKey };
  });
  const dir = join(root, ...dirs.map((d) => d.name));
  const metaDir = join(metaRoot(root), ...dirs.map((d) => d.metaName));
  return {
    dirs,
    dir,
    file: join(dir, naturalName(last, 'object', dirs.length === 0)),
    escapedFile: join(dir, escapedName(last, 'object')),
    metaDir,
    sidecar: join(metaDir, sidecarName(encodeName(last))),
  };
}

/** Sidecar file name of a data file name. */
export function sidecarName(name: string): string {
  return `.${name}.meta.json`;
}

/** Prefix of temp files (kept under `.almanac/tmp`); `sweepTempFiles` removes stale ones. */
export const TEMP_PREFIX = '.tmp-';

/**
 * Compares keys in UTF-8 byte order (the order S3 and GCS list in), which differs from
 * JavaScript's UTF-16 order only between astral characters and U+E000–U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
