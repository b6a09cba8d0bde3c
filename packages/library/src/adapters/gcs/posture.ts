import type { PostureFinding } from '../../spec';

const PUBLIC_MEMBERS: ReadonlySet<string> = new Set(['allUsers', 'allAuthenticatedUsers']);

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/**
 * Findings from a bucket resource and its IAM policy. Public IAM members are `high`
 * because they expose every object regardless of object ACLs; uniform access and public
 * access prevention are `medium` because they only remove ways of becoming public.
 */
export function gcsPostureFindings(bucket: unknown, policy: unknown): PostureFinding[] {
  const resource = record(bucket);
  const iamConfig = record(resource['iamConfiguration']);
  const uniform = record(iamConfig['uniformBucketLevelAccess'])['enabled'] === true;
  const prevention = iamConfig['publicAccessPrevention'];
  const bindings = Array.isArray(record(policy)['bindings']) ? (record(policy)['bindings'] as unknown[]) : [];
  const publicBindings = bindings
    .map(record)
    .filter((binding) => Array.isArray(binding['members']) && (binding['members'] as unknown[]).some((m) => typeof m === 'string' && PUBLIC_MEMBERS.has(m)));
  const versioning = record(resource['versioning'])['enabled'] === true;
  const kmsKey = record(resource['encryption'])['defaultKmsKeyName'];
  const logging = record(resource['logging'])['logBucket'];
  return [
    {
      rule: 'gcs.public_iam',
      severity: 'high',
      passed: publicBindings.length === 0,
      message:
        publicBindings.length === 0
          ? 'No IAM binding grants access to allUsers or allAuthenticatedUsers.'
          : `IAM grants ${publicBindings.map((b) => String(b['role'])).join(', ')} to allUsers or allAuthenticatedUsers.`,
      raw: publicBindings,
    },
    {
      rule: 'gcs.uniform_access',
      severity: 'medium',
      passed: uniform,
      message: uniform ? 'Uniform bucket-level access is enabled.' : 'Uniform bucket-level access is off, so object ACLs can still grant access.',
      raw: iamConfig['uniformBucketLevelAccess'],
    },
    {
      rule: 'gcs.public_access_prevention',
      severity: 'medium',
      passed: prevention === 'enforced',
      message: prevention === 'enforced' ? 'Public access prevention is enforced.' : 'Public access prevention is not enforced.',
      raw: prevention,
    },
    {
      rule: 'gcs.versioning',
      severity: 'low',
      passed: versioning,
      message: versioning ? 'Object versioning is enabled.' : 'Object versioning is off, so overwrites and deletes cannot be undone.',
      raw: resource['versioning'],
    },
    {
      rule: 'gcs.default_kms_key',
      severity: 'info',
      passed: typeof kmsKey === 'string' && kmsKey !== '',
      message: typeof kmsKey === 'string' && kmsKey !== '' ? 'A default Cloud KMS key encrypts new objects.' : 'New objects use Google-managed encryption keys.',
      raw: resource['encryption'],
    },
    {
      rule: 'gcs.logging',
      severity: 'low',
      passed: typeof logging === 'string' && logging !== '',
      message: typeof logging === 'string' && logging !== '' ? 'Usage logs are delivered to a log bucket.' : 'Usage logging is off.',
      raw: resource['logging'],
    },
  ];
}
