// Types of typedoc-log.mjs, for the test that imports it.
export function splitTypedocLog(output: string): Map<string, string[]>;
export function findingsIn(lines: readonly string[]): string[];
export function withoutInfo(lines: readonly string[]): string;
