import { createHash } from 'node:crypto';
import type { BigIntStats, Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ListEntry, ObjectInfo } from '../../spec';
import type { Sidecar } from './sidecar';

/**
 * The stat fields descriptions use, from bigint stats (reads, writes, `stat`) or number stats
 * (listings: a number stat costs about a third less than a bigint one, which builds a BigInt per
 * field). Both give the same answers as long as the inode number is a safe integer; listings
 * fall back to a bigint stat when it is not.
 */
export type FileStats = Pick<BigIntStats, 'ino' | 'size' | 'mtimeNs' | 'mtimeMs'> | Pick<Stats, 'ino' | 'size' | 'mtimeMs'>;

/**
 * Modification time in milliseconds as Node's number stats compute it (`sec * 1e3 + nsec / 1e6`,
 * a double), so bigint and number stats of the same file give the same value.
 */
function mtimeMsOf(stats: FileStats): number {
  if (!('mtimeNs' in stats)) return stats.mtimeMs;
  const ns = stats.mtimeNs;
  return Number(ns / 1_000_000_000n) * 1000 + Number(ns % 1_000_000_000n) / 1_000_000;
}

/**
 * Whether a sidecar describes the data file as it is now. A sidecar is matched to its data
 * file by inode and size, so a crash between renaming the data and its sidecar, or a file
 * replaced by hand, never shows another version's metadata.
 */
export function sidecarMatches(stats: FileStats, sidecar: Sidecar | undefined): sidecar is Sidecar {
  return sidecar !== undefined && sidecar.ino === String(stats.ino) && sidecar.size === Number(stats.size);
}

/**
 * The etag: the content's SHA-256 (hex) when the sidecar matches; otherwise, for files the
 * adapter did not write, inode, size and modification time (µs, finer than the kernel's
 * timestamp tick), which change whenever the file is replaced or rewritten (not
 * hashed: listings compute one per file).
 */
export function etagOf(stats: FileStats, sidecar: Sidecar | undefined): string {
  if (sidecarMatches(stats, sidecar)) return sidecar.sha256;
  // Decimal: V8 converts numbers to base 10 several times faster than to any other radix.
  return `w-${stats.ino}-${stats.size}-${Math.round(mtimeMsOf(stats) * 1000)}`;
}

/** Builds the {@link ObjectInfo} of a data file and its sidecar. */
export function toObjectInfo(key: string, stats: FileStats, sidecar: Sidecar | undefined, file: string): ObjectInfo {
  const matched = sidecarMatches(stats, sidecar);
  return {
    key,
    size: Number(stats.size),
    lastModified: new Date(Math.trunc(mtimeMsOf(stats))),
    etag: etagOf(stats, sidecar),
    ...(matched && sidecar.contentType !== undefined ? { contentType: sidecar.contentType } : {}),
    metadata: matched ? { ...sidecar.metadata } : {},
    ...(matched ? { checksum: { algorithm: 'sha256' as const, value: sidecar.sha256 } } : {}),
    raw: { path: file, sidecar: matched ? sidecar : undefined },
  };
}

/**
 * {@link toObjectInfo} as a list entry, built in one object literal: listings make one per file,
 * and spreading a finished `ObjectInfo` into a new object costs a second allocation and copy.
 */
export function listedObject(key: string, stats: FileStats, sidecar: Sidecar | undefined, file: string): ListEntry {
  if (!sidecarMatches(stats, sidecar)) {
    return {
      type: 'object',
      key,
      size: Number(stats.size),
      lastModified: new Date(Math.trunc(mtimeMsOf(stats))),
      etag: etagOf(stats, undefined),
      metadata: {},
      raw: { path: file, sidecar: undefined },
    };
  }
  return { type: 'object', ...toObjectInfo(key, stats, sidecar, file) };
}

/** SHA-256 (hex) of a file's content, for files written without a sidecar. */
export async function sha256OfFile(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}
