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
  /** A read may be served inline even when its type is active (HTML, SVG, script): the signer opted in. */
  readonly inline?: boolean | undefined;
}

/**
 * The signed bytes: the fields as a JSON array, so no field can run into the next. The v1
 * payload joined them with newlines, and a key containing one made a URL signed for
 * `doc.txt\n99999999999` valid for `doc.txt` with a new expiry (issue 13).
 */
function payload(fields: SignedFields): string {
  return JSON.stringify(['almanac-fs-v2', fields.action, fields.key, fields.expires, fields.contentType ?? null, fields.inline === true]);
}

/** Encodes a key for a URL path, segment by segment, so `/` stays a separator. */
export function encodeKeyForUrl(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** Builds `${baseUrl}/<encoded key>?expires=…&action=…[&ct=…][&inline=1]&sig=…`. */
export function buildSignedUrl(baseUrl: string, secret: string | Uint8Array, fields: SignedFields): string {
  const sig = computeHmacSha256({ secret, payload: payload(fields), encoding: 'base64url' });
  const query = new URLSearchParams({ expires: String(fields.expires), action: fields.action });
  if (fields.contentType !== undefined) query.set('ct', fields.contentType);
  if (fields.inline === true) query.set('inline', '1');
  query.set('sig', sig);
  return `${baseUrl.replace(/\/+$/, '')}/${encodeKeyForUrl(fields.key)}?${query.toString()}`;
}

/** Checks a signature in constant time; `false` for anything wrong with it. */
export function verifySignedFields(secret: string | Uint8Array, fields: SignedFields, signature: string | null): boolean {
  return verifyHmacSha256({ secret, payload: payload(fields), signature, encoding: 'base64url' });
}
