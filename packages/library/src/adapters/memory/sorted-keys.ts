/**
 * Compares keys in code-point order, which is UTF-8 byte order — the order S3, GCS and Azure
 * list in. Plain `<` compares UTF-16 code units, which puts U+E000–U+FFFF after astral characters.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Move surrogates (astral characters) above U+E000–U+FFFF, where their code points belong.
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The keys of a store in listing order. Writes only append to a pending list; the sorted array
 * is rebuilt (one sort of the new keys and one linear merge) the next time a listing needs it, so
 * bulk loads cost O(n log n) once instead of O(n) per insert, and listings binary-search.
 */
export class SortedKeys {
  private sorted: string[] = [];
  private pending: string[] = [];
  private removed = 0;

  /** `isLive(key)` tells whether a key still exists; the owner's map stays the source of truth. */
  constructor(private readonly isLive: (key: string) => boolean) {}

  /** Records a new key (call only when the key did not exist). */
  add(key: string): void {
    this.pending.push(key);
  }

  /** Records that a key was removed. */
  remove(): void {
    this.removed++;
  }

  /** The sorted live keys. Do not mutate. */
  view(): readonly string[] {
    if (this.pending.length === 0 && this.removed === 0) return this.sorted;
    const live = this.removed === 0 ? this.sorted : this.sorted.filter(this.isLive);
    const fresh = [...new Set(this.pending.filter(this.isLive))].sort(compareKeys);
    this.sorted = fresh.length === 0 ? live : merge(live, fresh);
    this.pending = [];
    this.removed = 0;
    return this.sorted;
  }

  /** Index of the first key `>= target` (or `> target` when `exclusive`). */
  lowerBound(target: string, exclusive = false): number {
    const keys = this.view();
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const order = compareKeys(keys[mid] as string, target);
      if (order < 0 || (exclusive && order === 0)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Index of the first key from `from` on that neither starts with `prefix` nor sorts before it. */
  afterPrefix(prefix: string, from = 0): number {
    const keys = this.view();
    let low = from;
    let high = keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const key = keys[mid] as string;
      if (key.startsWith(prefix) || compareKeys(key, prefix) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function merge(a: readonly string[], b: readonly string[]): string[] {
  const out = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as string;
    const y = b[j] as string;
    const order = compareKeys(x, y);
    if (order <= 0) {
      out[k++] = x;
      i++;
      if (order === 0) j++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++] as string;
  while (j < b.length) out[k++] = b[j++] as string;
  out.length = k;
  return out;
}
