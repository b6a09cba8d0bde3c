import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS_DIR, readDataset } from '../../../bench/signals/datasets';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('vendored datasets', () => {
  it('every data file is listed in datasets/README.md and each source folder has its license', () => {
    const readme = readFileSync(path.join(DATASETS_DIR, 'README.md'), 'utf8');
    for (const folder of ['cdnow', 'nab']) expect(readFileSync(path.join(DATASETS_DIR, folder, 'LICENSE.txt'), 'utf8')).toMatch(/MIT|Permission is hereby granted/);
    // forecast/ and forecast-dev/ hold series from R and R packages (GPL-2, GPL-2-or-3) and from R's forecast package (GPL-3).
    for (const folder of ['forecast', 'forecast-dev'])
      for (const version of ['2', '3']) expect(readFileSync(path.join(DATASETS_DIR, folder, `LICENSE-GPL-${version}.txt`), 'utf8')).toMatch(new RegExp(`GNU GENERAL PUBLIC LICENSE\\s+Version ${version}`));
    const data = filesUnder(DATASETS_DIR).filter((f) => !/README\.md$|LICENSE(-GPL-\d)?\.txt$/.test(f));
    const count = (folder: string): number => data.filter((f) => path.relative(DATASETS_DIR, f).split(path.sep)[0] === folder).length;
    expect([count('cdnow'), count('nab'), count('forecast'), count('forecast-dev')]).toEqual([3, 4 + 17, 14, 15]);
    for (const file of data) {
      const relative = path.relative(DATASETS_DIR, file).split(path.sep).join('/');
      const listed =
        readme.includes(relative) ||
        (relative.startsWith('nab/realAWSCloudwatch/') && readme.includes('nab/realAWSCloudwatch/*.csv.gz')) ||
        (['forecast', 'forecast-dev'].some(
          (folder) => relative.startsWith(`${folder}/`) && readme.includes(`${folder}/*.csv`) && readFileSync(path.join(DATASETS_DIR, folder, 'README.md'), 'utf8').includes(path.basename(relative)),
        ));
      expect(listed, relative).toBe(true);
    }
  });

  it('reads gzipped files transparently and names a missing file', () => {
    const raw = readDataset('cdnow/CDNOW_sample.txt');
    expect(raw.trim().split(/\r?\n/)).toHaveLength(6919);
    expect(readDataset('nab/realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv').startsWith('timestamp,value')).toBe(true);
    expect(() => readDataset('cdnow/nope.csv')).toThrow(/datasets\/cdnow\/nope\.csv not found/);
  });

  it('no oracle test or benchmark skips for missing data or reads ../shared', () => {
    const bench = filesUnder(path.join(repoRoot, 'bench')).filter((f) => /[\\/]bench[\\/](oracle-[^\\/]*|signals[\\/].*)\.ts$/.test(f));
    const sources = [...filesUnder(path.join(repoRoot, 'packages/oracle/test')).filter((f) => f.endsWith('.ts')), ...bench];
    expect(bench.length).toBeGreaterThan(4);
    const self = path.basename(import.meta.filename);
    for (const file of sources) {
      if (path.basename(file) === self) continue;
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/\.\.\/shared\/data/);
      expect(text, file).not.toMatch(/\b(describe|it|test)\.skipIf\(/);
    }
  });
});
