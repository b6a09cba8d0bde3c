// Types of exact-optional.mjs, for the test that imports it.
export interface MissingUndefined {
  line: number;
  name: string;
  start: number;
  end: number;
  parens: boolean;
}
export function findMissing(file: string, text?: string): MissingUndefined[];
export function scan(packagesDir?: string): { file: string; missing: MissingUndefined[] }[];
