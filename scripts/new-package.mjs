// Scaffolds packages/<name> with the files every Almanac package carries.
// Usage: node scripts/new-package.mjs <name> "<one-line purpose>"
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [name, purpose] = process.argv.slice(2);
if (!name || !purpose) {
  process.stderr.write('usage: node scripts/new-package.mjs <name> "<purpose>"\n');
  process.exit(1);
}
const dir = join('packages', name);
const write = (file, text) => {
  const path = join(dir, file);
  if (existsSync(path)) return;
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
};

write(
  'package.json',
  `${JSON.stringify(
    {
      name: `@almanac/${name}`,
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
        '.': {
          import: { types: './dist/index.d.ts', default: './dist/index.js' },
          require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
        },
        './package.json': './package.json',
      },
      files: ['dist', 'README.md', 'CHANGELOG.md'],
      scripts: {
        build: 'tsup',
        api: 'api-extractor run',
      },
      publishConfig: { access: 'public' },
    },
    null,
    2,
  )}\n`,
);
write(
  'tsup.config.ts',
  `import { defineConfig } from 'tsup';\nimport { packageBuild } from '../../tsup.base';\n\nexport default defineConfig(packageBuild({ index: 'src/index.ts' }));\n`,
);
write(
  'api-extractor.json',
  `${JSON.stringify(
    {
      $schema: 'https://developer.microsoft.com/json-schemas/api-extractor/v7/api-extractor.schema.json',
      extends: '../../api-extractor.base.json',
    },
    null,
    2,
  )}\n`,
);
write('README.md', `# @almanac/${name}\n\n${purpose}\n`);
write('src/index.ts', `export {};\n`);
