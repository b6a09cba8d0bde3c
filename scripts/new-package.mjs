// Scaffolds a complete domain package in the house shape (see docs/architecture.md):
//   node scripts/new-package.mjs <domain> ["<one-line purpose>"]
// <domain> is lower-case words joined by dashes (`billing`, `demo-domain`); it names the folder
// (packages/<domain>), the package (@almanac/<domain>) and, in PascalCase, the identifiers
// (`createDemoDomain`, `DemoDomainProvider`, …). The files come from scripts/templates/domain,
// where `__domain__`, `__Domain__`, `__DOMAIN__`, `__domainCamel__`, `__domainWords__` and
// `__purpose__` stand for the name's forms and the purpose. Nothing is written unless every
// file rendered; an existing folder is never touched.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expectedMetadata } from './package-metadata.mjs';
import { repoRoot } from './workspace.mjs';

const templateDir = join(import.meta.dirname, 'templates', 'domain');
const usage = 'usage: node scripts/new-package.mjs <domain> ["<one-line purpose>"]\n  <domain>: lower-case words joined by dashes, e.g. billing or demo-domain';

function fail(message) {
  process.stderr.write(`new-package: ${message}\n`);
  process.exit(1);
}

// Names the generated code would use as variables or types: a domain whose camelCase form is a
// reserved word, or whose PascalCase form shadows a global the templates use, cannot work.
const RESERVED = new Set(
  'await break case catch class const continue debugger default delete do else enum export extends false finally for function if implements import in instanceof interface let new null package private protected public return static super switch this throw true try typeof var void while with yield'.split(' '),
);
const TS_GLOBAL_TYPES = new Set(
  'Awaited Capitalize ConstructorParameters Exclude Extract InstanceType Lowercase NonNullable Omit OmitThisParameter Parameters Partial Pick Readonly ReadonlyArray Record Required ReturnType ThisParameterType ThisType Uncapitalize Uppercase PropertyKey'.split(' '),
);

/** The forms of a domain name the templates use, or a reason it is refused. */
function namesOf(domain) {
  if (typeof domain !== 'string' || domain === '') return { error: 'missing <domain>' };
  if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(domain)) {
    return {
      error: `invalid domain name "${domain}": use lower-case letters and digits, starting with a letter, words joined by single dashes (e.g. billing, demo-domain)`,
    };
  }
  if (domain.length > 40) return { error: `invalid domain name "${domain}": at most 40 characters` };
  const words = domain.split('-');
  const pascal = words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
  const camel = pascal[0].toLowerCase() + pascal.slice(1);
  if (RESERVED.has(camel)) return { error: `invalid domain name "${domain}": "${camel}" is a reserved word in JavaScript` };
  if (TS_GLOBAL_TYPES.has(pascal) || pascal in globalThis) {
    return { error: `invalid domain name "${domain}": "${pascal}" would shadow a global of the same name; pick another name` };
  }
  return { domain, pascal, camel, constant: words.join('_').toUpperCase(), wordsText: words.join(' ') };
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path).map((file) => join(entry.name, file)) : [entry.name];
  });
}

/** A dependency range as packages/library declares it (the house ranges), else `fallback`. */
function houseRange(name, fallback) {
  try {
    const library = JSON.parse(readFileSync(join(repoRoot, 'packages', 'library', 'package.json'), 'utf8'));
    return library.dependencies?.[name] ?? library.peerDependencies?.[name] ?? fallback;
  } catch {
    return fallback;
  }
}

function packageJson(names, purpose) {
  const core = JSON.parse(readFileSync(join(repoRoot, 'packages', 'core', 'package.json'), 'utf8'));
  const entry = (file) => ({
    import: { types: `./dist/${file}.d.ts`, default: `./dist/${file}.js` },
    require: { types: `./dist/${file}.d.cts`, default: `./dist/${file}.cjs` },
  });
  const json = {
    name: `@almanac/${names.domain}`,
    version: '0.1.0',
    description: purpose,
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    engines: { node: '>=20' },
    main: './dist/index.cjs',
    module: './dist/index.js',
    types: './dist/index.d.cts',
    exports: {
      '.': entry('index'),
      './memory': entry('memory'),
      // The conformance suite imports vitest, which is ESM-only: no `require` condition.
      './testing': { import: { types: './dist/testing.d.ts', default: './dist/testing.js' } },
      './package.json': './package.json',
    },
    scripts: {
      build: `node -e "require('node:fs').rmSync('dist',{recursive:true,force:true})" && tsup`,
      api: 'api-extractor run',
    },
    dependencies: {
      '@almanac/core': houseRange('@almanac/core', `^${core.version}`),
    },
    peerDependencies: { vitest: houseRange('vitest', core.peerDependencies?.vitest ?? '>=3') },
    peerDependenciesMeta: { vitest: { optional: true } },
    publishConfig: { access: 'public' },
  };
  // repository/homepage/bugs, files (with LICENSE and CHANGELOG.md) and node10 typesVersions.
  const { license, repository, homepage, bugs, files, typesVersions } = expectedMetadata(names.domain, json);
  const { name, version, description, ...rest } = json;
  return `${JSON.stringify({ name, version, description, license, repository, homepage, bugs, ...rest, files, typesVersions }, null, 2)}\n`;
}

function render(text, names, purpose) {
  return text
    .replaceAll('__domainCamel__', names.camel)
    .replaceAll('__domainWords__', names.wordsText)
    .replaceAll('__domain__', names.domain)
    .replaceAll('__Domain__', names.pascal)
    .replaceAll('__DOMAIN__', names.constant)
    .replaceAll('__purpose__', purpose);
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
if (args.length === 0 || args.length > 2) fail(`expected a domain and an optional purpose\n${usage}`);
const names = namesOf(args[0]);
if (names.error) fail(`${names.error}\n${usage}`);
const purpose = (args[1] ?? `The ${names.wordsText} domain: one provider interface, a facade and an in-memory adapter.`).trim();
if (purpose === '' || /[\r\n]/.test(purpose)) fail('the purpose must be one non-empty line');

const packageDir = join(repoRoot, 'packages', names.domain);
if (existsSync(packageDir)) fail(`${relative(repoRoot, packageDir)} already exists; pick another name (nothing was written)`);
const changeset = join(repoRoot, '.changeset', `${names.domain}-package.md`);
if (existsSync(changeset)) fail(`${relative(repoRoot, changeset)} already exists (nothing was written)`);

// Render everything first, so a broken template leaves no half-made package behind.
const outputs = filesUnder(templateDir).map((file) => ({
  path: join(packageDir, render(file, names, purpose)),
  text: render(readFileSync(join(templateDir, file), 'utf8'), names, purpose),
}));
outputs.push({ path: join(packageDir, 'package.json'), text: packageJson(names, purpose) });
outputs.push({ path: join(packageDir, 'LICENSE'), text: readFileSync(join(repoRoot, 'LICENSE'), 'utf8') });
outputs.push({ path: join(packageDir, 'CHANGELOG.md'), text: `# @almanac/${names.domain}\n` });
outputs.push({
  path: changeset,
  text: `---\n"@almanac/${names.domain}": minor\n---\n\nFirst release of \`@almanac/${names.domain}\`: the \`${names.pascal}Provider\` spec (v1, capabilities, \`${names.constant}_CAPABILITY_METHODS\`), the \`create${names.pascal}\` facade on core's operation runner, the \`/memory\` adapter and the \`/testing\` conformance suite.\n`,
});
for (const { path, text } of outputs) {
  const leftover = /__[A-Za-z]+__/.exec(text) ?? /__[A-Za-z]+__/.exec(path);
  if (leftover) fail(`template placeholder ${leftover[0]} left in ${relative(repoRoot, path)} (fix scripts/templates/domain; nothing was written)`);
}

for (const { path, text } of outputs) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const shown = outputs.map(({ path }) => `  ${relative(repoRoot, path)}`).join('\n');
process.stdout.write(`Created @almanac/${names.domain} (${names.pascal}):
${shown}

Next:
  npm install                      # links the new workspace and records it in package-lock.json
  npx turbo run build --no-daemon --filter=@almanac/${names.domain}
  npx vitest run packages/${names.domain}
  npm run api:update -- ${names.domain}   # writes packages/${names.domain}/etc/*.api.md; commit them
Then replace the example operations (getItem, searchItems) with the domain's own, keeping the shape.
`);
