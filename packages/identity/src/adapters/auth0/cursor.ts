import { ValidationError } from '@almanac/core';
import { PROVIDER } from './options';

/** Where a listing stands: zero-based page and page size (the page number means nothing without it). */
export interface PagePosition {
  readonly page: number;
  readonly perPage: number;
}

/** Opaque cursor for a position. */
export function encodeCursor(position: PagePosition): string {
  return Buffer.from(`${position.page}:${position.perPage}`, 'utf8').toString('base64url');
}

/** The position of a cursor from {@link encodeCursor}; `ValidationError` naming `cursor` otherwise. */
export function decodeCursor(cursor: string): PagePosition {
  const match = /^(\d{1,6}):(\d{1,3})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const page = Number(match?.[1]);
  const perPage = Number(match?.[2]);
  if (match === null || !(perPage >= 1 && perPage <= 100)) {
    throw new ValidationError(undefined, [{ path: 'cursor', message: 'is not a cursor returned by this adapter' }], { provider: PROVIDER });
  }
  return { page, perPage };
}
