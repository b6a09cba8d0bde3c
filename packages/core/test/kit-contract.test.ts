import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError, NotFoundError, ProviderError } from '../src/errors';
import { defineCapabilityMethods, isCapabilityDeclared, supportsCapability } from '../src/kit/capabilities';
import type { CapabilityMethodTable, WithCapability } from '../src/kit/capabilities';
import { SPECIFICATION_VERSION, assertProviderContract } from '../src/kit/contract';
import { toAlmanacError } from '../src/kit/errors';
import { NOTES_CAPABILITY_METHODS, notesProvider } from './kit-fixtures';
import type { NotesProvider } from './kit-fixtures';

function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('assertProviderContract', () => {
  it('accepts a v1 provider and narrows unknown to ProviderContract', () => {
    const value: unknown = notesProvider();
    assertProviderContract(value, { domain: 'notes' });
    expectTypeOf(value.specificationVersion).toEqualTypeOf<'v1'>();
    expect(SPECIFICATION_VERSION).toBe('v1');
  });

  it('rejects a version mismatch with ConfigError naming domain, provider, expected and found', () => {
    const error = thrown(() => assertProviderContract({ ...notesProvider(), specificationVersion: 'v0' }, { domain: 'storage' }));
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).message).toBe(
      'The storage provider "acme" implements specificationVersion "v0", but this storage facade expects "v1"; use an adapter written for this version of the package',
    );
    expect((error as ConfigError).provider).toBe('acme');
  });

  it('rejects a provider without specificationVersion (an adapter written before versions) instead of passing silently', () => {
    const { specificationVersion: _omitted, ...legacy } = notesProvider();
    const error = thrown(() => assertProviderContract(legacy, { domain: 'calendar' }));
    expect((error as ConfigError).message).toContain('implements specificationVersion nothing');
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual(['provider.specificationVersion']);
  });

  it('names every missing field of a non-provider', () => {
    const error = thrown(() => assertProviderContract({ capabilities: [] }, { domain: 'calendar' }));
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual([
      'provider.name',
      'provider.capabilities',
      'provider.specificationVersion',
    ]);
    expect(ConfigError.isInstance(thrown(() => assertProviderContract(null, { domain: 'calendar' })))).toBe(true);
    expect((thrown(() => assertProviderContract('s3', { domain: 'storage' })) as ConfigError).message).toBe(
      'Expected a storage provider object, got "s3"',
    );
  });
});

describe('capability tables', () => {
  it('defineCapabilityMethods keeps the literal method lists and freezes the table', () => {
    expectTypeOf(NOTES_CAPABILITY_METHODS.write).toEqualTypeOf<readonly ['write']>();
    expect(Object.isFrozen(NOTES_CAPABILITY_METHODS)).toBe(true);
    expect(Object.isFrozen(NOTES_CAPABILITY_METHODS.write)).toBe(true);
    // @ts-expect-error not a method of NotesProvider
    defineCapabilityMethods<NotesProvider>()({ fly: ['fly'] });
  });

  it('an `as const satisfies` table (as the identity spec writes it) works too', () => {
    const table = { write: ['write'], search: [] } as const satisfies CapabilityMethodTable<NotesProvider>;
    expect(supportsCapability(notesProvider(), table, 'write')).toBe(true);
    expectTypeOf<WithCapability<NotesProvider, typeof table, 'write'>['write']>().toEqualTypeOf<
      (request: { id: string; text: string; signal: AbortSignal }) => Promise<void>
    >();
  });

  it('supportsCapability needs a declared flag and every listed method, and ignores names outside the table', () => {
    const provider = notesProvider({ capabilities: { write: true, erase: 'emulated', search: true } });
    expect(supportsCapability(provider, NOTES_CAPABILITY_METHODS, 'write')).toBe(true);
    expect(supportsCapability(provider, NOTES_CAPABILITY_METHODS, 'erase')).toBe(false); // no erase method
    expect(supportsCapability(provider, NOTES_CAPABILITY_METHODS, 'search')).toBe(true);
    expect(supportsCapability(provider, NOTES_CAPABILITY_METHODS, 'toString')).toBe(false);
    // Found by the adversarial suite: a null-prototype object threw a raw TypeError.
    expect(supportsCapability(provider, NOTES_CAPABILITY_METHODS, Object.create(null) as never)).toBe(false);
    expect(supportsCapability(notesProvider({ write: undefined } as never), NOTES_CAPABILITY_METHODS, 'write')).toBe(false);
  });

  it('isCapabilityDeclared accepts true, native and emulated only', () => {
    expect([true, 'native', 'emulated', false, undefined, 1, ['x'], 'yes'].map(isCapabilityDeclared)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('toAlmanacError', () => {
  it('keeps Almanac errors (class and identity), filling missing provider/operation only', () => {
    const error = new NotFoundError('gone', { operation: 'stat' });
    expect(toAlmanacError(error, 'acme', 'read')).toBe(error);
    expect(error).toMatchObject({ provider: 'acme', operation: 'stat' });
  });

  it('wraps anything else in ProviderError with the cause', () => {
    const mapped = toAlmanacError('weird', 'acme', 'read');
    expect(ProviderError.isInstance(mapped)).toBe(true);
    expect(mapped).toMatchObject({ message: 'acme read failed: weird', provider: 'acme', operation: 'read', cause: 'weird' });
  });
});
