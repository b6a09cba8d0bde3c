// Issue 10: `@aws-sdk/client-s3` before 3.700 silently drops `IfMatch` (and before 3.635
// `IfNoneMatch`) from PutObject, so `ifNoneMatch: '*'` would overwrite. The wire tests in
// s3-keys.wire.test.ts show the installed SDK sends the headers; this pins the peer range so
// no user can install a version that does not.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The lowest version a caret or >= range admits, as [major, minor]. */
function floorOf(range: string): [number, number] {
  const match = /^(?:\^|>=\s*)(\d+)\.(\d+)\.\d+$/.exec(range.trim());
  if (!match) throw new Error(`unexpected range ${range}`);
  return [Number(match[1]), Number(match[2])];
}

describe('@aws-sdk/client-s3 peer range', () => {
  it('starts at 3.700, the first version that serialises IfMatch and IfNoneMatch on PutObject', () => {
    const [major, minor] = floorOf(manifest.peerDependencies['@aws-sdk/client-s3'] ?? '');
    expect(major).toBe(3);
    expect(minor).toBeGreaterThanOrEqual(700);
  });

  it('the version the tests run against is inside the range', () => {
    const [, tested] = floorOf(manifest.devDependencies['@aws-sdk/client-s3'] ?? '');
    expect(tested).toBeGreaterThanOrEqual(floorOf(manifest.peerDependencies['@aws-sdk/client-s3'] ?? '')[1]);
  });
});
