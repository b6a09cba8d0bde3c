/**
 * Azure metadata names must be C# identifiers, but the facade allows `-` (and leading digits)
 * in keys. Such keys, and keys that look like our encoding, are stored as `alm_<hex of the
 * UTF-8 key>` and decoded on the way back, so every facade key round-trips exactly.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENCODED = /^alm_((?:[0-9a-f]{2})+)$/;
const PREFIX = 'alm_';

/** Metadata as sent to Azure: lower-case keys, non-identifiers encoded. */
export function encodeMetadata(metadata: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata)) {
    const key = name.toLowerCase();
    const safe = IDENTIFIER.test(key) && !key.startsWith(PREFIX);
    out[safe ? key : `${PREFIX}${Buffer.from(key, 'utf8').toString('hex')}`] = value;
  }
  return out;
}

/** Metadata as reported to callers: lower-case keys, encoded ones decoded. */
export function decodeMetadata(metadata: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata ?? {})) {
    const key = name.toLowerCase();
    const hex = ENCODED.exec(key)?.[1];
    out[hex === undefined ? key : Buffer.from(hex, 'hex').toString('utf8')] = value;
  }
  return out;
}
