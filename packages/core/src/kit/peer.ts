import { ConfigError, ValidationError } from '../errors';
import type { ValidationIssue } from '../errors';

/** Options of {@link createPeerLoader} and {@link loadOptionalPeer}. */
export interface PeerLoaderOptions {
  /** Package name, e.g. `@aws-sdk/client-s3`. */
  readonly pkg: string;
  /** Provider that needs it, e.g. `s3`; named in errors. */
  readonly provider: string;
  /**
   * Imports the package: write it as `() => import('@aws-sdk/client-s3')` with a literal
   * specifier, so bundlers see the optional peer. Injectable, so tests can fake a missing one.
   */
  readonly importer: () => Promise<unknown>;
  /**
   * An export the module must have, e.g. `S3Client`, or a dotted path such as
   * `Client.initWithMiddleware`; checked on the module and on its `default` (CJS interop).
   */
  readonly exportName?: string | undefined;
  /** What to pass to `npm install` when the package is missing; default `pkg`. List several peers to install them in one go. */
  readonly install?: string | undefined;
  /** Oldest supported version, named when `exportName` is missing, e.g. `3.400`. */
  readonly minVersion?: string | undefined;
  /** Who needs the package, starting the error messages; default `The <provider> adapter`. */
  readonly requiredBy?: string | undefined;
  /** What the package is needed for, e.g. `use app-only credentials`; added to the not-installed message. */
  readonly purpose?: string | undefined;
}

const NOT_FOUND_CODES: ReadonlySet<unknown> = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);
// Node: "Cannot find package 'x' imported from …" (ESM), "Cannot find module 'x'\nRequire stack…" (CJS).
const MISSING_SPECIFIER = /Cannot find (?:package|module) ['"]([^'"]+)['"]/;

/**
 * Whether `error` says that `pkg` itself is not installed: a module-not-found code
 * (`ERR_MODULE_NOT_FOUND`, `MODULE_NOT_FOUND`) whose message names `pkg` (or a subpath of it).
 * A package that is installed but cannot load one of *its* dependencies or files is not
 * "missing", so the caller sees the real failure instead of advice to install what is there.
 */
export function isModuleNotFound(error: unknown, pkg: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (!NOT_FOUND_CODES.has((error as { code?: unknown }).code)) return false;
  const message = (error as { message?: unknown }).message;
  if (typeof message !== 'string') return false;
  const specifier = MISSING_SPECIFIER.exec(message)?.[1];
  if (specifier !== undefined) return specifier === pkg || specifier.startsWith(`${pkg}/`);
  // Other runtimes and bundlers word it differently; accept a quoted mention of the package.
  return message.includes(`'${pkg}'`) || message.includes(`"${pkg}"`);
}

function exported(module: unknown, path: readonly string[]): boolean {
  let value: unknown = module;
  for (const segment of path) {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
    value = (value as Record<string, unknown>)[segment];
  }
  return value !== undefined && value !== null;
}

function checkOptions(options: PeerLoaderOptions): void {
  const issues: ValidationIssue[] = [];
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(undefined, [{ path: 'options', message: 'must be an object' }]);
  }
  if (typeof options.pkg !== 'string' || options.pkg === '') issues.push({ path: 'options.pkg', message: 'must be a non-empty string' });
  if (typeof options.provider !== 'string' || options.provider === '') {
    issues.push({ path: 'options.provider', message: 'must be a non-empty string' });
  }
  if (typeof options.importer !== 'function') issues.push({ path: 'options.importer', message: 'must be a function' });
  for (const field of ['exportName', 'install', 'minVersion', 'purpose', 'requiredBy'] as const) {
    const value = options[field];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      issues.push({ path: `options.${field}`, message: 'must be a non-empty string' });
    }
  }
  if (issues.length > 0) throw new ValidationError(undefined, issues);
}

async function load<M>(options: PeerLoaderOptions): Promise<M> {
  const { pkg, provider, exportName } = options;
  const subject = options.requiredBy ?? `The ${provider} adapter`;
  let module: unknown;
  try {
    module = await options.importer();
  } catch (cause) {
    if (isModuleNotFound(cause, pkg)) {
      const install = options.install ?? pkg;
      const purpose = options.purpose === undefined ? '' : ` to ${options.purpose}`;
      throw new ConfigError(
        `${subject} needs the optional peer dependency "${pkg}"${purpose}: run \`npm install ${install}\``,
        [{ path: 'dependencies', message: `install ${pkg}` }],
        { provider, cause },
      );
    }
    // Installed but broken (a missing dependency of its own, a syntax error, a failing
    // initialiser): advising to install it would mislead, so the real failure is passed on.
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(
      `${subject} could not load the optional peer dependency "${pkg}" (it is installed, but importing it failed): ${detail}`,
      [{ path: 'dependencies', message: `${pkg} failed to load` }],
      { provider, cause },
    );
  }
  if (exportName === undefined) return module as M;
  const path = exportName.split('.');
  if (exported(module, path)) return module as M;
  // An ESM import of a CommonJS package may put its exports under `default`.
  const fallback = (module as { default?: unknown } | null | undefined)?.default;
  if (exported(fallback, path)) return fallback as M;
  const version = options.minVersion === undefined ? 'a supported version' : `a version >= ${options.minVersion}`;
  throw new ConfigError(`"${pkg}" did not export ${exportName}; install ${version}`, [
    { path: 'dependencies', message: `unsupported ${pkg} version` },
  ], { provider });
}

/**
 * Imports an optional peer dependency once: the first call imports, later calls share the
 * result. The cache belongs to the returned function (create one per adapter instance, never
 * module-wide), and a failed load is not cached, so installing the package and retrying works
 * without a restart.
 *
 * @returns the module namespace, or its `default` when the export lives there (CJS interop).
 * @throws `ConfigError` naming the exact `npm install` command when the package itself is
 * missing; a `ConfigError` with the original error as `cause` when it is installed but fails
 * to load; a `ConfigError` naming the version to install when `exportName` is absent.
 */
export function createPeerLoader<M>(options: PeerLoaderOptions): () => Promise<M> {
  checkOptions(options);
  const settings = { ...options };
  let pending: Promise<M> | undefined;
  return () => {
    pending ??= load<M>(settings).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** One-shot {@link createPeerLoader}: imports the peer now, with the same checks and errors, and caches nothing. */
export function loadOptionalPeer<M>(options: PeerLoaderOptions): Promise<M> {
  try {
    checkOptions(options);
  } catch (error) {
    return Promise.reject(error);
  }
  return load<M>(options);
}
