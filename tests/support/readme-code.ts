// Extraction and checking of the TypeScript blocks in the README and doc pages (see
// tests/readme-code.test.ts). Kept apart from the test so it can be run by hand:
//   npx tsx -e "import('./tests/support/readme-code.ts').then((m) => m.printReport())"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

export const repoRoot = join(import.meta.dirname, '..', '..');

/**
 * A fresh folder for one run's blocks, `.tmp/readme-code-XXXXXX/` (inside the repository, so
 * `@almanac/*` resolve as a consumer's would; one per run, so concurrent runs never share or
 * delete each other's files). The caller removes it.
 */
export function createWorkDir(): string {
  mkdirSync(join(repoRoot, '.tmp'), { recursive: true });
  return mkdtempSync(join(repoRoot, '.tmp', 'readme-code-'));
}

/** One ```ts block as it appears in a markdown file. */
export interface MarkdownTsBlock {
  readonly line: number;
  readonly code: string;
  /** Words after the language in the info string, e.g. `no-run`. */
  readonly flags: readonly string[];
  /** Set by a `<!-- file: path -->` comment right before the block: part of a multi-file example. */
  readonly path?: string;
}

/** A block written to disk, ready to check. */
export interface CodeBlock {
  readonly source: string;
  readonly index: number;
  readonly line: number;
  readonly code: string;
  /** Executed unless flagged `no-run` or part of a multi-file example. */
  readonly run: boolean;
  /** Multi-file examples show package-internal source: checked with the repository's own (bundler) resolution only. */
  readonly modes: readonly ResolutionMode[];
  readonly file: string;
}

/** The module resolutions consumers use. */
export type ResolutionMode = 'bundler' | 'node16' | 'nodenext';
export const RESOLUTION_MODES: readonly ResolutionMode[] = ['bundler', 'node16', 'nodenext'];

/** The ```ts / ```typescript blocks of a markdown text, with their info-string flags. */
export function extractTsBlocks(markdown: string): MarkdownTsBlock[] {
  const blocks: MarkdownTsBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\b(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[2] ?? '```';
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !(lines[j] ?? '').trimStart().startsWith(fence); j++) body.push(lines[j] ?? '');
    const marker = /^<!--\s*file:\s*(\S+)\s*-->$/.exec((lines[i - 1] ?? '').trim());
    const flags = (open[4] ?? '').trim().split(/\s+/).filter(Boolean);
    blocks.push(marker?.[1] ? { line: i + 1, code: body.join('\n'), flags, path: marker[1] } : { line: i + 1, code: body.join('\n'), flags });
    i = j;
  }
  return blocks;
}

/** README.md, every package README and every page under docs/. */
export function markdownFiles(): string[] {
  const files = [join(repoRoot, 'README.md')];
  for (const entry of readdirSync(join(repoRoot, 'packages'), { withFileTypes: true })) {
    if (entry.isDirectory()) files.push(join(repoRoot, 'packages', entry.name, 'README.md'));
  }
  for (const name of readdirSync(join(repoRoot, 'docs')).sort()) if (name.endsWith('.md')) files.push(join(repoRoot, 'docs', name));
  return files.filter((file) => {
    try {
      readFileSync(file);
      return true;
    } catch {
      return false;
    }
  });
}

/** Writes every block under `workDir` (a folder from {@link createWorkDir}). */
export function writeBlocks(workDir: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const source of markdownFiles()) {
    const rel = relative(repoRoot, source);
    const slug = rel.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-md$/, '').toLowerCase();
    extractTsBlocks(readFileSync(source, 'utf8')).forEach((block, index) => {
      const file = block.path ? join(workDir, slug, block.path) : join(workDir, `${slug}-${index + 1}.mts`);
      mkdirSync(dirname(file), { recursive: true });
      // `export {}` keeps each block a module even when it imports nothing.
      writeFileSync(file, block.path ? block.code : `${block.code}\nexport {};\n`);
      blocks.push({
        source: rel,
        index: index + 1,
        line: block.line,
        code: block.code,
        run: !block.path && !block.flags.includes('no-run'),
        modes: block.path ? ['bundler'] : RESOLUTION_MODES,
        file,
      });
    });
  }
  return blocks;
}

const base: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  skipLibCheck: true,
  noEmit: true,
  esModuleInterop: true,
};
const resolutions: Record<ResolutionMode, ts.CompilerOptions> = {
  bundler: { module: ts.ModuleKind.Preserve, moduleResolution: ts.ModuleResolutionKind.Bundler },
  node16: { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 },
  nodenext: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
};

/** Type-checks the blocks checked in `mode`; diagnostics by file ('(global)' for those without one). */
export function typeCheck(blocks: readonly CodeBlock[], mode: ResolutionMode): Map<string, string[]> {
  const files = blocks.filter((block) => block.modes.includes(mode)).map((block) => block.file);
  const program = ts.createProgram(files, { ...base, ...resolutions[mode] });
  const byFile = new Map<string, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName ?? '(global)';
    const position = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    const where = position ? `${position.line + 1}:${position.character + 1}` : '?';
    byFile.set(file, [...(byFile.get(file) ?? []), `TS${diagnostic.code} at ${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`]);
  }
  return byFile;
}

/** Prints every block's diagnostics (for fixing READMEs by hand). */
export function printReport(modes: readonly ResolutionMode[] = RESOLUTION_MODES): void {
  const workDir = createWorkDir();
  try {
    const blocks = writeBlocks(workDir);
    for (const mode of modes) {
      const byFile = typeCheck(blocks, mode);
      for (const block of blocks) {
        const own = [...(byFile.get('(global)') ?? []), ...(byFile.get(block.file) ?? [])];
        if (own.length > 0) process.stdout.write(`\n## ${block.source} block ${block.index} (line ${block.line}) [${mode}]\n${own.join('\n')}\n`);
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
