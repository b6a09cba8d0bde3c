import { randomFillSync } from 'node:crypto';

// Message ids at ingest rate. Core's `uuidv7` asks the OS for randomness on every call, which
// costs more than validating and storing a message; this generator draws the same
// cryptographic randomness in 4 KB blocks. Ids are RFC 9562 version 7 UUIDs with the 42-bit
// counter of its "fixed-length dedicated counter" method (rand_a and the top 30 bits of rand_b),
// so ids from one generator sort in creation order even within a millisecond, as core's do.

// The two ASCII hex digits of each byte value, so an id is written into a buffer and decoded
// once (concatenating 20 two-character strings made 19 intermediate strings per id).
const HEX_CODES = (() => {
  const codes = new Uint8Array(512);
  const digits = '0123456789abcdef';
  for (let i = 0; i < 256; i++) {
    codes[2 * i] = digits.charCodeAt(i >> 4);
    codes[2 * i + 1] = digits.charCodeAt(i & 15);
  }
  return codes;
})();
// Byte offsets of the 16 bytes in the 36-character text (dashes at 8, 13, 18 and 23).
const OFFSETS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
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
  const bytes = new Uint8Array(16);
  const text = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');
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
    bytes[0] = (msHigh >>> 24) & 0xff;
    bytes[1] = (msHigh >>> 16) & 0xff;
    bytes[2] = (msHigh >>> 8) & 0xff;
    bytes[3] = msHigh & 0xff;
    bytes[4] = (ms >>> 8) & 0xff;
    bytes[5] = ms & 0xff;
    bytes[6] = 0x70 | (high >>> 8);
    bytes[7] = high & 0xff;
    bytes[8] = 0x80 | (low >>> 24);
    bytes[9] = (low >>> 16) & 0xff;
    bytes[10] = (low >>> 8) & 0xff;
    bytes[11] = low & 0xff;
    for (let i = 12; i < 16; i++) bytes[i] = take();
    for (let i = 0; i < 16; i++) {
      const at = OFFSETS[i] as number;
      const byte = bytes[i] as number;
      text[at] = HEX_CODES[2 * byte] as number;
      text[at + 1] = HEX_CODES[2 * byte + 1] as number;
    }
    return text.toString('latin1', 0, 36);
  };
}
