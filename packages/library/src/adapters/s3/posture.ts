import type { PostureFinding } from '../../spec';
import { MISSING_CONFIGURATION } from './errors';
import { record } from './map';

/** Fetches one bucket configuration; `undefined` when the bucket has none. */
export type FetchConfiguration = (command: string, missing: ReadonlySet<string>) => Promise<Record<string, unknown> | undefined>;

const PUBLIC_ACCESS_FLAGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/**
 * Bucket posture from four reads. A bucket without a public access block or default
 * encryption is a finding, not a failure: S3 reports "not configured" as an error code.
 */
export async function checkPosture(fetch: FetchConfiguration): Promise<PostureFinding[]> {
  const [access, encryption, versioning, logging] = await Promise.all([
    fetch('GetPublicAccessBlock', MISSING_CONFIGURATION),
    fetch('GetBucketEncryption', MISSING_CONFIGURATION),
    fetch('GetBucketVersioning', MISSING_CONFIGURATION),
    fetch('GetBucketLogging', MISSING_CONFIGURATION),
  ]);
  const block = record(access?.['PublicAccessBlockConfiguration']);
  const missingFlags = PUBLIC_ACCESS_FLAGS.filter((flag) => block[flag] !== true);
  const rules = record(encryption?.['ServerSideEncryptionConfiguration'])['Rules'];
  const algorithms = (Array.isArray(rules) ? rules : [])
    .map((rule) => record(record(rule)['ApplyServerSideEncryptionByDefault'])['SSEAlgorithm'])
    .filter((value): value is string => typeof value === 'string');
  const versioningStatus = versioning?.['Status'];
  const target = record(logging?.['LoggingEnabled'])['TargetBucket'];
  return [
    {
      rule: 's3.public_access_block',
      severity: 'high',
      passed: missingFlags.length === 0,
      message:
        access === undefined
          ? 'No public access block is configured on the bucket.'
          : missingFlags.length === 0
            ? 'All four public access block settings are on.'
            : `Public access block settings off: ${missingFlags.join(', ')}.`,
      raw: access,
    },
    {
      rule: 's3.default_encryption',
      severity: 'medium',
      passed: algorithms.length > 0,
      message: algorithms.length > 0 ? `Default encryption is on (${algorithms.join(', ')}).` : 'No default encryption is configured.',
      raw: encryption,
    },
    {
      rule: 's3.versioning',
      severity: 'medium',
      passed: versioningStatus === 'Enabled',
      message: versioningStatus === 'Enabled' ? 'Versioning is enabled.' : `Versioning is ${versioningStatus === 'Suspended' ? 'suspended' : 'not enabled'}.`,
      raw: versioning,
    },
    {
      rule: 's3.access_logging',
      severity: 'low',
      passed: typeof target === 'string' && target !== '',
      message: typeof target === 'string' && target !== '' ? `Access logging goes to ${target}.` : 'Server access logging is off.',
      raw: logging,
    },
  ];
}
