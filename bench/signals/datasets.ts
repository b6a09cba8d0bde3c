// The one reader of the vendored reference data in `datasets/` (see datasets/README.md), for
// benches and tests: resolves a path inside the folder and gunzips `*.gz` files.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Absolute path of the repository's `datasets/` folder. */
export const DATASETS_DIR = path.resolve(import.meta.dirname, '../../datasets');

/**
 * Text of `datasets/<relative>`, or of `datasets/<relative>.gz` unzipped when only the
 * compressed copy exists. Throws naming the path when neither does: the data are part of the
 * repository, so a missing file is a broken checkout, never a reason to skip.
 */
export function readDataset(relative: string): string {
  const plain = path.join(DATASETS_DIR, relative);
  if (existsSync(plain)) return plain.endsWith('.gz') ? gunzipSync(readFileSync(plain)).toString('utf8') : readFileSync(plain, 'utf8');
  const zipped = `${plain}.gz`;
  if (existsSync(zipped)) return gunzipSync(readFileSync(zipped)).toString('utf8');
  throw new Error(`datasets/${relative} not found (looked for ${plain} and ${zipped}); the repository's datasets folder is incomplete`);
}
