import type { SignedUrlRequest } from '../../spec';
import type { AzureContext } from './context';
import { mapAzureError } from './errors';

/**
 * A service SAS URL for one blob: `r` to read, `cw` (create, write) to upload with
 * `PUT <url>` and the header `x-ms-blob-type: BlockBlob`. Signing needs a shared-key
 * credential (a connection string with `AccountKey`, or `{ accountName, accountKey }`);
 * user-delegation SAS for token credentials is not implemented, so `signedRead`/`signedWrite`
 * are false without one. A read URL's `contentType` sets the served `Content-Type`; Azure
 * cannot bind a write URL to a content type, so it is not part of a write signature.
 */
export async function signBlobUrl(ctx: AzureContext, request: SignedUrlRequest): Promise<string> {
  const { key, action, expiresIn, contentType } = request;
  const { container, sdk } = await ctx.load();
  const blob = container.getBlobClient(key);
  try {
    return await blob.generateSasUrl({
      permissions: sdk.BlobSASPermissions.parse(action === 'read' ? 'r' : 'cw') as never,
      expiresOn: new Date(ctx.clock.now() + expiresIn * 1000),
      ...(action === 'read' && contentType !== undefined ? { contentType } : {}),
    });
  } catch (error) {
    throw mapAzureError(error, { operation: 'signedUrl', key, signal: request.signal, nowMs: ctx.clock.now() });
  }
}
