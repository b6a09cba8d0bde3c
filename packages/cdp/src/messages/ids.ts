import { randomFillSync } from 'node:crypto';

// Message ids at ingest rate. Core's `uuidv7` asks the OS for randomness on every call, which
// costs more than validating and storing a message; this generator draws the same
// cryptographic randomness in 4 KB blocks. Ids are RFC 9562 version 7 UUIDs with the 42-bit
// counter of its "fixed-length dedicated counter" method (rand_a and the top 30 bits of rand_b),
// so ids from one generator sort in creation order even within a millisecond, as core's do.

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex = (byte: number): string => HEX[byte] as string;
const POOL_BYTES = 4096;
const COUNTER_MAX = 2 ** 42 - 1;

/** Returns a generator of UUID v7 strings, time-ordered and unique per generator. Internal. */
export function createMessageIds(now: () => number = Date.now): () => string {
  const pool = new Uint8Array(POOL_BYTES);
  let at = POOL_BYTES;
  const take = (): number => {
    if (at >= POOL_BYTES) {
      randomFillSync(pool);
      at = 0;
    }
    return pool[at++] as number;
  };
  let lastMs = -1;
  let counter = 0;
  return () => {
    let ms = now();
    if (ms > lastMs) {
      // A fresh random start each millisecond, top bit clear so the counter has room to grow.
      counter = (take() & 0x01) * 2 ** 40 + take() * 2 ** 32 + take() * 2 ** 24 + take() * 2 ** 16 + take() * 2 ** 8 + take();
      lastMs = ms;
    } else {
      ms = lastMs; // the clock stood still or stepped back: stay ordered
      counter += 1;
      if (counter > COUNTER_MAX) {
        lastMs += 1; // counter exhausted: borrow the next millisecond, as RFC 9562 allows
        ms = lastMs;
        counter = 0;
      }
    }
    const high = Math.floor(counter / 2 ** 30); // 12 bits: rand_a
    const low = counter % 2 ** 30; // 30 bits: top of rand_b
    const msHigh = Math.floor(ms / 2 ** 16);
    return (
      hex((msHigh >>> 24) & 0xff) +
      hex((msHigh >>> 16) & 0xff) +
      hex((msHigh >>> 8) & 0xff) +
      hex(msHigh & 0xff) +
      '-' +
      hex((ms >>> 8) & 0xff) +
      hex(ms & 0xff) +
      '-' +
      hex(0x70 | (high >>> 8)) +
      hex(high & 0xff) +
      '-' +
      hex(0x80 | (low >>> 24)) +
      hex((low >>> 16) & 0xff) +
      '-' +
      hex((low >>> 8) & 0xff) +
      hex(low & 0xff) +
      hex(take()) +
      hex(take()) +
      hex(take()) +
      hex(take())
    );
  };
}
