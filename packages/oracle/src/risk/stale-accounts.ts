import { OracleTypeError } from '../errors';
import { DAY_MS } from '../time/civil';
import { array, finiteNumber, instant, object } from '../validate';

/** An account as {@link findStaleAccounts} needs it. */
export interface AccountActivity {
  /** Account id. */
  readonly id: string;
  /** When the account was created. */
  readonly createdAt: Date | string;
  /** Latest login; absent or `null` if the account never logged in. */
  readonly lastLoginAt?: Date | string | null | undefined;
}

/** Options of {@link findStaleAccounts}. */
export interface StaleAccountOptions {
  /** Reference instant; required, since oracle never reads the clock. */
  readonly now: Date | string;
  /** Inactivity (days, ≥ 0) from which an account is stale. Default 90. */
  readonly inactiveDays?: number | undefined;
}

/** One stale account. */
export interface StaleAccount {
  /** Account id. */
  readonly id: string;
  /** Whole days since the last login, or since creation if it never logged in. */
  readonly inactiveDays: number;
  /** True when the account has no login at all. */
  readonly neverLoggedIn: boolean;
}

/**
 * `findStaleAccounts`: accounts idle for at least `inactiveDays` (default 90) before `now`,
 * most inactive first (ties by id, so the order is deterministic). Never-logged-in accounts
 * count from `createdAt`; instants after `now` count as 0 days idle.
 */
export function findStaleAccounts(users: readonly AccountActivity[], options: StaleAccountOptions): StaleAccount[] {
  const list = array('users', users);
  const o = object('options', options);
  const now = instant('options.now', o['now']);
  const limitDays = o['inactiveDays'] === undefined ? 90 : finiteNumber('options.inactiveDays', o['inactiveDays'], { min: 0 });
  const limitMs = limitDays * DAY_MS;
  const stale: { id: string; idleMs: number; neverLoggedIn: boolean }[] = [];
  for (let i = 0; i < list.length; i++) {
    const u = object(`users[${i}]`, list[i]);
    const id = u['id'];
    if (typeof id !== 'string') throw new OracleTypeError(`users[${i}].id`, `expected a string, got ${id === null ? 'null' : typeof id}`);
    const createdAt = instant(`users[${i}].createdAt`, u['createdAt']);
    const last = u['lastLoginAt'] == null ? undefined : instant(`users[${i}].lastLoginAt`, u['lastLoginAt']);
    const idleMs = Math.max(0, now - (last ?? createdAt));
    if (idleMs >= limitMs) stale.push({ id, idleMs, neverLoggedIn: last === undefined });
  }
  stale.sort((a, b) => b.idleMs - a.idleMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return stale.map((s) => ({ id: s.id, inactiveDays: Math.floor(s.idleMs / DAY_MS), neverLoggedIn: s.neverLoggedIn }));
}
