import { mulberry32 } from '@almanac/oracle';

/**
 * Seeded randomness for the simulator. Metric noise is a pure function of (seed, key, index)
 * rather than a stream, so the same query always returns the same values whatever was asked
 * before it; ids and task start jitter draw from a sequential stream.
 */

/** 32-bit FNV-1a of `text`, mixed with `seed`. */
export function hash32(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A uniform draw in [0, 1) fixed by (key, index); `key` comes from {@link hash32}. */
export function uniformAt(key: number, index: number): number {
  // The index goes through a multiplier so neighbouring indices give unrelated states.
  return mulberry32((key ^ Math.imul(index, 0x9e3779b1)) >>> 0)();
}

/** A standard normal draw fixed by (key, index) (Box–Muller over two draws of one generator). */
export function normalAt(key: number, index: number): number {
  const next = mulberry32((key ^ Math.imul(index, 0x9e3779b1)) >>> 0);
  const u = 1 - next();
  const v = next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A sequential generator (ids, jitter). */
export function sequence(seed: number): () => number {
  return mulberry32(seed);
}

/** `length` lowercase hex digits from `next`. */
export function hexId(next: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, length);
}
