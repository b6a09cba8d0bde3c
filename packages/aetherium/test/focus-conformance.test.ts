import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createFocusCostSource } from '../src/adapters/focus/index';
import { describeCostSourceConformance, fixtureToCsv } from '../src/testing/index';

const dir = mkdtempSync(join(tmpdir(), 'aetherium-focus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCostSourceConformance({
  name: 'focus (DuckDB over CSV)',
  create: (fixture) => {
    const file = join(dir, 'fixture.csv');
    writeFileSync(file, fixtureToCsv(fixture));
    return createFocusCostSource({ files: [file] });
  },
});
