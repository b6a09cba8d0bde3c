import { finiteNumber } from '../validate';
/**
 * Seeded pseudo-random generator (mulberry32, Tommy Ettinger 2017): 32-bit state, uniform
 * doubles in [0, 1). Oracle never calls `Math.random`, so simulations and tests replay exactly.
 */
export function mulberry32(seed: number): () => number {
  let state = finiteNumber('seed', seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform source by the Box–Muller transform (Box & Muller 1958). */
export function normalSampler(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform();
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}
