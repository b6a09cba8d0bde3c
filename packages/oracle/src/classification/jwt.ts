import { B64URL, charClass } from './chars';
import { maskJwt } from './mask';
import type { FindingSink } from './sink';

// JSON Web Tokens (JWS compact form): three base64url parts separated by dots, whose header
// decodes to a JSON object with a string `alg`. Every JSON object starts `{"`, which base64url
// encodes as `eyJ`, so that is the prefilter; the header decode rejects look-alikes.

const MAX_HEADER = 2048;
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_VALUE['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.charCodeAt(i)] = i;

/** Decodes base64url `[s, e)` to a byte string, or undefined when a character is outside the alphabet. */
function decodeBase64Url(text: string, s: number, e: number): string | undefined {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let p = s; p < e; p++) {
    const c = text.charCodeAt(p);
    const v = c < 128 ? B64_VALUE[c]! : -1;
    if (v < 0) return undefined;
    buffer = ((buffer << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}

/** Whether the header part `[s, e)` decodes to a JSON object with a string `alg`. */
function validHeader(text: string, s: number, e: number): boolean {
  const json = decodeBase64Url(text, s, e);
  if (json === undefined) return false;
  try {
    const header: unknown = JSON.parse(json);
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/** End of the base64url run starting at `p`. */
function skipBase64Url(text: string, p: number): number {
  const n = text.length;
  while (p < n && (charClass(text, p) & B64URL) !== 0) p++;
  return p;
}

/** Records every JWT in `text`. */
export function scanJwts(text: string, sink: FindingSink): void {
  for (let at = text.indexOf('eyJ'); at !== -1; ) {
    let next = at + 3;
    const before = text.charCodeAt(at - 1);
    if ((charClass(text, at - 1) & B64URL) === 0 && before !== 46) {
      const headerEnd = skipBase64Url(text, at);
      next = headerEnd;
      if (text.charCodeAt(headerEnd) === 46 && headerEnd - at <= MAX_HEADER) {
        const payloadEnd = skipBase64Url(text, headerEnd + 1);
        if (payloadEnd > headerEnd + 1 && text.charCodeAt(payloadEnd) === 46) {
          const end = skipBase64Url(text, payloadEnd + 1);
          const fourthPart = text.charCodeAt(end) === 46 && (charClass(text, end + 1) & B64URL) !== 0; // JWE has 5
          if (!fourthPart && validHeader(text, at, headerEnd)) {
            sink.add('jwt', text, at, end, maskJwt);
            next = end;
          }
        }
      }
    }
    at = text.indexOf('eyJ', next);
  }
}
