/** One stored user. The password exists only as its scrypt hash. */
export interface UserRecord {
  id: string;
  email: string;
  /** Lower-cased email: the unique key and the search key. */
  emailKey: string;
  name: string;
  /** Lower-cased name: the search key. */
  nameKey: string;
  blocked: boolean;
  createdAt: number;
  lastLoginAt?: number | undefined;
  lastLoginIp?: string | undefined;
  mfaMethods: string[];
  roles: Set<string>;
  groups: Set<string>;
  metadata: Record<string, unknown>;
  passwordHash?: string | undefined;
  connection: string;
  sessionsRevokedAt?: number | undefined;
}

/** Case folding used for emails and search. */
export const lower = (value: string): string => value.toLowerCase();

/**
 * Users by id, by email, and in id order. Listing pages resume after the last id returned
 * (binary search), so users created or deleted between pages never make a page skip or
 * repeat anyone else.
 */
export class UserTable {
  readonly #byId = new Map<string, UserRecord>();
  readonly #byEmail = new Map<string, UserRecord>();
  // Sorted ids; holes are never left (deletes splice).
  #order: string[] = [];
  readonly #reserved = new Set<string>();

  /** Number of users. */
  get size(): number {
    return this.#byId.size;
  }

  /** Whether an id is taken (stored or reserved for a seed). */
  has(id: string): boolean {
    return this.#byId.has(id) || this.#reserved.has(id);
  }

  /** Marks a seed's explicit id as taken before generated ids are drawn. */
  reserve(id: string): void {
    this.#reserved.add(id);
  }

  /** Bulk insert of seeds: one sort instead of one splice per user. */
  load(records: readonly UserRecord[]): void {
    for (const record of records) {
      this.#byId.set(record.id, record);
      this.#byEmail.set(record.emailKey, record);
    }
    this.#order = [...this.#byId.keys()].sort(compare);
    this.#reserved.clear();
  }

  /** The user with this id. */
  get(id: string): UserRecord | undefined {
    return this.#byId.get(id);
  }

  /** The user with this lower-cased email. */
  byEmail(emailKey: string): UserRecord | undefined {
    return this.#byEmail.get(emailKey);
  }

  /** Adds a new user (id and email must be free). */
  insert(record: UserRecord): void {
    this.#byId.set(record.id, record);
    this.#byEmail.set(record.emailKey, record);
    this.#order.splice(lowerBound(this.#order, record.id), 0, record.id);
  }

  /** Changes a user's email and its index entry. */
  reindexEmail(record: UserRecord, email: string): void {
    this.#byEmail.delete(record.emailKey);
    record.email = email;
    record.emailKey = lower(email);
    this.#byEmail.set(record.emailKey, record);
  }

  /** Removes a user; no-op when absent. */
  delete(id: string): void {
    const record = this.#byId.get(id);
    if (record === undefined) return;
    this.#byId.delete(id);
    this.#byEmail.delete(record.emailKey);
    const at = lowerBound(this.#order, id);
    if (this.#order[at] === id) this.#order.splice(at, 1);
  }

  /** Position of the first id after `id` (which may since have been deleted). */
  positionAfter(id: string): number {
    const at = lowerBound(this.#order, id);
    return this.#order[at] === id ? at + 1 : at;
  }

  /** Users in id order from a position. */
  *from(position: number): IterableIterator<UserRecord> {
    const order = this.#order;
    for (let i = position; i < order.length; i++) {
      const record = this.#byId.get(order[i] as string);
      if (record !== undefined) yield record;
    }
  }
}

// Code-unit order, the same everywhere (localeCompare would depend on the runtime's locale).
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(sorted: readonly string[], id: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
