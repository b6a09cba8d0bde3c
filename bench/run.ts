// `npm run bench`: runs every bench/*.bench.ts in its own process, one after another
// (so one benchmark's garbage never lands in another's timings). Each benchmark prints
// ratios against a baseline measured in the same run, since absolute times drift on
// shared machines. Pass names to run a subset: `npm run bench -- core-http`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

let failures = 0;
for (const file of files) {
  process.stdout.write(`\n━━ ${file} ━━\n`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(dir, file)], { stdio: 'inherit' });
  if (child.status !== 0) failures++;
}
process.exitCode = failures > 0 ? 1 : 0;
