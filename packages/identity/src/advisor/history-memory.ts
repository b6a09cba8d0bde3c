import type { LoginHistoryStore, LoginRecord } from './types';

/** Options of {@link createMemoryLoginHistory}. */
export interface MemoryLoginHistoryOptions {
  /** Logins kept per user (oldest dropped first). Default 1,000. */
  readonly maxPerUser?: number | undefined;
}

/** An in-memory {@link LoginHistoryStore}. */
export interface MemoryLoginHistory extends LoginHistoryStore {
  /** Logins stored, over all users. */
  readonly size: number;
}

const atMs = (record: LoginRecord) => Date.parse(record.at);

/** Creates an in-memory login history: per user, kept in time order, bounded. */
export function createMemoryLoginHistory(options: MemoryLoginHistoryOptions = {}): MemoryLoginHistory {
  const maxPerUser = options.maxPerUser ?? 1_000;
  const byUser = new Map<string, LoginRecord[]>();
  let size = 0;

  const insert = (record: LoginRecord) => {
    let list = byUser.get(record.userId);
    if (list === undefined) {
      list = [];
      byUser.set(record.userId, list);
    }
    // Logins mostly arrive in order: search from the end.
    const t = atMs(record);
    let i = list.length;
    while (i > 0 && atMs(list[i - 1] as LoginRecord) > t) i--;
    list.splice(i, 0, record);
    size++;
    if (list.length > maxPerUser) {
      list.shift();
      size--;
    }
  };

  return {
    async append(record) {
      insert(record);
    },
    async recent(userId, { before, limit }) {
      const list = byUser.get(userId) ?? [];
      const cut = before.getTime();
      let end = list.length;
      while (end > 0 && atMs(list[end - 1] as LoginRecord) >= cut) end--;
      return list.slice(Math.max(0, end - limit), end);
    },
    async lastLogin(userId) {
      return byUser.get(userId)?.at(-1);
    },
    scan({ since, until }) {
      const from = since.getTime();
      const to = until.getTime();
      return {
        async *[Symbol.asyncIterator]() {
          for (const list of [...byUser.values()]) {
            for (const record of list) {
              const t = atMs(record);
              if (t >= from && t < to) yield record;
            }
          }
        },
      };
    },
    get size() {
      return size;
    },
  };
}

