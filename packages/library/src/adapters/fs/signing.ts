import { computeHmacSha256, verifyHmacSha256 } from '@almanac/core';

/** What a signed URL allows. */
export type SignedAction = 'read' | 'write';

/** The signed fields of a URL. */
export interface SignedFields {
  /** Allowed action. */
  readonly action: SignedAction;
  /** Object key. */
  readonly key: string;
  /** Expiry, epoch seconds. */
  readonly expires: number;
  /** Content type a write is signed for, if any. */
  readonly contentType?: string | undefined;
}

// Newline-separated: keys cannot contain control characters, so fields cannot run into each other.
function payload(fields: SignedFields): string {
  return `almanac-fs-v1\n${fields.action}\n${fields.key}\n${fields.expires}\n${fields.contentType ?? ''}`;
}

/** Encodes a key for a URL path, segment by segment, so `/` stays a separator. */
export function encodeKeyForUrl(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** Builds `${baseUrl}/<encoded key>?expires=…&action=…[&ct=…]&sig=…`. */
export function buildSignedUrl(baseUrl: string, secret: string | Uint8Array, fields: SignedFields): string {
  const sig = computeHmacSha256({ secret, payload: payload(fields), encoding: 'base64url' });
  const query = new URLSearchParams({ expires: String(fields.expires), action: fields.action });
  if (fields.contentType !== undefined) query.set('ct', fields.contentType);
  query.set('sig', sig);
  return `${baseUrl.replace(/\/+$/, '')}/${encodeKeyForUrl(fields.key)}?${query.toString()}`;
}

/** Checks a signature in constant time; `false` for anything wrong with it. */
export function verifySignedFields(secret: string | Uint8Array, fields: SignedFields, signature: string | null): boolean {
  return verifyHmacSha256({ secret, payload: payload(fields), signature, encoding: 'base64url' });
}
