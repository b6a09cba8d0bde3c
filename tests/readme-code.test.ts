// The README is code: every ```ts block of every README and doc page is type-checked under
// strict TypeScript (with exactOptionalPropertyTypes and noUncheckedIndexedAccess) in the three
// module resolutions users have (bundler, node16, nodenext), against the built packages as a
// consumer sees them, and executed unless its info string says `no-run` (```ts no-run: a block
// that needs a network service, credentials or an SDK that is not installed). Blocks of a
// multi-file example (`<!-- file: path -->` before the fence) are checked together, bundler only.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorkDir, extractTsBlocks, RESOLUTION_MODES, typeCheck, writeBlocks } from './support/readme-code';
import type { ResolutionMode } from './support/readme-code';

// Each run writes to a folder of its own, so two runs at once do not interfere.
const workDir = createWorkDir();
const blocks = writeBlocks(workDir);
const diagnostics = new Map<ResolutionMode, Map<string, string[]>>();
const diagnosticsFor = (mode: ResolutionMode) => {
  let found = diagnostics.get(mode);
  if (!found) {
    found = typeCheck(blocks, mode);
    diagnostics.set(mode, found);
  }
  return found;
};

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('README code blocks', () => {
  it('finds the blocks, their flags and multi-file markers', () => {
    expect(blocks.length).toBeGreaterThan(20);
    expect(extractTsBlocks('x\n```ts no-run\nconst a = 1;\n```\n<!-- file: a/b.ts -->\n```typescript\nb\n```')).toEqual([
      { line: 2, code: 'const a = 1;', flags: ['no-run'] },
      { line: 6, code: 'b', flags: [], path: 'a/b.ts' },
    ]);
  });

  for (const block of blocks) {
    const title = `${block.source} block ${block.index} (line ${block.line})`;
    for (const mode of RESOLUTION_MODES) {
      if (!block.modes.includes(mode)) continue;
      it(`${title} type-checks (${mode})`, { timeout: 120_000 }, () => {
        const found = diagnosticsFor(mode);
        const own = [...(found.get('(global)') ?? []), ...(found.get(block.file) ?? [])];
        expect(own.join('\n'), `${title}:\n${block.code}`).toBe('');
      });
    }
    if (block.run) {
      it(`${title} runs`, { timeout: 60_000 }, () => {
        const child = spawnSync(process.execPath, ['--import', 'tsx', block.file], {
          cwd: workDir,
          encoding: 'utf8',
          timeout: 50_000,
          env: { ...process.env, NODE_NO_WARNINGS: '1' },
        });
        expect(child.status, `${title} exited with ${child.status}:\n${child.stderr.slice(-2000)}`).toBe(0);
      });
    }
  }
});
