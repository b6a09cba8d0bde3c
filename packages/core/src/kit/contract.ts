import { ConfigError } from '../errors';

/** The provider-contract version every current provider interface declares. */
export const SPECIFICATION_VERSION = 'v1' as const;

/** Versions of the provider contract; a facade accepts only the version it was written for. */
export type SpecificationVersion = typeof SPECIFICATION_VERSION;

/**
 * What every provider interface of every domain extends: a name for errors and telemetry, the
 * contract version it implements, and a flat `capabilities` object the facade checks.
 */
export interface ProviderContract {
  /** Provider name, e.g. `s3`, `google`; copied onto errors, spans and audit events. */
  readonly name: string;
  /** The contract version the adapter was written against. */
  readonly specificationVersion: SpecificationVersion;
  /** What the provider supports; each domain's spec defines the fields. */
  readonly capabilities: object;
  /**
   * How to turn on a capability this instance leaves off because of its configuration, by
   * capability name, e.g. `{ signedRead: 'give createFsStorage a signingSecret and a baseUrl' }`:
   * the runner appends it to the `CapabilityError` so the error says what to do.
   */
  readonly capabilityHints?: Readonly<Record<string, string>> | undefined;
}

/** Options of {@link assertProviderContract}. */
export interface AssertProviderContractOptions {
  /** Domain the provider is for, e.g. `storage`; named in the error. */
  readonly domain: string;
  /** Contract version the caller was written for. Default {@link SPECIFICATION_VERSION}. */
  readonly expected?: SpecificationVersion | undefined;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Checks that `provider` is a provider of the expected contract version. Third-party adapters
 * are plain objects matched structurally, so a provider written for another version would
 * otherwise be accepted and fail later in confusing ways.
 *
 * @throws `ConfigError` naming the domain, the provider and what was expected versus
 * found, with one issue per bad field (`provider.name`, `provider.capabilities`,
 * `provider.specificationVersion`).
 */
export function assertProviderContract(
  provider: unknown,
  options: AssertProviderContractOptions,
): asserts provider is ProviderContract {
  const domain = options.domain;
  const expected = options.expected ?? SPECIFICATION_VERSION;
  if (typeof provider !== 'object' || provider === null || Array.isArray(provider)) {
    throw new ConfigError(`Expected a ${domain} provider object, got ${describeValue(provider)}`, [
      { path: 'provider', message: `must be a ${domain} provider` },
    ]);
  }
  const fields = provider as Record<string, unknown>;
  const name = typeof fields['name'] === 'string' && fields['name'] !== '' ? fields['name'] : undefined;
  const label = name === undefined ? `The ${domain} provider` : `The ${domain} provider "${name}"`;
  const problems: string[] = [];
  const issues: { path: string; message: string }[] = [];
  if (name === undefined) {
    problems.push(`has no name (got ${describeValue(fields['name'])})`);
    issues.push({ path: 'provider.name', message: 'must be a non-empty string' });
  }
  const capabilities = fields['capabilities'];
  if (typeof capabilities !== 'object' || capabilities === null || Array.isArray(capabilities)) {
    problems.push(`has no capabilities object (got ${describeValue(capabilities)})`);
    issues.push({ path: 'provider.capabilities', message: 'must be an object' });
  }
  const version = fields['specificationVersion'];
  if (version !== expected) {
    problems.push(
      `implements specificationVersion ${describeValue(version)}, but this ${domain} facade expects "${expected}"; ` +
        'use an adapter written for this version of the package',
    );
    issues.push({ path: 'provider.specificationVersion', message: `must be "${expected}"` });
  }
  if (issues.length > 0) {
    throw new ConfigError(`${label} ${problems.join('; ')}`, issues, name === undefined ? {} : { provider: name });
  }
}
