/**
 * Azure metadata names must be C# identifiers, but the facade allows `-` (and leading digits)
 * in keys. Such keys, and keys that look like our encoding, are stored as `alm_<hex of the
 * UTF-8 key>` and decoded on the way back, so every facade key round-trips exactly.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Values travel as `x-ms-meta-*` HTTP headers, so ASCII only; Microsoft asks for "Base64 or URL
// encoding" of anything else (https://learn.microsoft.com/en-us/training/modules/work-azure-blob-storage/5-manage-container-properties-metadata-dotnet,
// https://learn.microsoft.com/rest/api/storageservices/setting-and-retrieving-properties-and-metadata-for-blob-resources).
// Base64 inside an RFC 2047 encoded word, the form S3 uses, so a value stored by one adapter reads
// the same through the other; a plain value that itself contains `=?` is encoded too, so every
// value round-trips exactly.
const HEADER_SAFE = /^[\u0020-\u007e]*$/;
const ENCODED_VALUE = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/;

/** A metadata value as a header carries it. */
export function encodeMetadataValue(value: string): string {
  if (HEADER_SAFE.test(value) && !value.includes('=?')) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** A metadata value as read back. */
export function decodeMetadataValue(value: string): string {
  const base64 = ENCODED_VALUE.exec(value)?.[1];
  return base64 === undefined ? value : Buffer.from(base64, 'base64').toString('utf8');
}
const ENCODED = /^alm_((?:[0-9a-f]{2})+)$/;
const PREFIX = 'alm_';

/** Metadata as sent to Azure: lower-case keys, non-identifiers encoded. */
export function encodeMetadata(metadata: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata)) {
    const key = name.toLowerCase();
    const safe = IDENTIFIER.test(key) && !key.startsWith(PREFIX);
    out[safe ? key : `${PREFIX}${Buffer.from(key, 'utf8').toString('hex')}`] = encodeMetadataValue(value);
  }
  return out;
}

/** Metadata as reported to callers: lower-case keys, encoded ones decoded. */
export function decodeMetadata(metadata: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata ?? {})) {
    const key = name.toLowerCase();
    const hex = ENCODED.exec(key)?.[1];
    out[hex === undefined ? key : Buffer.from(hex, 'hex').toString('utf8')] = decodeMetadataValue(value);
  }
  return out;
}
