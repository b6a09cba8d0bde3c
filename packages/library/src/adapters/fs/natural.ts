import { utf8Length } from '../../facade/keys';
import { decodeName, encodeName, isHashedName } from './key-path';

/**
 * Natural file names: the key `a/b/c.txt` is the file `<root>/a/b/c.txt`, so the tree can be
 * browsed, served by a static server, or be an existing folder. A segment is escaped only when
 * the filesystem cannot hold it as is, or when it would be mistaken for something else:
 *
 * - the empty segment (`a//b`, or a key ending in `/`), which no filesystem can name;
 * - a segment longer than 255 UTF-8 bytes (the limit of ext4, APFS, NTFS and most others);
 * - `.almanac` at the root, the adapter's own folder (sidecars, temp files, layout marker);
 * - a segment that itself starts with the escape marker `.%`, so escaped names stay unambiguous;
 * - on Windows, segments holding `< > : " \ | ? *`, ending in `.` or space, or named like a device (`CON`, `NUL`, `COM1`…);
 * - an object whose natural name is taken by a directory (the object `a` next to keys under
 *   `a/`): that object is the file `.%a` instead, and is moved there when the directory appears.
 *
 * An escaped name is `.%` followed by the segment's portable encoding (`encodeName`, plus `/`
 * for a directory), which is plain ASCII, starts with a dot (hidden by convention), and for a
 * segment too long to hold ends with a hash; the full segment is then read from the sidecar
 * folder (see `key-path.ts`).
 */

/** The adapter's own folder at the root. */
export const ALMANAC_DIR = '.almanac';
/** Prefix of escaped names. */
export const ESCAPE_MARKER = '.%';
/** Longest natural name, in UTF-8 bytes. */
export const MAX_NAME_BYTES = 255;

const WINDOWS_FORBIDDEN = /[<>:"\\|?*]|[. ]$/;
const WINDOWS_DEVICE = /^(?:CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(?:\..*)?$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: names with control characters are not keys
const NOT_A_KEY = /[\u0000-\u001f\u007f-\u009f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;

/** What kind of entry a name is for. */
export type EntryKind = 'object' | 'dir';

/** Whether `segment` cannot be stored under its own name. */
export function needsEscape(segment: string, atRoot: boolean, platform: NodeJS.Platform = process.platform): boolean {
  if (segment === '' || segment === '.' || segment === '..' || segment.startsWith(ESCAPE_MARKER)) return true;
  if (atRoot && segment === ALMANAC_DIR) return true;
  if (utf8Length(segment) > MAX_NAME_BYTES) return true;
  return platform === 'win32' && (WINDOWS_FORBIDDEN.test(segment) || WINDOWS_DEVICE.test(segment));
}

/** The escaped name of a segment (see the module comment). */
export function escapedName(segment: string, kind: EntryKind): string {
  return ESCAPE_MARKER + encodeName(kind === 'dir' ? `${segment}/` : segment);
}

/** The name a segment is stored under when nothing collides with it. */
export function naturalName(segment: string, kind: EntryKind, atRoot: boolean, platform: NodeJS.Platform = process.platform): string {
  return needsEscape(segment, atRoot, platform) ? escapedName(segment, kind) : segment;
}

/** How a directory entry maps back to a sort key. */
export type DecodedChild =
  | { readonly kind: 'key'; readonly sortKey: string; readonly escaped: boolean }
  /** An escaped name whose segment was hashed: `encoded` names its sidecar (or `.segment` file). */
  | { readonly kind: 'hashed'; readonly encoded: string }
  | { readonly kind: 'skip' };

const SKIP: DecodedChild = { kind: 'skip' };

/**
 * Maps a directory entry to its sort key (the segment, plus `/` for a directory). Entries that
 * cannot be keys are skipped: the adapter's folder, names with control characters, names not in
 * Unicode NFC (keys are NFC, so such a file could never be read by its key), and escaped names
 * this adapter would not have written.
 */
export function decodeChild(name: string, isDir: boolean, atRoot: boolean, platform: NodeJS.Platform = process.platform): DecodedChild {
  if (name.startsWith(ESCAPE_MARKER)) {
    const encoded = name.slice(ESCAPE_MARKER.length);
    if (isHashedName(encoded)) return { kind: 'hashed', encoded };
    const sortKey = decodeName(encoded);
    if (sortKey === undefined || isDir !== sortKey.endsWith('/')) return SKIP;
    // A directory is escaped only when it must be; objects also when a directory took their name.
    if (isDir && !needsEscape(sortKey.slice(0, -1), atRoot, platform)) return SKIP;
    return { kind: 'key', sortKey, escaped: true };
  }
  if (atRoot && name === ALMANAC_DIR) return SKIP;
  if (!PRINTABLE_ASCII.test(name) && (NOT_A_KEY.test(name) || name.normalize('NFC') !== name)) return SKIP;
  if (platform === 'win32' && needsEscape(name, atRoot, platform)) return SKIP;
  return { kind: 'key', sortKey: isDir ? `${name}/` : name, escaped: false };
}
