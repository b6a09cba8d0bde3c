// Users who compile with `exactOptionalPropertyTypes` pass `{ signal: maybeSignal }` where
// maybeSignal may be undefined; that only compiles if every optional property says
// `| undefined`. This finds optional property signatures (interfaces and object types) in
// packages/*/src whose type omits `undefined` (types preceded by `// exact-optional-ignore: <why>`
// are skipped: shapes handed to an SDK whose own types are stricter).
//   node scripts/exact-optional.mjs           list them, exit 1 if any
//   node scripts/exact-optional.mjs --write   add `| undefined` to each
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { repoRoot } from './workspace.mjs';

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function acceptsUndefined(type) {
  if (!type) return true; // no annotation: inferred, nothing to say
  switch (type.kind) {
    case ts.SyntaxKind.UndefinedKeyword:
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return true;
    case ts.SyntaxKind.ParenthesizedType:
      return acceptsUndefined(type.type);
    case ts.SyntaxKind.UnionType:
      return type.types.some(acceptsUndefined);
    default:
      return false;
  }
}

// Types that need parentheses before `| undefined` binds to the whole of them.
const NEEDS_PARENS = new Set([ts.SyntaxKind.FunctionType, ts.SyntaxKind.ConstructorType, ts.SyntaxKind.ConditionalType]);

/** Optional property signatures without `undefined` in one file: [{ line, name, start, end, parens }]. */
export function findMissing(file, text = readFileSync(file, 'utf8')) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    // A type that mirrors what the adapter hands to an SDK (which must stay assignable to the
    // SDK's own, stricter types) opts out with a comment naming why: `// exact-optional-ignore: …`.
    if ((ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) && /exact-optional-ignore/.test(text.slice(node.getFullStart(), node.getStart(source)))) return;
    if (ts.isPropertySignature(node) && node.questionToken && node.type && !acceptsUndefined(node.type)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push({ line: line + 1, name: node.name.getText(source), start: node.type.getStart(source), end: node.type.getEnd(), parens: NEEDS_PARENS.has(node.type.kind) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every package's src files with what is missing. */
export function scan(packagesDir = join(repoRoot, 'packages')) {
  const results = [];
  for (const pkg of readdirSync(packagesDir, { withFileTypes: true })) {
    if (!pkg.isDirectory()) continue;
    let files = [];
    try {
      files = sourceFiles(join(packagesDir, pkg.name, 'src'));
    } catch {
      continue;
    }
    for (const file of files) {
      const missing = findMissing(file);
      if (missing.length > 0) results.push({ file, missing });
    }
  }
  return results;
}

// One edit per parse: nested object types move each other's offsets.
function fix(file) {
  let text = readFileSync(file, 'utf8');
  for (let item = findMissing(file, text)[0]; item; item = findMissing(file, text)[0]) {
    const type = text.slice(item.start, item.end);
    text = `${text.slice(0, item.start)}${item.parens ? `(${type})` : type} | undefined${text.slice(item.end)}`;
  }
  writeFileSync(file, text);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Folder names as arguments restrict it to those packages.
  const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const results = scan().filter(({ file }) => only.length === 0 || only.some((folder) => file.startsWith(join(repoRoot, 'packages', folder, 'src'))));
  const count = results.reduce((sum, result) => sum + result.missing.length, 0);
  if (process.argv.includes('--write')) {
    for (const { file } of results) fix(file);
    process.stdout.write(`added | undefined to ${count} optional properties in ${results.length} files\n`);
  } else {
    for (const { file, missing } of results) {
      for (const item of missing) process.stdout.write(`${relative(repoRoot, file)}:${item.line} ${item.name}\n`);
    }
    process.stdout.write(`exact-optional: ${count} optional properties without undefined\n`);
    process.exitCode = count === 0 ? 0 : 1;
  }
}
