// S3 sends user metadata as `x-amz-meta-*` headers, which carry ASCII only. AWS documents
// RFC 2047 for anything else: "the provided unicode string is examined for non US-ASCII
// characters. Values of such headers are character decoded as per RFC 2047 before storing and
// encoded as per RFC 2047 to make them mail-safe before returning"
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html#UserMetadata).
// So a non-ASCII value is sent as an RFC 2047 encoded word, and encoded words are decoded on read.

const ASCII = /^[\u0020-\u007e]*$/;
const ENCODED_WORD = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;

/** One metadata value as a header can carry it: unchanged when printable ASCII, else `=?UTF-8?B?…?=`. */
export function encodeMetadataValue(value: string): string {
  if (ASCII.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** Decodes the RFC 2047 encoded words of a value read back (B and Q encodings, UTF-8 or Latin-1). */
export function decodeMetadataValue(value: string): string {
  if (!value.includes('=?')) return value;
  // Whitespace between adjacent encoded words is not part of the text (RFC 2047 §6.2).
  const joined = value.replace(/\?=\s+=\?/g, '?==?');
  return joined.replace(ENCODED_WORD, (word, charset: string, encoding: string, text: string) => {
    const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : qDecode(text);
    const name = charset.toLowerCase();
    if (name === 'utf-8' || name === 'utf8') return bytes.toString('utf8');
    if (name === 'iso-8859-1' || name === 'latin1' || name === 'us-ascii') return bytes.toString('latin1');
    return word;
  });
}

function qDecode(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '_') bytes.push(0x20);
    else if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c.charCodeAt(0));
  }
  return Buffer.from(bytes);
}

/** Metadata ready for headers. */
export function encodeMetadata(metadata: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata)) out[name] = encodeMetadataValue(value);
  return out;
}
