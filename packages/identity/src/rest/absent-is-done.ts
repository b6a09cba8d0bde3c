import { NotFoundError } from '@almanac/core';

/**
 * Runs a removal (a user's DELETE, a membership's `$ref` DELETE) for which a `NotFoundError`
 * means the caller's goal already holds, so removing twice has the effect of once; any other
 * failure is thrown.
 */
export async function absentIsDone(remove: () => Promise<unknown>): Promise<void> {
  try {
    await remove();
  } catch (error) {
    if (!NotFoundError.isInstance(error)) throw error;
  }
}
