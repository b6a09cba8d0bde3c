import { expect } from 'vitest';
import { CapabilityError } from '../errors';
import { isCapabilityDeclared, supportsCapability } from '../kit/capabilities';
import type { CapabilityMethodTable } from '../kit/capabilities';
import type { ProviderContract } from '../kit/contract';

/** What {@link checkCapabilityTable} checks: a provider, its spec's table, and how to reach each capability through the facade. */
export interface CapabilityTableCheck<P extends ProviderContract, F> {
  /** The provider under test (an adapter instance). */
  readonly provider: P;
  /** The spec's capability table. */
  readonly capabilityMethods: CapabilityMethodTable<P>;
  /** Builds the facade over a provider (it is given a spy that records method calls). */
  readonly facade: (provider: P) => F;
  /**
   * For each capability, one facade call that needs it (e.g. `copy: (s) => s.copy('a', 'b')`).
   * Every capability the provider does not support must have one; supported ones may.
   */
  readonly calls: CapabilityCalls<F>;
}

/** Capability name → one facade call that needs it. */
export type CapabilityCalls<F> = Readonly<Record<string, (facade: F) => unknown>>;

/** A provider wrapped so every method call is recorded by name (the facade cannot tell the difference). */
function spyOn<P extends object>(provider: P, calls: string[]): P {
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(provider, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let wrapper = wrappers.get(property);
      if (wrapper === undefined) {
        wrapper = function (this: unknown, ...args: unknown[]) {
          calls.push(String(property));
          return (value as (...args: unknown[]) => unknown).apply(target, args);
        };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
}

/**
 * Checks that a provider's declared capabilities match what it and the facade really do:
 *
 * - every capability the provider declares (`true`, `'native'`, `'emulated'`) has each method
 *   the table lists for it;
 * - every capability it does not support makes the facade throw `CapabilityError` naming the
 *   provider *before any provider method is called* (checked with a recording spy), using the
 *   call given in `calls`;
 * - `calls` names only capabilities of the table, and covers every unsupported one.
 *
 * Every problem is collected and reported at once (one failed assertion listing them all). Domain
 * suites add behavioural checks of the supported capabilities on top.
 */
export async function checkCapabilityTable<P extends ProviderContract, F>(check: CapabilityTableCheck<P, F>): Promise<void> {
  const { provider, capabilityMethods: table, calls } = check;
  const problems: string[] = [];
  const flags = provider.capabilities as Record<string, unknown>;
  for (const capability of Object.keys(calls)) {
    if (!Object.hasOwn(table, capability)) problems.push(`calls.${capability}: not a capability of the table`);
  }
  for (const [capability, methods] of Object.entries(table)) {
    if (isCapabilityDeclared(flags[capability])) {
      const missing = methods.filter((method) => typeof provider[method] !== 'function');
      if (missing.length > 0) problems.push(`${capability}: declared, but the provider has no ${missing.join(', ')}`);
    }
    if (supportsCapability(provider, table, capability)) continue;
    const call = calls[capability];
    if (call === undefined) {
      problems.push(`${capability}: unsupported, but no call was given to check that the facade refuses it`);
      continue;
    }
    const recorded: string[] = [];
    let outcome: { failed: true; error: unknown } | { failed: false };
    try {
      const facade = check.facade(spyOn(provider, recorded));
      recorded.length = 0; // what the facade does while being built is not part of the call
      await call(facade);
      outcome = { failed: false };
    } catch (error) {
      outcome = { failed: true, error };
    }
    if (!outcome.failed) {
      problems.push(`${capability}: unsupported, but the facade call succeeded instead of throwing CapabilityError`);
    } else if (!CapabilityError.isInstance(outcome.error)) {
      const error = outcome.error;
      problems.push(`${capability}: expected CapabilityError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    } else if (outcome.error.provider !== provider.name) {
      problems.push(`${capability}: CapabilityError names provider "${String(outcome.error.provider)}", expected "${provider.name}"`);
    }
    if (recorded.length > 0) problems.push(`${capability}: the facade called the provider (${recorded.join(', ')}) before refusing`);
  }
  if (problems.length > 0) {
    expect.fail(`capability table of provider "${provider.name}" does not match what it does:\n  - ${problems.join('\n  - ')}`);
  }
  // Counted as the test's assertion (tests run under expect.hasAssertions()).
  expect(problems).toEqual([]);
}
