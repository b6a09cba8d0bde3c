import * as zlib from 'node:zlib';

// CRC-32 (IEEE 802.3, the zlib/PNG polynomial). Node's native `zlib.crc32` (Node ≥ 20.15 and
// ≥ 22.2) is several times faster than a table loop in JS; older runtimes use the table.
const TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 of `bytes[start, end)` computed in JS (the fallback; also the reference in tests). */
export function crc32Table(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = -1;
  for (let i = start; i < end; i++) crc = (TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

const native = (zlib as { crc32?: ((data: Uint8Array, value?: number) => number) | undefined }).crc32;

/** Whether the native `zlib.crc32` is used. */
export const nativeCrc32: boolean = typeof native === 'function';

/** CRC-32 of `bytes[start, end)` as an unsigned 32-bit number. */
export const crc32: (bytes: Uint8Array, start?: number, end?: number) => number = native
  ? (bytes, start = 0, end = bytes.length) => native(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end)) >>> 0
  : crc32Table;
