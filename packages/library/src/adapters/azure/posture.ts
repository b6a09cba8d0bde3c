import type { PostureFinding } from '../../spec';
import type { AzureContext } from './context';

/**
 * Container posture: anonymous public access (`container` or `blob` level is a high finding)
 * and, when the credential may read the account's service properties, blob soft delete.
 */
export async function containerPosture(ctx: AzureContext, signal?: AbortSignal): Promise<PostureFinding[]> {
  const { container } = await ctx.load();
  const policy = await ctx.call('posture', (abortSignal) => container.getAccessPolicy({ abortSignal }), { signal, idempotent: true });
  const access = policy.blobPublicAccess;
  const findings: PostureFinding[] = [
    {
      rule: 'azure.public_access',
      severity: 'high',
      passed: access === undefined,
      message:
        access === undefined
          ? 'The container does not allow anonymous public access.'
          : access === 'container'
            ? 'Anyone can list and read every blob of the container anonymously (public access level "container").'
            : 'Anyone can read any blob of the container anonymously by name (public access level "blob").',
      raw: { blobPublicAccess: access ?? null, storedAccessPolicies: policy.signedIdentifiers.length },
    },
  ];
  const softDelete = await ctx
    .call(
      'posture',
      async (abortSignal) => {
        // The account's service endpoint is the container URL without its last segment.
        const serviceUrl = container.url.replace(/\/[^/]*$/, '');
        const { BlobServiceClient } = (await ctx.load()).sdk;
        const service = new BlobServiceClient(serviceUrl, container.credential, { retryOptions: { maxTries: 1 } }) as unknown as {
          getProperties(options: { abortSignal: AbortSignal }): Promise<{ deleteRetentionPolicy?: { enabled: boolean; days?: number | undefined } | undefined }>;
        };
        return (await service.getProperties({ abortSignal })).deleteRetentionPolicy;
      },
      { signal, idempotent: true },
    )
    // Container-scoped credentials may not read account settings; the check is then skipped.
    .catch((error: unknown) => {
      if (signal?.aborted) throw error;
      return undefined;
    });
  if (softDelete !== undefined) {
    findings.push({
      rule: 'azure.soft_delete',
      severity: 'medium',
      passed: softDelete.enabled,
      message: softDelete.enabled
        ? `Deleted blobs are kept for ${softDelete.days ?? '?'} days (soft delete).`
        : 'Blob soft delete is off: a deleted or overwritten blob cannot be recovered.',
      raw: softDelete,
    });
  }
  return findings;
}
