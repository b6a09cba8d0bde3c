// Opaque tokens (page cursors, sync tokens): base64url JSON. Opaque to callers, so the format
// may change; anything that does not decode is treated as unknown rather than trusted.
// `btoa`/`TextEncoder` rather than `Buffer`, so the memory adapter also runs in browsers.

function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(token: string): string {
  const binary = atob(token.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** Encodes a token payload. */
export function encodeToken(payload: Record<string, string | number>): string {
  return toBase64Url(JSON.stringify(payload));
}

/** Decodes a token; `undefined` when it is not one of ours or lacks a field of the expected type. */
export function decodeToken<K extends string>(
  token: string,
  fields: Record<K, 'string' | 'number'>,
): Record<K, string | number> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(fromBase64Url(token));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const [key, type] of Object.entries(fields)) if (typeof record[key] !== type) return undefined;
  return record as Record<K, string | number>;
}
