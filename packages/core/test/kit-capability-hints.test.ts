import { describe, expect, it } from 'vitest';
import { CapabilityError } from '../src/errors';
import { createOperationRunner } from '../src/kit/runner';
import { NOTES_CAPABILITY_METHODS, notesProvider } from './kit-fixtures';

describe('capability hints', () => {
  it('a refused capability says how to enable it when the provider knows', async () => {
    const provider = { ...notesProvider(), capabilityHints: { erase: 'pass allowErase: true to createAcmeNotes' } };
    const runner = createOperationRunner({ domain: 'notes', provider, capabilityMethods: NOTES_CAPABILITY_METHODS, defaultTimeoutMs: 1000 });
    expect(() => runner.require('erase', 'erase')).toThrow('Provider "acme" does not support erase (operation erase): pass allowErase: true to createAcmeNotes');
    await expect(runner.run('erase', {}, undefined, async () => 'erased', { capability: 'erase' })).rejects.toThrow(
      /does not support erase \(operation erase\): pass allowErase: true to createAcmeNotes$/,
    );
  });

  it('without a hint the message is unchanged', () => {
    const runner = createOperationRunner({ domain: 'notes', provider: notesProvider(), capabilityMethods: NOTES_CAPABILITY_METHODS, defaultTimeoutMs: 1000 });
    let caught: unknown;
    try {
      runner.require('erase', 'erase');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CapabilityError);
    expect((caught as Error).message).toBe('Provider "acme" does not support erase (operation erase)');
  });
});
