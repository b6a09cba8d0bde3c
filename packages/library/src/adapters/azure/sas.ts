import type { SignedUrl, SignedUrlRequest } from '../../spec';
import type { AzureContext } from './context';
import { mapAzureError } from './errors';

/**
 * A service SAS URL for one blob: `r` to read, `cw` (create, write) to upload with
 * `PUT <url>` and the header `x-ms-blob-type: BlockBlob`. Signing needs a shared-key
 * credential (a connection string with `AccountKey`, or `{ accountName, accountKey }`);
 * user-delegation SAS for token credentials is not implemented, so `signedRead`/`signedWrite`
 * are false without one. A read URL's `contentType` sets the served `Content-Type`; Azure
 * cannot bind a write URL to a content type, so it is not part of a write signature, but the
 * returned headers carry it so the blob gets that type.
 *
 * Put Blob requires `x-ms-blob-type` (https://learn.microsoft.com/en-us/rest/api/storageservices/put-blob#request-headers-all-blob-types):
 * a write URL is returned with it, since a SAS URL cannot carry request headers.
 */
export async function signBlobUrl(ctx: AzureContext, request: SignedUrlRequest): Promise<SignedUrl> {
  const { key, action, expiresIn, contentType } = request;
  const { container, sdk } = await ctx.load();
  const blob = container.getBlobClient(key);
  const expiresAt = new Date(ctx.clock.now() + expiresIn * 1000);
  try {
    const url = await blob.generateSasUrl({
      permissions: sdk.BlobSASPermissions.parse(action === 'read' ? 'r' : 'cw') as never,
      expiresOn: expiresAt,
      ...(action === 'read' && contentType !== undefined ? { contentType } : {}),
    });
    if (action === 'read') return { url, headers: {}, expiresAt };
    return { url, headers: { 'x-ms-blob-type': 'BlockBlob', ...(contentType !== undefined && { 'content-type': contentType }) }, expiresAt };
  } catch (error) {
    throw mapAzureError(error, { operation: 'signedUrl', key, signal: request.signal, nowMs: ctx.clock.now() });
  }
}
