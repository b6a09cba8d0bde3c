import type { Options } from 'tsup';

/**
 * The one build every package shares: ESM + CJS + declarations for each entry.
 * Entries map a name (`index`, `s3`, ...) to a source file; dependencies and
 * peer dependencies stay external, so provider SDKs are never bundled.
 */
export function packageBuild(entry: Record<string, string>): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    // Maps for stack traces (`node --enable-source-maps`) without copies of the sources: inlined
    // sources were two thirds of oracle's tarball, and src/ is on GitHub for reading.
    sourcemap: true,
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
    target: 'node20',
    platform: 'neutral',
    splitting: true,
    treeshake: true,
  };
}
