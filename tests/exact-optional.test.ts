// Every optional property of every type in packages/*/src accepts an explicit `undefined`, so
// consumers compiling with `exactOptionalPropertyTypes` can pass values that may be undefined
// (`{ signal: maybeSignal }`). The consumer smoke test compiles the packed packages with the flag
// on; this test finds any optional property that omits `| undefined` (fix them all with
// `node scripts/exact-optional.mjs --write`).
import { describe, expect, it } from 'vitest';
import { findMissing, scan } from '../scripts/exact-optional.mjs';

describe('exactOptionalPropertyTypes', () => {
  it('finds optional properties without undefined, nested ones included', () => {
    const found = findMissing(
      'x.ts',
      'interface A { a?: string; b?: string | undefined; c?: () => void; d?: { e?: number } | undefined; f: number; g?: unknown }',
    );
    expect(found.map((item: { name: string; parens: boolean }) => [item.name, item.parens])).toEqual([
      ['a', false],
      ['c', true],
      ['e', false],
    ]);
  });

  it('every optional property in packages/*/src accepts undefined', () => {
    const missing = scan().flatMap(({ file, missing }: { file: string; missing: { line: number; name: string }[] }) =>
      missing.map((item) => `${file.replace(/^.*?packages\//, 'packages/')}:${item.line} ${item.name}`),
    );
    expect(missing).toEqual([]);
  });
});
