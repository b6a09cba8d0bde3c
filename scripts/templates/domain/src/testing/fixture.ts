import type { __Domain__Item } from '../spec';

/** What every adapter under test is seeded with before the suite runs. */
export interface __Domain__Fixture {
  /** Items present in the provider, ordered by id. */
  readonly items: readonly __Domain__Item[];
  /** An id no item has. */
  readonly missingId: string;
}

/** The canonical fixture: three items, two of whose names contain `alpha` in different cases. */
export const __DOMAIN___FIXTURE: __Domain__Fixture = Object.freeze({
  items: Object.freeze([
    Object.freeze({ id: 'item-1', name: 'Alpha one' }),
    Object.freeze({ id: 'item-2', name: 'Beta two' }),
    Object.freeze({ id: 'item-3', name: 'Second ALPHA' }),
  ]),
  missingId: 'item-missing',
});
