// Types of package-metadata.mjs, for the test that imports it.
export const REPOSITORY: string;
export function expectedMetadata(
  folder: string,
  json: { exports?: Record<string, unknown> },
): {
  license: string;
  repository: { type: string; url: string; directory: string };
  homepage: string;
  bugs: { url: string };
  files: string[];
  typesVersions?: { '*': Record<string, string[]> };
};
export function problemsOf(pkg: { folder: string; name: string; dir: string; json: Record<string, unknown> }): string[];
