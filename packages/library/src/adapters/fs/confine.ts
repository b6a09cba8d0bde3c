import { realpath } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { PermissionError } from '@almanac/core';
import { errorCode } from './atomic';

// Keys are encoded so they can never name a path outside the root, but a symbolic link
// placed inside the root (by hand, or by another program) would still be followed by every
// read, write and delete. Each operation resolves the real path of what it touches first.

/** Checks that a path under the root resolves, through any symbolic links, inside the root. */
export type Confinement = (path: string, key: string, operation: string) => Promise<void>;

/**
 * Creates the check for `root`. The deepest existing part of the path is resolved with
 * `realpath` and must equal the root's real path or lie under it; a path that does not exist
 * yet is judged by its nearest existing ancestor (where `mkdir` and the write would go).
 * A race with a link created between the check and the use is not covered.
 */
export function createConfinement(root: string): Confinement {
  let realRoot: string | undefined;
  const resolveRoot = async (): Promise<string | undefined> => {
    if (realRoot === undefined) realRoot = await realpath(root).catch(() => undefined);
    return realRoot;
  };

  return async (path, key, operation) => {
    const base = await resolveRoot();
    // No root yet: nothing exists under it to follow.
    if (base === undefined) return;
    for (let current = path; ; current = dirname(current)) {
      let real: string;
      try {
        real = await realpath(current);
      } catch (error) {
        const code = errorCode(error);
        if ((code === 'ENOENT' || code === 'ENOTDIR') && current !== root && dirname(current) !== current) continue;
        if (code === 'ENOENT' || code === 'ENOTDIR') return;
        throw error;
      }
      if (real !== base && !real.startsWith(base + sep)) {
        throw new PermissionError(`fs: key "${key}" resolves outside the root through a symbolic link; refusing to ${operation} it`, {
          provider: 'fs',
          operation,
        });
      }
      return;
    }
  };
}
