import { describe, expect, it } from 'vitest';
import { createOperationRunner } from '../src/kit/runner';
import { checkCapabilityTable } from '../src/testing/capabilities';
import { NOTES_CAPABILITY_METHODS, notesProvider } from './kit-fixtures';
import type { NotesProvider } from './kit-fixtures';

/** A facade built the kit's way: the capability is checked before the provider is touched. */
function notes(provider: NotesProvider) {
  const runner = createOperationRunner({ domain: 'notes', provider, capabilityMethods: NOTES_CAPABILITY_METHODS, defaultTimeoutMs: 1_000 });
  return {
    write: (id: string, text: string) =>
      runner.run('write', { id, text }, undefined, (input, context) => runner.require('write', 'write').write({ ...input, signal: context.signal }), {
        capability: 'write',
      }),
    erase: (id: string) =>
      runner.run('erase', id, undefined, (input, context) => runner.require('erase', 'erase').erase({ id: input, signal: context.signal }), {
        capability: 'erase',
      }),
    search: () => runner.run('search', undefined, undefined, async () => [], { capability: 'search' }),
  };
}

const calls = {
  write: (facade: ReturnType<typeof notes>) => facade.write('a', 'x'),
  erase: (facade: ReturnType<typeof notes>) => facade.erase('a'),
  search: (facade: ReturnType<typeof notes>) => facade.search(),
};

describe('checkCapabilityTable', () => {
  it('passes an honest provider behind a facade that refuses before calling it', async () => {
    await expect(checkCapabilityTable({ provider: notesProvider(), capabilityMethods: NOTES_CAPABILITY_METHODS, facade: notes, calls })).resolves.toBeUndefined();
  });

  it('reports a declared capability whose method is missing', async () => {
    const liar = notesProvider({ capabilities: { write: true, erase: true, search: false } });
    await expect(checkCapabilityTable({ provider: liar, capabilityMethods: NOTES_CAPABILITY_METHODS, facade: notes, calls })).rejects.toThrow(
      'erase: declared, but the provider has no erase',
    );
  });

  it('reports a facade that touches the provider before refusing', async () => {
    const leaky = (provider: NotesProvider) => ({
      ...notes(provider),
      erase: async (id: string) => {
        await provider.read({ id, signal: new AbortController().signal });
        return notes(provider).erase(id);
      },
    });
    await expect(checkCapabilityTable({ provider: notesProvider(), capabilityMethods: NOTES_CAPABILITY_METHODS, facade: leaky, calls })).rejects.toThrow(
      'erase: the facade called the provider (read) before refusing',
    );
  });

  it('reports a facade that does not refuse, or refuses with the wrong error', async () => {
    const lenient = (provider: NotesProvider) => ({ ...notes(provider), search: async () => [] });
    await expect(checkCapabilityTable({ provider: notesProvider(), capabilityMethods: NOTES_CAPABILITY_METHODS, facade: lenient, calls })).rejects.toThrow(
      'search: unsupported, but the facade call succeeded',
    );
    const wrong = (provider: NotesProvider) => ({ ...notes(provider), search: async () => Promise.reject(new Error('nope')) });
    await expect(checkCapabilityTable({ provider: notesProvider(), capabilityMethods: NOTES_CAPABILITY_METHODS, facade: wrong, calls })).rejects.toThrow(
      'search: expected CapabilityError, got Error: nope',
    );
  });

  it('reports unsupported capabilities without a call, and calls for unknown capabilities', async () => {
    const { search: _search, ...partial } = calls;
    await expect(
      checkCapabilityTable({ provider: notesProvider(), capabilityMethods: NOTES_CAPABILITY_METHODS, facade: notes, calls: { ...partial, fly: () => {} } }),
    ).rejects.toThrow(/calls\.fly: not a capability of the table[\s\S]*search: unsupported, but no call was given/);
  });
});
