// Decides whether an object's content is worth a text scan. Detectors look for text patterns;
// reading compressed, media or office-container bytes costs a request and finds nothing, so
// those are skipped by content type, or by extension when the type is missing or generic.

const TEXT_TYPES = new Set([
  'application/json',
  'application/x-ndjson',
  'application/ndjson',
  'application/xml',
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/typescript',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/sql',
  'application/csv',
  'application/x-sh',
  'application/x-shellscript',
  'application/x-pem-file',
  'application/x-x509-ca-cert',
  'application/pgp-keys',
  'application/x-www-form-urlencoded',
  'application/graphql',
  'application/ld+json',
]);

/** Types that say nothing about the content: decide by extension instead. */
const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown']);

const BINARY_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'ico', 'tif', 'tiff', 'heic', 'avif', 'psd',
  'mp3', 'mp4', 'm4a', 'm4v', 'mov', 'avi', 'mkv', 'webm', 'wav', 'flac', 'ogg', 'aac',
  'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'lz4', '7z', 'rar', 'tar', 'br', 'snappy',
  'pdf', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'epub',
  'exe', 'dll', 'so', 'dylib', 'bin', 'o', 'a', 'class', 'jar', 'war', 'wasm', 'pyc',
  'parquet', 'avro', 'orc', 'arrow', 'feather', 'npy', 'npz', 'pkl', 'h5', 'onnx', 'pt', 'safetensors',
  'iso', 'dmg', 'img', 'vmdk', 'qcow2', 'db', 'sqlite', 'sqlite3', 'mdb',
  'woff', 'woff2', 'ttf', 'otf', 'eot',
]);

function extensionOf(key: string): string {
  const base = key.slice(key.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

function isTextType(type: string): boolean {
  return type.startsWith('text/') || TEXT_TYPES.has(type) || type.endsWith('+json') || type.endsWith('+xml') || type.endsWith('+yaml');
}

/** Whether the object should be sampled: text-like type, or unknown type without a binary extension. */
export function isTextLike(key: string, contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (!GENERIC_TYPES.has(type)) return isTextType(type);
  return !BINARY_EXTENSIONS.has(extensionOf(key));
}

/**
 * Whether sampled bytes are binary after all (a NUL byte in the first KiB), as when an upload
 * was mislabelled; decoding such bytes as text would only produce noise.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 1024);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}
