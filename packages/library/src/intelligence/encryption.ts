import type { ObjectInfo } from '../spec';
import type { EncryptionEvidence } from './types';

/**
 * Providers that encrypt every object at rest with no way to opt out: Google Cloud Storage
 * (Google-managed keys by default) and Azure Storage Service Encryption. S3 is not listed:
 * default SSE-S3 applies only to objects written since January 2023, so S3 needs evidence.
 */
const PLATFORM_ENCRYPTED = new Set(['gcs', 'azure']);

const METADATA_KEYS = ['x-amz-server-side-encryption', 'server-side-encryption', 'encryption', 'encrypted'];

function truthy(value: string): boolean {
  const v = value.trim().toLowerCase();
  return v !== '' && v !== 'false' && v !== 'none' && v !== 'no' && v !== '0';
}

/** Encryption fields the SDKs report on `raw` (S3 `ServerSideEncryption`, Azure `serverEncrypted`, GCS `kmsKeyName`). */
function fromRaw(raw: unknown): boolean | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r['ServerSideEncryption'] === 'string') return truthy(r['ServerSideEncryption']);
  for (const field of ['serverEncrypted', 'isServerEncrypted']) if (typeof r[field] === 'boolean') return r[field];
  if (typeof r['kmsKeyName'] === 'string' && r['kmsKeyName'] !== '') return true;
  return undefined;
}

/**
 * Whether an object is encrypted at rest, and why we believe it. Unknown is taken as `false`
 * (`source: 'assumed'`): a compliance check that assumed encryption could hide a real gap,
 * while a false alarm only asks for a look.
 */
export function encryptionOf(provider: string, info: Pick<ObjectInfo, 'metadata' | 'raw'>): EncryptionEvidence {
  for (const key of METADATA_KEYS) {
    const value = info.metadata[key];
    if (value !== undefined) return { encrypted: truthy(value), source: 'metadata' };
  }
  const reported = fromRaw(info.raw);
  if (reported !== undefined) return { encrypted: reported, source: 'provider' };
  if (PLATFORM_ENCRYPTED.has(provider)) return { encrypted: true, source: 'platform' };
  return { encrypted: false, source: 'assumed' };
}
