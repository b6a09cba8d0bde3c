import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ObjectInfo } from '../../spec';
import type { Sidecar } from './sidecar';

/**
 * Whether a sidecar describes the data file as it is now. A sidecar is matched to its data
 * file by inode and size, so a crash between renaming the data and its sidecar, or a file
 * replaced by hand, never shows another version's metadata.
 */
export function sidecarMatches(stats: BigIntStats, sidecar: Sidecar | undefined): sidecar is Sidecar {
  return sidecar !== undefined && sidecar.ino === stats.ino.toString() && sidecar.size === Number(stats.size);
}

/**
 * The etag: the content's SHA-256 (hex) when the sidecar matches; otherwise, for files the
 * adapter did not write, inode, size and modification time (ns) in base 36, which change
 * whenever the file is replaced or rewritten (not hashed: listings compute one per file).
 */
export function etagOf(stats: BigIntStats, sidecar: Sidecar | undefined): string {
  if (sidecarMatches(stats, sidecar)) return sidecar.sha256;
  return `w-${stats.ino.toString(36)}-${stats.size.toString(36)}-${stats.mtimeNs.toString(36)}`;
}

/** Builds the {@link ObjectInfo} of a data file and its sidecar. */
export function toObjectInfo(key: string, stats: BigIntStats, sidecar: Sidecar | undefined, file: string): ObjectInfo {
  const matched = sidecarMatches(stats, sidecar);
  return {
    key,
    size: Number(stats.size),
    lastModified: new Date(Number(stats.mtimeMs)),
    etag: etagOf(stats, sidecar),
    ...(matched && sidecar.contentType !== undefined ? { contentType: sidecar.contentType } : {}),
    metadata: matched ? { ...sidecar.metadata } : {},
    ...(matched ? { checksum: { algorithm: 'sha256' as const, value: sidecar.sha256 } } : {}),
    raw: { path: file, sidecar: matched ? sidecar : undefined },
  };
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
