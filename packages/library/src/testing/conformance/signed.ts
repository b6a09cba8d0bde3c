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
    'accepts a PUT to a signed write request sending only the returned headers',
    async (storage) => {
      const k = key('signed/upload+1.txt');
      const before = Date.now();
      const signed = await storage.signedRequest(k, { action: 'write', expiresIn: 300, contentType: 'text/plain' });
      expect(signed.method).toBe('PUT');
      // The signed type is always required; anything else is the provider's own (Azure's blob type).
      expect(signed.headers['content-type']).toBe('text/plain');
      expect(Object.keys(signed.headers).every((name) => name === name.toLowerCase())).toBe(true);
      expect(signed.expiresAt.getTime()).toBeGreaterThan(before);
      expect(signed.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 300_000 + 1_000);
      const response = await fetch(signed.url, { method: signed.method, body: 'uploaded', headers: signed.headers });
      expect(response.status).toBeLessThan(300);
      await response.body?.cancel();
      expect(await storage.readText(k)).toBe('uploaded');
      expect((await storage.stat(k)).contentType).toBe('text/plain');
    },
    { id: 'signed-write', needs: ['signedWrite'] },
  );

  suite.test(
    'accepts a PUT to an untyped signed write request with only the returned headers',
    async (storage) => {
      const k = key('signed/untyped.bin');
      const signed = await storage.signedRequest(k, { action: 'write', expiresIn: 300 });
      expect(signed.headers['content-type']).toBeUndefined();
      const response = await fetch(signed.url, { method: signed.method, body: new Uint8Array([1, 2, 3]), headers: signed.headers });
      expect(response.status).toBeLessThan(300);
      await response.body?.cancel();
      expect(await storage.readBytes(k)).toEqual(new Uint8Array([1, 2, 3]));
    },
    { id: 'signed-write-untyped', needs: ['signedWrite'] },
  );

  suite.test(
    'describes a signed read request: GET, no headers, same URL as signedUrl would give',
    async (storage) => {
      const k = key('signed/described.txt');
      await storage.write(k, 'described');
      const signed = await storage.signedRequest(k, { action: 'read', expiresIn: 300 });
      expect(signed.method).toBe('GET');
      expect(signed.headers).toEqual({});
      const response = await fetch(signed.url, { headers: signed.headers });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('described');
    },
    { id: 'signed-read-request', needs: ['signedRead'] },
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
