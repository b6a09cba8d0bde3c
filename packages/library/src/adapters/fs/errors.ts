import { AlmanacError, NotFoundError, PermissionError, ProviderError } from '@almanac/core';
import { errorCode } from './atomic';

/** Maps a Node.js filesystem error to the Almanac hierarchy; Almanac errors pass through. */
export function toFsError(error: unknown, operation: string, key?: string): Error {
  if (AlmanacError.isInstance(error)) return error;
  const where = key === undefined ? '' : ` for key "${key}"`;
  const options = { provider: 'fs', operation, cause: error };
  switch (errorCode(error)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new NotFoundError(`Object not found${where}`, options);
    case 'EACCES':
    case 'EPERM':
      return new PermissionError(`Permission denied${where}`, options);
    case 'EMFILE':
    case 'ENFILE':
    case 'EBUSY':
    case 'EAGAIN':
      return new ProviderError(`Filesystem busy${where}`, { ...options, retryable: true });
    default:
      return new ProviderError(`Filesystem ${operation} failed${where}`, options);
  }
}
