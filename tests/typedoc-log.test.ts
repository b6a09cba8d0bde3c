import { describe, expect, it } from 'vitest';
import { findingsIn, splitTypedocLog, withoutInfo } from '../scripts/typedoc-log.mjs';

// Shaped like a real root run (`entryPointStrategy: "packages"`) with stdout and stderr merged.
const log = [
  '[info] Converting project at ./packages/core',
  '[info] Converting project at ./packages/library',
  '\x1b[93m[warning]\x1b[0m index.Bucket.name (Property), defined in @almanac/library/src/spec.ts, does not have any documentation',
  '[info] Converting project at ./packages/oracle',
  'packages/oracle/src/a.ts:2:28 - \x1b[91merror\x1b[0m\x1b[90m TS7016: \x1b[0mCould not find a declaration file',
  '  more context of that error',
  '[error] Failed to convert one or more packages, result will not be merged together',
  '[error] Found 1 errors and 1 warnings',
].join('\n');

/** The named section, failing the test when the split did not produce it. */
function section(sections: Map<string, string[]>, name: string): string[] {
  const lines = sections.get(name);
  if (lines === undefined) throw new Error(`no section "${name}" in ${[...sections.keys()].join(', ')}`);
  return lines;
}

describe('splitTypedocLog', () => {
  const sections = splitTypedocLog(log);

  it('gives each package the findings logged while it was converted', () => {
    expect(findingsIn(section(sections, 'core'))).toEqual([]);
    expect(findingsIn(section(sections, 'library'))).toEqual([
      '[warning] index.Bucket.name (Property), defined in @almanac/library/src/spec.ts, does not have any documentation',
    ]);
    expect(findingsIn(section(sections, 'oracle'))).toEqual(['packages/oracle/src/a.ts:2:28 - error TS7016: Could not find a declaration file']);
  });

  it('keeps the run summary out of the last package converted', () => {
    expect(withoutInfo(section(sections, 'oracle'))).not.toMatch(/Found 1 errors|Failed to convert/);
    expect(section(sections, '')).toContain('[error] Found 1 errors and 1 warnings');
    expect(findingsIn(section(sections, ''))).toEqual([]);
  });

  it('gives what follows the merge (cross-package links) to the site', () => {
    const merged = splitTypedocLog(
      ['[info] Converting project at ./packages/core', '[info] Merging converted projects', '[warning] Failed to resolve link to "Nope" in comment for core.x'].join('\n'),
    );
    expect(findingsIn(section(merged, 'core'))).toEqual([]);
    expect(findingsIn(section(merged, ''))).toEqual(['[warning] Failed to resolve link to "Nope" in comment for core.x']);
  });
});
