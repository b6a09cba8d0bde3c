import { expect } from 'vitest';
import type { SuiteRun } from './context';

/** Signed URLs, fetched with plain `fetch`. */
export function registerSignedUrlTests(run: SuiteRun): void {
  const { suite, key } = run;

  suite.test(
    'serves a signed read URL to plain fetch',
    async (storage) => {
      const k = key('signed/read me.txt');
      await storage.write(k, 'signed content', { contentType: 'text/plain' });
      const url = await storage.signedUrl(k, { action: 'read', expiresIn: 300 });
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('signed content');
    },
    { id: 'signed-read', needs: ['signedRead'] },
  );

  suite.test(
    'accepts a PUT to a signed write URL',
    async (storage) => {
      const k = key('signed/upload+1.txt');
      const url = await storage.signedUrl(k, { action: 'write', expiresIn: 300, contentType: 'text/plain' });
      const response = await fetch(url, {
        method: 'PUT',
        body: 'uploaded',
        // Azure requires the blob type on PUT; other providers ignore the header.
        headers: { 'content-type': 'text/plain', 'x-ms-blob-type': 'BlockBlob' },
      });
      expect(response.status).toBeLessThan(300);
      expect(await storage.readText(k)).toBe('uploaded');
    },
    { id: 'signed-write', needs: ['signedWrite'] },
  );

  suite.test(
    'refuses an expired signed URL',
    async (storage) => {
      const k = key('signed/expiring.txt');
      await storage.write(k, 'soon gone');
      const url = await storage.signedUrl(k, { action: 'read', expiresIn: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const response = await fetch(url);
      expect(response.status).toBeGreaterThanOrEqual(400);
      await response.body?.cancel();
    },
    { id: 'signed-expiry', needs: ['signedRead'] },
  );
}
