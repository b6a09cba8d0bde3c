import type { SignedUrlRequest, StorageProvider } from '../../src/spec';

/** The URL of a provider's signed URL, for tests that fetch it (first-party adapters return `{ url, headers }`). */
export async function signedUrlOf(provider: StorageProvider, request: SignedUrlRequest): Promise<string> {
  const signed = await provider.signedUrl?.(request);
  if (signed === undefined) throw new Error(`provider ${provider.name} has no signedUrl`);
  return typeof signed === 'string' ? signed : signed.url;
}
