// The fs adapter's signed-URL format against an independent HMAC: the signed bytes are the JSON
// array ['almanac-fs-v2', action, key, expires, contentType or null, inline] (v2, issue 13), and
// every field, the content type and the inline opt-in included, changes the signature.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildSignedUrl, encodeKeyForUrl, verifySignedFields } from '../src/adapters/fs/signing';
import type { SignedFields } from '../src/adapters/fs/signing';

const SECRET = 'fs-signing-secret';
const reference = (f: SignedFields) =>
  createHmac('sha256', SECRET)
    .update(JSON.stringify(['almanac-fs-v2', f.action, f.key, f.expires, f.contentType ?? null, f.inline === true]))
    .digest('base64url');

describe('fs signed URLs', () => {
  const read: SignedFields = { action: 'read', key: 'docs/a b+c.txt', expires: 1_900_000_000 };

  it('builds the URL with the reference signature, the key encoded per segment and trailing slashes of the base dropped', () => {
    expect(buildSignedUrl('http://127.0.0.1:8080/files///', SECRET, read)).toBe(
      `http://127.0.0.1:8080/files/docs/a%20b%2Bc.txt?expires=1900000000&action=read&sig=${reference(read)}`,
    );
    // Only trailing slashes go: one inside the base path stays.
    expect(buildSignedUrl('http://h/a/b', SECRET, read).startsWith('http://h/a/b/docs/')).toBe(true);
    expect(encodeKeyForUrl('a/b c/ü')).toBe('a/b%20c/%C3%BC');
  });

  it('adds ct and inline=1 only when signed for them', () => {
    const write: SignedFields = { action: 'write', key: 'up.json', expires: 1_900_000_000, contentType: 'application/json' };
    expect(buildSignedUrl('http://h', SECRET, write)).toBe(`http://h/up.json?expires=1900000000&action=write&ct=application%2Fjson&sig=${reference(write)}`);
    const inline: SignedFields = { ...read, inline: true };
    expect(buildSignedUrl('http://h', SECRET, inline)).toBe(`http://h/docs/a%20b%2Bc.txt?expires=1900000000&action=read&inline=1&sig=${reference(inline)}`);
    expect(buildSignedUrl('http://h', SECRET, { ...read, inline: false })).not.toContain('inline');
  });

  it('verifies exactly the signed fields: any other action, key, expiry, content type or inline flag fails', () => {
    const signature = reference(read);
    expect(verifySignedFields(SECRET, read, signature)).toBe(true);
    for (const other of [
      { ...read, action: 'write' as const },
      { ...read, key: 'docs/a b+c.txt\n' },
      { ...read, expires: read.expires + 1 },
      { ...read, contentType: 'text/html' },
      { ...read, contentType: '' },
      { ...read, inline: true },
    ]) {
      expect(verifySignedFields(SECRET, other, signature), JSON.stringify(other)).toBe(false);
      expect(verifySignedFields(SECRET, other, reference(other)), JSON.stringify(other)).toBe(true);
    }
    expect(verifySignedFields('another-secret', read, signature)).toBe(false);
    expect(verifySignedFields(SECRET, read, null)).toBe(false);
  });
});
