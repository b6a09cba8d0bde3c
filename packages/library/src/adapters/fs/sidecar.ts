import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as z from '@almanac/core/schema';

/** What the adapter keeps next to each data file (see `fsSidecarSchema`). */
export interface Sidecar {
  /** Format version. */
  readonly v: 1;
  /** The object key, needed to list objects whose file name is hashed. */
  readonly key: string;
  /** Inode of the data file this sidecar describes, so a stale sidecar is never trusted. */
  readonly ino: string;
  /** Size of that data file. */
  readonly size: number;
  /** SHA-256 of the content, hex; also the etag. */
  readonly sha256: string;
  /** MD5 of the content, hex, when it was asked for on write. */
  readonly md5?: string | undefined;
  /** Content type. */
  readonly contentType?: string | undefined;
  /** User metadata. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Object tags. */
  readonly tags: Readonly<Record<string, string>>;
}

const sidecarSchema = z.object({
  v: z.literal(1),
  key: z.string(),
  ino: z.string(),
  size: z.number(),
  sha256: z.string(),
  md5: z.string().optional(),
  contentType: z.string().optional(),
  metadata: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()),
});

/** Reads a sidecar; `undefined` when missing or unreadable (the data file is still served). */
export async function readSidecar(path: string): Promise<Sidecar | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  return parseSidecar(text);
}

/**
 * {@link readSidecar} without a round trip to the thread pool, for listings: an awaited read
 * per object costs several times the read itself when pages hold a thousand objects.
 */
export function readSidecarSync(path: string): Sidecar | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  return parseSidecar(text);
}

function parseSidecar(text: string): Sidecar | undefined {
  try {
    const parsed = sidecarSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as Sidecar) : undefined;
  } catch {
    return undefined;
  }
}

/** Serialises a sidecar. */
export function serializeSidecar(sidecar: Sidecar): string {
  return JSON.stringify(sidecar);
}
